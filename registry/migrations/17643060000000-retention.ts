import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention: a stored artifact key may be deleted (never changed) by the one path that deletes a version
 * with its objects (registry/retention.ts), which sets `modelops.retention = 'on'` for its transaction only.
 * Every other UPDATE or DELETE of a stored key is still refused, so a key never points at other bytes.
 * Platform-wide audit events (a deleted dataset, a garbage collection) have the empty model id.
 */
export class Retention17643060000000 implements MigrationInterface {
  name = 'Retention17643060000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION artifact_reservations_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND current_setting('modelops.retention', true) = 'on' THEN RETURN OLD; END IF;
        IF OLD.state = 'stored' THEN
          RAISE EXCEPTION 'artifact "%" is stored; artifacts are immutable', OLD.key USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        IF NEW.key <> OLD.key THEN
          RAISE EXCEPTION 'artifact key "%" cannot be renamed', OLD.key USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query('CREATE INDEX IF NOT EXISTS artifact_reservations_by_owner ON artifact_reservations (owner)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS artifact_reservations_by_owner');
    await q.query(`
      CREATE OR REPLACE FUNCTION artifact_reservations_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.state = 'stored' THEN
          RAISE EXCEPTION 'artifact "%" is stored; artifacts are immutable', OLD.key USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        IF NEW.key <> OLD.key THEN
          RAISE EXCEPTION 'artifact key "%" cannot be renamed', OLD.key USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
      END $$`);
  }
}
