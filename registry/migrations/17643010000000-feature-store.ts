import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The feature store: raw views and items (loaded in bulk, idempotent through a row key), the sources they came
 * from (with their market time zone), datasets (the build job and its outcome), and the online feature rows
 * that scoring reads (one row per user / item, with the time its values describe).
 */
export class FeatureStore17643010000000 implements MigrationInterface {
  name = 'FeatureStore17643010000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE event_sources (
        source      text PRIMARY KEY,
        format      text NOT NULL,
        timezone    text NOT NULL,
        language    text NOT NULL,
        dim         integer NOT NULL CHECK (dim > 0),
        update_time timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE view_events (
        id             bigserial PRIMARY KEY,
        row_key        bigint NOT NULL UNIQUE,
        source         text NOT NULL REFERENCES event_sources (source),
        user_id        text NOT NULL,
        item_id        text NOT NULL,
        creator_id     text NOT NULL,
        ts             bigint NOT NULL CHECK (ts >= 0),
        language       text NOT NULL,
        video_length_s real,
        timespent_s    real NOT NULL CHECK (timespent_s >= 0),
        liked          boolean NOT NULL,
        shared         boolean NOT NULL,
        downloaded     boolean NOT NULL,
        handset_maker  text NOT NULL,
        affinity       real
      )`);
    await q.query('CREATE INDEX view_events_source_ts ON view_events (source, ts)');
    await q.query('CREATE INDEX view_events_user ON view_events (user_id, ts)');
    await q.query('CREATE INDEX view_events_item ON view_events (item_id, ts)');
    await q.query('CREATE INDEX view_events_creator ON view_events (creator_id)');
    await q.query(`
      CREATE TABLE items (
        source         text NOT NULL REFERENCES event_sources (source),
        item_id        text NOT NULL,
        creator_id     text NOT NULL,
        language       text NOT NULL,
        created_at     bigint,
        video_length_s real,
        embedding      bytea NOT NULL,
        PRIMARY KEY (source, item_id)
      )`);
    await q.query(`
      CREATE TABLE datasets (
        id          text PRIMARY KEY,
        state       text NOT NULL CHECK (state IN ('building', 'ready', 'failed')),
        source      text NOT NULL,
        spec        jsonb NOT NULL,
        counts      jsonb NOT NULL DEFAULT '{}',
        summary     jsonb NOT NULL DEFAULT '{}',
        progress    jsonb NOT NULL DEFAULT '{}',
        meta_key    text NOT NULL DEFAULT '',
        meta_sha256 text NOT NULL DEFAULT '',
        shard_count integer NOT NULL DEFAULT 0,
        error       text NOT NULL DEFAULT '',
        created_by  text NOT NULL,
        create_time timestamptz NOT NULL DEFAULT now(),
        update_time timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX datasets_create_time ON datasets (create_time DESC, id DESC)');
    await q.query(`
      CREATE TABLE online_user_features (
        source        text NOT NULL,
        user_id       text NOT NULL,
        handset_maker text NOT NULL,
        dense         bytea NOT NULL,
        as_of         bigint NOT NULL,
        PRIMARY KEY (source, user_id)
      )`);
    await q.query(`
      CREATE TABLE online_item_features (
        source  text NOT NULL,
        item_id text NOT NULL,
        rates   bytea NOT NULL,
        as_of   bigint NOT NULL,
        PRIMARY KEY (source, item_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['online_item_features', 'online_user_features', 'datasets', 'items', 'view_events', 'event_sources']) await q.query(`DROP TABLE ${t}`);
  }
}
