import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An experiment's provenance: the runner's code, the datasets read, the seeds and the specification. */
export class ExperimentProvenance17643070000001 implements MigrationInterface {
  name = 'ExperimentProvenance17643070000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE experiments ADD COLUMN provenance jsonb');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE experiments DROP COLUMN IF EXISTS provenance');
  }
}
