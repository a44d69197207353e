import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The manifest of the event log's files in the bucket (registry/event-log.ts): one row per immutable Parquet file
 * of views (a file is visible exactly when its row is committed), and the keys of the batches stored, so a batch
 * sent twice adds nothing; and the current snapshot of each source's item catalogue as a file. view_events itself is emptied into files and dropped by the feature service at its
 * start (services/feature/log-upgrade.ts), not here: the move needs the bucket.
 */
export class EventLogFiles17643080000000 implements MigrationInterface {
  name = 'EventLogFiles17643080000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE event_log_files (
        id bigserial PRIMARY KEY,
        source text NOT NULL,
        day date NOT NULL,
        object_key text NOT NULL UNIQUE,
        sha256 text NOT NULL,
        rows integer NOT NULL,
        bytes bigint NOT NULL,
        min_ts bigint NOT NULL,
        max_ts bigint NOT NULL,
        seq bigint NOT NULL,
        staged boolean NOT NULL DEFAULT false,
        create_time timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX event_log_files_source_day ON event_log_files (source, day, seq)');
    await q.query('CREATE SEQUENCE event_log_seq');
    await q.query(`
      CREATE TABLE event_log_batches (
        source text NOT NULL,
        batch_key text NOT NULL,
        rows integer NOT NULL,
        create_time timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (source, batch_key)
      )`);
    await q.query(`
      CREATE TABLE event_log_catalogues (
        source text PRIMARY KEY,
        object_key text NOT NULL UNIQUE,
        sha256 text NOT NULL,
        rows integer NOT NULL,
        bytes bigint NOT NULL,
        update_time timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE event_log_catalogues');
    await q.query('DROP TABLE event_log_batches');
    await q.query('DROP SEQUENCE event_log_seq');
    await q.query('DROP TABLE event_log_files');
  }
}
