import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops the foreign key view_events.source -> event_sources: Postgres checks it with a trigger per inserted row,
 * which cost about a third of a bulk load's time. Every writer (import, generate, ingest) creates or looks up the
 * source first (ensure / get in registry/event-source-store.ts), so no view names an unknown source.
 */
export class ViewLoadNoFk17643011000000 implements MigrationInterface {
  name = 'ViewLoadNoFk17643011000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE view_events DROP CONSTRAINT IF EXISTS view_events_source_fkey');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE view_events ADD CONSTRAINT view_events_source_fkey FOREIGN KEY (source) REFERENCES event_sources (source)');
  }
}
