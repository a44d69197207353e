import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the trustworthy readout needs: exposures (distinct users per rollout, weight configuration, arm, day
 * and handset maker, as every scoring replica counted them) for the sample-ratio check, the handset maker of
 * an outcome, and the progressive-ramp plan of a rollout.
 */
export class RolloutTrust17643051700000 implements MigrationInterface {
  name = 'RolloutTrust17643051700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rollout_exposures (
        rollout_id    text NOT NULL REFERENCES rollouts(id),
        weights       text NOT NULL,
        arm           text NOT NULL,
        user_id       text NOT NULL,
        day           date NOT NULL,
        handset_maker text NOT NULL DEFAULT '',
        first_time    timestamptz NOT NULL,
        PRIMARY KEY (rollout_id, weights, arm, user_id, day, handset_maker)
      )`);
    await q.query(`ALTER TABLE rollout_outcomes ADD COLUMN handset_maker text NOT NULL DEFAULT ''`);
    await q.query('ALTER TABLE rollouts ADD COLUMN progression jsonb');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE rollouts DROP COLUMN IF EXISTS progression');
    await q.query('ALTER TABLE rollout_outcomes DROP COLUMN IF EXISTS handset_maker');
    await q.query('DROP TABLE IF EXISTS rollout_exposures');
  }
}
