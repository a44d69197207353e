import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Experiments: the specification of a multi-row experiment (`modelops experiment run`), its progress row by row
 * and its report with plots, so that the console and every client see the same record. One experiment per
 * specification (its sha256), so a rerun of the same file resumes the stored one.
 */
export class Experiments17643070000000 implements MigrationInterface {
  name = 'Experiments17643070000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE experiments (
        id              text PRIMARY KEY,
        title           text NOT NULL,
        spec            jsonb NOT NULL,
        spec_sha256     text NOT NULL UNIQUE,
        state           text NOT NULL CHECK (state IN ('running', 'succeeded', 'failed')),
        progress        double precision NOT NULL DEFAULT 0,
        phase           text NOT NULL DEFAULT '',
        rows            jsonb NOT NULL DEFAULT '[]',
        report_json     text NOT NULL DEFAULT '',
        report_markdown text NOT NULL DEFAULT '',
        plots           jsonb NOT NULL DEFAULT '{}',
        error           text NOT NULL DEFAULT '',
        code_version    text NOT NULL DEFAULT '',
        created_by      text NOT NULL,
        create_time     timestamptz NOT NULL DEFAULT now(),
        update_time     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX experiments_created ON experiments (create_time DESC, id DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE experiments');
  }
}
