import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rollouts: the splits of a model's traffic, their weight history (so an outcome joins to the weights of
 * its time), the outcomes reported back, the served records of requests (for outcomes that carry only a
 * request id), and shadow-scoring statistics. The database enforces at most one active rollout per model.
 */
export class Rollouts17643050000000 implements MigrationInterface {
  name = 'Rollouts17643050000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rollouts (
        id             text PRIMARY KEY,
        model          text NOT NULL REFERENCES models(id),
        state          text NOT NULL CHECK (state IN ('active', 'stopped')),
        control        text NOT NULL,
        control_number integer NOT NULL,
        arms           jsonb NOT NULL,
        salt           text NOT NULL,
        shadow         jsonb NOT NULL DEFAULT '[]',
        guardrails     jsonb NOT NULL DEFAULT '[]',
        created_by     text NOT NULL,
        start_time     timestamptz NOT NULL,
        stop_time      timestamptz,
        stop_reason    text NOT NULL DEFAULT '',
        stopped_by     text NOT NULL DEFAULT '',
        CHECK ((state = 'active') = (stop_time IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX rollouts_one_active ON rollouts (model) WHERE state = 'active'`);
    await q.query('CREATE INDEX rollouts_by_model ON rollouts (model, start_time DESC, id DESC)');
    await q.query(`
      CREATE TABLE rollout_changes (
        id         bigserial PRIMARY KEY,
        rollout_id text NOT NULL REFERENCES rollouts(id),
        time       timestamptz NOT NULL,
        kind       text NOT NULL CHECK (kind IN ('start', 'ramp', 'stop', 'guardrail-stop')),
        arms       jsonb NOT NULL,
        actor      text NOT NULL,
        reason     text NOT NULL DEFAULT ''
      )`);
    await q.query('CREATE INDEX rollout_changes_by_rollout ON rollout_changes (rollout_id, time, id)');
    await q.query(`
      CREATE TABLE rollout_outcomes (
        id             bigserial PRIMARY KEY,
        rollout_id     text NOT NULL REFERENCES rollouts(id),
        arm            text NOT NULL,
        version_number integer NOT NULL,
        user_id        text NOT NULL,
        request_id     text NOT NULL DEFAULT '',
        item_id        text NOT NULL,
        timespent_s    double precision NOT NULL CHECK (timespent_s >= 0),
        video_length_s double precision NOT NULL DEFAULT 0,
        liked          boolean NOT NULL DEFAULT false,
        shared         boolean NOT NULL DEFAULT false,
        time           timestamptz NOT NULL,
        UNIQUE (rollout_id, user_id, item_id, time)
      )`);
    await q.query('CREATE INDEX rollout_outcomes_by_arm ON rollout_outcomes (rollout_id, arm, user_id)');
    await q.query(`
      CREATE TABLE rollout_served (
        request_id text PRIMARY KEY,
        model      text NOT NULL,
        user_id    text NOT NULL,
        arm        text NOT NULL,
        time       timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX rollout_served_by_time ON rollout_served (time)');
    await q.query(`
      CREATE TABLE rollout_shadow_stats (
        id             bigserial PRIMARY KEY,
        rollout_id     text NOT NULL REFERENCES rollouts(id),
        version        text NOT NULL,
        time           timestamptz NOT NULL DEFAULT now(),
        offered        bigint NOT NULL,
        scored         bigint NOT NULL,
        shed           bigint NOT NULL,
        failed         bigint NOT NULL,
        corr_count     bigint NOT NULL,
        sum_spearman   double precision NOT NULL,
        sum_kendall    double precision NOT NULL,
        sum_latency_ms double precision NOT NULL,
        latency_hist   jsonb NOT NULL,
        top_k          integer NOT NULL
      )`);
    await q.query('CREATE INDEX rollout_shadow_stats_by_rollout ON rollout_shadow_stats (rollout_id, version)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['rollout_shadow_stats', 'rollout_served', 'rollout_outcomes', 'rollout_changes', 'rollouts']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
