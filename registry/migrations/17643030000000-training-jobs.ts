import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Training jobs: the queue, progress and outcome of every TrainingService job. */
export class TrainingJobs17643030000000 implements MigrationInterface {
  name = 'TrainingJobs17643030000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE training_jobs (
        id               text PRIMARY KEY,
        model            text NOT NULL,
        version_name     text NOT NULL,
        dataset_id       text NOT NULL,
        arch             text NOT NULL,
        task             text NOT NULL,
        hyperparameters  jsonb NOT NULL,
        seed             bigint NOT NULL,
        state            text NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
        progress         jsonb NOT NULL DEFAULT '{}',
        metrics          jsonb NOT NULL DEFAULT '{}',
        backend          text NOT NULL DEFAULT '',
        version_number   integer,
        error            text NOT NULL DEFAULT '',
        data_window      text NOT NULL DEFAULT '',
        cancel_requested boolean NOT NULL DEFAULT false,
        owner            text,
        lock_key         bigserial NOT NULL,
        created_by       text NOT NULL,
        create_time      timestamptz NOT NULL DEFAULT now(),
        start_time       timestamptz,
        end_time         timestamptz,
        update_time      timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX training_jobs_created ON training_jobs (create_time DESC, id DESC)');
    await q.query('CREATE INDEX training_jobs_model_created ON training_jobs (model, create_time DESC, id DESC)');
    await q.query(`CREATE INDEX training_jobs_queue ON training_jobs (create_time) WHERE state = 'queued'`);
    // One active job per version name: a second start of the same name is refused while the first runs.
    await q.query(`CREATE UNIQUE INDEX training_jobs_active_name ON training_jobs (model, version_name) WHERE state IN ('queued', 'running')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE training_jobs');
  }
}
