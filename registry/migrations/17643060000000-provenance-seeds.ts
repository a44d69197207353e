import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Provenance and seed groups: every version records the code, datasets, seeds and full specification it was made
 * from (null for versions registered before), and a training job records the seed group its version joins, so
 * that the version is tagged with it when the job registers it.
 */
export class ProvenanceSeeds17643060000000 implements MigrationInterface {
  name = 'ProvenanceSeeds17643060000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE model_versions ADD COLUMN provenance jsonb`);
    await q.query(`ALTER TABLE training_jobs ADD COLUMN seed_group text NOT NULL DEFAULT ''`);
    // A seed group is found by its tag; this index makes that a lookup rather than a scan of every tag.
    await q.query(`CREATE INDEX version_tags_key_value ON version_tags (model, key, value)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX version_tags_key_value`);
    await q.query(`ALTER TABLE training_jobs DROP COLUMN seed_group`);
    await q.query(`ALTER TABLE model_versions DROP COLUMN provenance`);
  }
}
