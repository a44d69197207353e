import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The registry: models, versions, aliases, tags, artifact key reservations, evaluations, the audit log and
 * gate policies. Invariants that must hold whatever the application does live here, in the database:
 * one `production` per model (a partial unique index), immutable artifact keys once stored, and an
 * append-only audit log (triggers).
 */
export class Registry17643020000000 implements MigrationInterface {
  name = 'Registry17643020000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE models (
        id           text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
        description  text NOT NULL DEFAULT '',
        next_version integer NOT NULL DEFAULT 1,
        created_by   text NOT NULL,
        create_time  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE model_versions (
        model            text NOT NULL REFERENCES models(id),
        number           integer NOT NULL CHECK (number > 0),
        name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        arch             text NOT NULL DEFAULT '',
        task             text NOT NULL DEFAULT '',
        label            text NOT NULL DEFAULT '',
        buckets          text NOT NULL DEFAULT '',
        dataset_id       text NOT NULL DEFAULT '',
        hyperparameters  jsonb NOT NULL DEFAULT '{}',
        training_metrics jsonb NOT NULL DEFAULT '{}',
        parity           jsonb,
        backend          text NOT NULL DEFAULT '',
        data_window      text NOT NULL DEFAULT '',
        source           text NOT NULL DEFAULT 'trained' CHECK (source IN ('trained', 'external')),
        input_signature  jsonb,
        artifacts        jsonb NOT NULL,
        created_by       text NOT NULL,
        create_time      timestamptz NOT NULL DEFAULT now(),
        state            text NOT NULL DEFAULT 'ready',
        PRIMARY KEY (model, number),
        UNIQUE (model, name)
      )`);
    await q.query(`
      CREATE TABLE version_tags (
        model  text NOT NULL,
        number integer NOT NULL,
        key    text NOT NULL CHECK (length(key) BETWEEN 1 AND 100),
        value  text NOT NULL DEFAULT '',
        PRIMARY KEY (model, number, key),
        FOREIGN KEY (model, number) REFERENCES model_versions(model, number)
      )`);
    await q.query(`
      CREATE TABLE model_aliases (
        model       text NOT NULL REFERENCES models(id),
        alias       text NOT NULL CHECK (alias ~ '^[a-z][a-z0-9_-]{0,62}$'),
        number      integer NOT NULL,
        updated_by  text NOT NULL,
        update_time timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (model, alias),
        FOREIGN KEY (model, number) REFERENCES model_versions(model, number)
      )`);
    // The primary key already allows one row per (model, alias); this index states the production rule on
    // its own, so that it survives any later change of the key.
    await q.query(`CREATE UNIQUE INDEX model_aliases_one_production ON model_aliases (model) WHERE alias = 'production'`);
    await q.query(`
      CREATE TABLE artifact_reservations (
        key         text PRIMARY KEY,
        owner       text NOT NULL,
        state       text NOT NULL CHECK (state IN ('reserved', 'stored')),
        sha256      text,
        size        bigint,
        reserve_time timestamptz NOT NULL DEFAULT now(),
        CHECK (state = 'reserved' OR (sha256 IS NOT NULL AND size IS NOT NULL))
      )`);
    await q.query(`
      CREATE FUNCTION artifact_reservations_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
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
    await q.query(`
      CREATE TRIGGER artifact_reservations_immutable BEFORE UPDATE OR DELETE ON artifact_reservations
      FOR EACH ROW EXECUTE FUNCTION artifact_reservations_immutable()`);
    await q.query(`
      CREATE TABLE evaluations (
        id          text PRIMARY KEY,
        model       text NOT NULL REFERENCES models(id),
        candidate   integer NOT NULL,
        baseline    integer,
        dataset_id  text NOT NULL DEFAULT '',
        target      text NOT NULL DEFAULT '',
        state       text NOT NULL,
        report      jsonb,
        error       text,
        params      jsonb,
        progress    double precision NOT NULL DEFAULT 0,
        created_by  text NOT NULL,
        create_time timestamptz NOT NULL DEFAULT now(),
        update_time timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX evaluations_by_candidate ON evaluations (model, candidate, baseline, state, update_time DESC)');
    await q.query('CREATE INDEX evaluations_by_model ON evaluations (model, create_time DESC, id DESC)');
    await q.query(`
      CREATE TABLE audit_events (
        id           bigserial PRIMARY KEY,
        model        text NOT NULL,
        action       text NOT NULL,
        actor        text NOT NULL,
        alias        text,
        from_version integer,
        to_version   integer,
        reason       text NOT NULL DEFAULT '',
        outcome      text NOT NULL DEFAULT 'done',
        detail       jsonb,
        time         timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query('CREATE INDEX audit_events_by_model ON audit_events (model, id DESC)');
    await q.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await q.query(`
      CREATE TABLE gate_policies (
        model       text PRIMARY KEY REFERENCES models(id),
        policy      jsonb NOT NULL,
        updated_by  text NOT NULL,
        update_time timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['gate_policies', 'audit_events', 'evaluations', 'artifact_reservations', 'model_aliases', 'version_tags', 'model_versions', 'models']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
    await q.query('DROP FUNCTION IF EXISTS audit_events_append_only()');
    await q.query('DROP FUNCTION IF EXISTS artifact_reservations_immutable()');
  }
}
