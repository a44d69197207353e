import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The exploration slot of a rollout: its share of user-days that explore, and the exploration log (one row per
 * candidate a Score response moved to a random position: which request, user, item and position, and when).
 */
export class RolloutExploration17643070000000 implements MigrationInterface {
  name = 'RolloutExploration17643070000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE rollouts ADD COLUMN explore_share double precision NOT NULL DEFAULT 0');
    await q.query(`
      CREATE TABLE rollout_explorations (
        rollout_id  text NOT NULL REFERENCES rollouts(id),
        request_id  text NOT NULL,
        arm         text NOT NULL,
        user_id     text NOT NULL,
        item_id     text NOT NULL,
        position    integer NOT NULL,
        list_length integer NOT NULL,
        time        timestamptz NOT NULL,
        PRIMARY KEY (rollout_id, request_id, item_id)
      )`);
    await q.query('CREATE INDEX rollout_explorations_user_item ON rollout_explorations (rollout_id, user_id, item_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS rollout_explorations');
    await q.query('ALTER TABLE rollouts DROP COLUMN IF EXISTS explore_share');
  }
}
