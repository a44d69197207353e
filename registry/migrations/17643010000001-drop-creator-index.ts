import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops view_events_creator: every bulk load paid for it, and the one query that used it (an online refresh's
 * "views of these creators") reaches the same views through the catalogue (items.creator_id) and the item index.
 */
export class DropCreatorIndex17643010000001 implements MigrationInterface {
  name = 'DropCreatorIndex17643010000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS view_events_creator');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX view_events_creator ON view_events (creator_id)');
  }
}
