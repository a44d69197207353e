// The registry store: models, versions with immutable artifacts, aliases, tags, evaluations, audit events
// and gate policies, in Postgres, with artifacts in the bucket. ORM rows never leave this file: callers get
// the plain domain objects below. Policy (the promotion gate, promote/rollback) lives in promotion.ts and
// uses `withModelLock` to serialise changes of one model.
import { parseVersionRef, versionName } from '../core/names';
import type { PoolClient } from 'pg';
import type { Repository } from 'typeorm';
import type { Database } from './data-source';
import { checkKey, sha256Hex, type ArtifactStore } from './artifact-store';
import { ModelEntity, type ModelRow } from './entities/model.entity';
import { ModelVersionEntity, type ModelVersionRow, type ArtifactRef } from './entities/model-version.entity';
import { EvaluationEntity, type EvaluationRow } from './entities/evaluation.entity';
import { DomainError, invalid, notFound } from '../core/errors';
import { mapPgError } from './pg-errors';
import { withTransaction } from './transaction';
import type { Provenance } from '../core/provenance';

/** The NOTIFY channel of every production, alias, rollout or version change. */
export const CHANGES_CHANNEL = 'modelops_changes';

/** What changed, as sent on CHANGES_CHANNEL. */
export interface ChangeEvent {
  model: string;
  kind: 'alias' | 'rollout' | 'version';
}

/** A model: one per market. */
export interface Model {
  id: string;
  description: string;
  createdBy: string;
  createTime: Date;
}

/** One stored file of a version. */
export type VersionArtifact = ArtifactRef;

/** A declared input of an external ONNX model. */
export interface InputSpec {
  name: string;
  /** ONNX element type: float32, int32, int64, ... */
  dtype: string;
  /** Dimensions; -1 (or a symbolic name) is dynamic. */
  shape: (number | string)[];
}

/** A registered version; its artifacts are all stored and listed in its manifest.json. */
export interface ModelVersion {
  model: string;
  number: number;
  name: string;
  arch: string;
  task: string;
  label: string;
  buckets: string;
  datasetId: string;
  hyperparameters: Record<string, unknown>;
  trainingMetrics: Record<string, number>;
  parity: Record<string, unknown> | null;
  backend: string;
  dataWindow: string;
  artifacts: VersionArtifact[];
  createdBy: string;
  createTime: Date;
  state: string;
  /** `trained` (by the platform) or `external` (an ONNX file brought from another tool). */
  source: string;
  /** The declared inputs of an external model; null for trained ones (their signature is the Model artifacts seam's). */
  inputSignature: InputSpec[] | null;
  /** Free key/value tags, stored verbatim. */
  tags: Record<string, string>;
  /** The aliases pointing at this version now. */
  aliases: string[];
  /** The code, datasets, seeds and full specification the version was made from; null for versions registered before it was recorded. */
  provenance: Provenance | null;
}

/** What registerVersion takes. */
export interface RegisterVersionInput {
  model: string;
  name: string;
  arch: string;
  task: string;
  label: string;
  buckets: string;
  datasetId: string;
  hyperparameters: object;
  trainingMetrics: Record<string, number>;
  parity: object | null;
  backend: string;
  dataWindow: string;
  files: { name: string; data: Buffer }[];
  createdBy: string;
  tags?: Record<string, string>;
  source?: 'trained' | 'external';
  inputSignature?: InputSpec[] | null;
  /** What the version was made from (core/provenance.ts); absent means none recorded. */
  provenance?: Provenance | null;
}

/** An evaluation record (the evaluation service owns its meaning; the registry stores it). */
export interface EvaluationRecord {
  id: string;
  model: string;
  candidate: number;
  baseline: number | null;
  datasetId: string;
  target: string;
  /** Lower case: `pending`, `running`, `succeeded`, `failed`, `cancelled` (the gate reads `succeeded`). */
  state: string;
  report: Record<string, unknown> | null;
  error?: string | null;
  params?: Record<string, unknown> | null;
  progress?: number;
  createdBy: string;
  createTime?: Date;
  updateTime?: Date;
}

/** What identifies the evaluation a promotion gate reads. */
export interface GateEvaluationQuery {
  candidate: number;
  baseline: number;
  datasetId: string;
  target: string;
  /** `viewed` or `catalog`; an evaluation made with `both` serves either. */
  protocol: string;
  /** Only seed-group evaluations (`params.group` set), for a gate policy with min_seeds. */
  group?: boolean;
}

/** States the gate accepts as a finished, usable evaluation. */
export const COMPLETED_EVALUATION_STATES = ['succeeded', 'completed', 'done'];

/** An alias and the version it points at. */
export interface AliasInfo {
  alias: string;
  number: number;
  versionName: string;
  updatedBy: string;
  updateTime: Date;
}

/**
 * Every action the audit log records (a closed set: writers are typed by it, and a filter naming another is
 * refused). The rollout store writes the `rollout-*` ones.
 */
export const AUDIT_ACTIONS = [
  'model-create', 'register', 'promote', 'rollback', 'alias-set', 'alias-delete', 'gate-set',
  'rollout-start', 'rollout-ramp', 'rollout-stop', 'rollout-guardrail-stop',
  'version-delete', 'evaluation-delete', 'dataset-delete', 'gc',
] as const;

/** One action of AUDIT_ACTIONS. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One audit event. */
export interface AuditEvent {
  id: string;
  model: string;
  /**
   * What happened: `promote` (a refused or no-op one says so in `outcome`), `rollback`, `alias-set`, `alias-delete`,
   * `register`, `gate-set`, `model-create`, and the rollout store's `rollout-start`, `rollout-ramp`, `rollout-stop`,
   * `rollout-guardrail-stop`, and retention's `version-delete`, `evaluation-delete`, `dataset-delete` and `gc` (AUDIT_ACTIONS;
   * the last two are platform-wide, recorded under the empty model id).
   */
  action: string;
  actor: string;
  alias: string | null;
  fromVersion: number | null;
  toVersion: number | null;
  reason: string;
  /** `done`, `refused`, `forced` or `no-op`. */
  outcome: string;
  detail: Record<string, unknown> | null;
  time: Date;
}

/** The audit event to append (id and time are the database's). */
export type NewAuditEvent = Omit<AuditEvent, 'id' | 'time' | 'action' | 'fromVersion' | 'toVersion' | 'alias' | 'detail' | 'reason' | 'outcome'>
  & { action: AuditAction } & Partial<Pick<AuditEvent, 'fromVersion' | 'toVersion' | 'alias' | 'detail' | 'reason' | 'outcome'>>;

/** A stored gate policy. */
export interface StoredGatePolicy {
  policy: Record<string, unknown>;
  updatedBy: string;
  updateTime: Date;
}

/** The operations available inside `withModelLock`: one transaction holding the model's row lock. */
export interface ModelTx {
  /** The locked model's id. */
  readonly model: string;
  /** Raw SQL in the transaction. */
  query<R extends object = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** The version an alias points at, or undefined. */
  aliasOf(alias: string): Promise<number | undefined>;
  /** Points an alias at a version (creating or moving it). */
  setAlias(alias: string, number: number, actor: string): Promise<void>;
  /** Removes an alias; false when it did not exist. */
  deleteAlias(alias: string): Promise<boolean>;
  /** Appends an audit event. */
  audit(e: Omit<NewAuditEvent, 'model'>): Promise<void>;
  /** Announces a change on CHANGES_CHANNEL at commit. */
  notify(kind: ChangeEvent['kind']): Promise<void>;
}

const MODEL_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const ALIAS = /^[a-z][a-z0-9_-]{0,62}$/;
const MAX_NAME = 200;

/** Checks a model id (it becomes part of artifact keys, so it is restricted). */
export function checkModelId(id: string): string {
  if (!MODEL_ID.test(id ?? '')) {
    throw invalid(`model: "${id}" is not a model id; use 1-63 lower-case letters, digits, "-" or "_", starting with a letter or digit (e.g. feed-ranker-hi)`);
  }
  return id;
}

/** Checks an alias name. */
export function checkAlias(alias: string): string {
  if (!ALIAS.test(alias ?? '')) throw invalid(`alias: "${alias}" is not an alias name; use 1-63 lower-case letters, digits, "-" or "_", starting with a letter`);
  return alias;
}

/** Checks a version name: any text (stored verbatim, never used in a key) of 1-200 characters without NUL. */
export function checkVersionName(name: string): string {
  if (!name) throw invalid('name: a version name is required (e.g. prod-wtg-2)');
  if ([...name].length > MAX_NAME) throw invalid(`name: ${[...name].length} characters given, at most ${MAX_NAME} allowed`);
  if (name.includes('\0')) throw invalid('name: NUL characters are not allowed');
  if (/^\d+$/.test(name)) throw invalid(`name: "${name}" is all digits, which reads as a version number; add a letter`);
  return name;
}

/** The key prefix of a version's artifacts: models/{model}/versions/{number}/ (the number, never the name). */
export function versionPrefix(model: string, number: number): string {
  return `${versionName(checkModelId(model), number)}/`;
}

function checkFileName(name: string): string {
  // A file name is a relative path inside the version's prefix (tfjs/weights.bin is fine, ../x is not).
  if (!name || name.startsWith('/') || name.includes('\0') || name.includes('\\')
    || name.split('/').some((p) => p === '' || p === '.' || p === '..')) {
    throw invalid(`files: "${name}" is not a clean relative file name (no "..", no leading "/")`);
  }
  if (name === 'manifest.json') throw invalid('files: "manifest.json" is written by the registry; do not pass it');
  return name;
}

function toModel(r: ModelRow): Model {
  return { id: r.id, description: r.description, createdBy: r.createdBy, createTime: r.createTime };
}

function toVersion(r: ModelVersionRow, tags: Record<string, string>, aliases: string[]): ModelVersion {
  return {
    model: r.model, number: r.number, name: r.name, arch: r.arch, task: r.task, label: r.label, buckets: r.buckets,
    datasetId: r.datasetId, hyperparameters: r.hyperparameters ?? {}, trainingMetrics: r.trainingMetrics ?? {},
    parity: r.parity, backend: r.backend, dataWindow: r.dataWindow, artifacts: r.artifacts ?? [], createdBy: r.createdBy,
    createTime: r.createTime, state: r.state, source: r.source, inputSignature: (r.inputSignature as InputSpec[] | null) ?? null,
    tags, aliases, provenance: (r.provenance as Provenance | null) ?? null,
  };
}

function toEvaluation(r: EvaluationRow): EvaluationRecord {
  return {
    id: r.id, model: r.model, candidate: r.candidate, baseline: r.baseline, datasetId: r.datasetId, target: r.target,
    state: r.state, report: r.report, error: r.error, params: r.params, progress: r.progress, createdBy: r.createdBy,
    createTime: r.createTime, updateTime: r.updateTime,
  };
}

interface AuditSqlRow {
  id: string; model: string; action: string; actor: string; alias: string | null; from_version: number | null;
  to_version: number | null; reason: string; outcome: string; detail: Record<string, unknown> | null; time: Date;
}

function toAudit(r: AuditSqlRow): AuditEvent {
  return { id: String(r.id), model: r.model, action: r.action, actor: r.actor, alias: r.alias, fromVersion: r.from_version,
    toVersion: r.to_version, reason: r.reason, outcome: r.outcome, detail: r.detail, time: r.time };
}

/** The registry's persistence: Postgres for records, the artifact store for files. */
export class RegistryStore {
  private readonly models: Repository<ModelRow>;
  private readonly versions: Repository<ModelVersionRow>;
  private readonly evaluations: Repository<EvaluationRow>;

  constructor(private readonly db: Database, private readonly artifacts: ArtifactStore) {
    this.models = db.dataSource.getRepository(ModelEntity);
    this.versions = db.dataSource.getRepository(ModelVersionEntity);
    this.evaluations = db.dataSource.getRepository(EvaluationEntity);
  }

  /** Runs `fn` in one transaction on a pooled client; rolls back on any error. */
  private tx<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    return withTransaction(this.db.pool, fn);
  }

  // ---- models ----

  /** Creates a model; ALREADY_EXISTS when the id is taken. */
  async createModel(input: { id: string; description?: string; createdBy: string }): Promise<Model> {
    checkModelId(input.id);
    const description = input.description ?? '';
    if (description.length > 1000) throw invalid(`description: ${description.length} characters given, at most 1000 allowed`);
    return this.tx(async (c) => {
      let created: Date;
      try {
        const r = await c.query<{ create_time: Date }>('INSERT INTO models (id, description, created_by) VALUES ($1, $2, $3) RETURNING create_time',
          [input.id, description, input.createdBy]);
        created = r.rows[0].create_time;
      } catch (err) {
        throw mapPgError(err, { unique: `model "${input.id}" already exists` });
      }
      await c.query(`INSERT INTO audit_events (model, action, actor, reason) VALUES ($1, 'model-create', $2, '')`, [input.id, input.createdBy]);
      return { id: input.id, description, createdBy: input.createdBy, createTime: created };
    });
  }

  /** The model with this id; NOT_FOUND otherwise. */
  async getModel(id: string): Promise<Model> {
    checkModelId(id);
    const row = await this.models.findOneBy({ id });
    if (!row) throw notFound(`model "${id}" not found; create it with \`modelops models create ${id}\``);
    return toModel(row);
  }

  /** Models by id, after `after`, at most `limit`. */
  async listModels(opts: { after?: string; limit: number }): Promise<Model[]> {
    const q = this.models.createQueryBuilder('m').orderBy('m.id', 'ASC').take(opts.limit);
    if (opts.after !== undefined) q.where('m.id > :after', { after: opts.after });
    return (await q.getMany()).map(toModel);
  }

  // ---- versions ----

  /**
   * Registers a version atomically. (1) In one transaction: lock the model, take the next number (never
   * reused), reserve every key `models/{model}/versions/{n}/{file}` and the manifest's. (2) Upload the files,
   * then manifest.json with each file's sha256. (3) In one transaction: mark the keys stored (immutable from
   * then on) and insert the version row. On any failure no version row exists; uploaded objects and
   * reservations are removed, and what cannot be removed is named in the error (and by `orphans()`).
   */
  async registerVersion(input: RegisterVersionInput): Promise<ModelVersion> {
    checkModelId(input.model);
    checkVersionName(input.name);
    if (!input.files?.length) throw invalid('files: a version needs at least one artifact');
    const seen = new Set<string>();
    for (const f of input.files) {
      checkFileName(f.name);
      if (seen.has(f.name)) throw invalid(`files: "${f.name}" is given twice`);
      seen.add(f.name);
    }
    const tags = input.tags ?? {};
    for (const k of Object.keys(tags)) {
      if (!k || [...k].length > 100 || k.includes('\0') || String(tags[k]).includes('\0')) {
        throw invalid(`tags: key "${k}" must be 1-100 characters without NUL`);
      }
    }

    const { number, prefix } = await this.tx(async (c) => {
      const m = await c.query<{ next_version: number }>('SELECT next_version FROM models WHERE id = $1 FOR UPDATE', [input.model]);
      if (m.rowCount === 0) throw notFound(`model "${input.model}" not found; create it with \`modelops models create ${input.model}\``);
      const dup = await c.query('SELECT number FROM model_versions WHERE model = $1 AND name = $2', [input.model, input.name]);
      if (dup.rowCount) throw new DomainError('ALREADY_EXISTS', `version "${input.name}" of model "${input.model}" exists already (number ${dup.rows[0].number}); choose another name`);
      const n = m.rows[0].next_version;
      await c.query('UPDATE models SET next_version = next_version + 1 WHERE id = $1', [input.model]);
      const p = versionPrefix(input.model, n);
      const keys = [...input.files.map((f) => p + f.name), p + 'manifest.json'];
      for (const k of keys) checkKey(k);
      try {
        await c.query(`INSERT INTO artifact_reservations (key, owner, state) SELECT unnest($1::text[]), $2, 'reserved'`,
          [keys, p.slice(0, -1)]);
      } catch (err) {
        throw mapPgError(err, { unique: `artifact keys under ${p} are taken already; artifacts are immutable` });
      }
      return { number: n, prefix: p };
    });

    const uploaded: string[] = [];
    const refs: VersionArtifact[] = [];
    try {
      for (const f of input.files) {
        const stored = await this.upload(prefix + f.name, f.data);
        uploaded.push(stored.key);
        refs.push({ name: f.name, key: stored.key, sha256: stored.sha256, size: stored.size });
      }
      const manifest = {
        model: input.model, version: number, name: input.name,
        files: refs.map((r) => ({ name: r.name, sha256: r.sha256, size: r.size })),
      };
      const data = Buffer.from(JSON.stringify(manifest, null, 2));
      const m = await this.upload(prefix + 'manifest.json', data, 'application/json');
      uploaded.push(m.key);
      refs.push({ name: 'manifest.json', key: m.key, sha256: m.sha256, size: m.size });

      await this.tx(async (c) => {
        for (const r of refs) {
          await c.query(`UPDATE artifact_reservations SET state = 'stored', sha256 = $2, size = $3 WHERE key = $1 AND state = 'reserved'`,
            [r.key, r.sha256, r.size]);
        }
        try {
          await c.query(`
            INSERT INTO model_versions (model, number, name, arch, task, label, buckets, dataset_id, hyperparameters,
              training_metrics, parity, backend, data_window, source, input_signature, artifacts, created_by, state, provenance)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 'ready', $18)`,
          [input.model, number, input.name, input.arch ?? '', input.task ?? '', input.label ?? '', input.buckets ?? '',
            input.datasetId ?? '', JSON.stringify(input.hyperparameters ?? {}), JSON.stringify(input.trainingMetrics ?? {}),
            input.parity === null || input.parity === undefined ? null : JSON.stringify(input.parity), input.backend ?? '',
            input.dataWindow ?? '', input.source ?? 'trained',
            input.inputSignature ? JSON.stringify(input.inputSignature) : null, JSON.stringify(refs), input.createdBy,
            input.provenance ? JSON.stringify(input.provenance) : null]);
        } catch (err) {
          throw mapPgError(err, { unique: `version "${input.name}" of model "${input.model}" exists already; choose another name` });
        }
        for (const [k, v] of Object.entries(tags)) {
          await c.query('INSERT INTO version_tags (model, number, key, value) VALUES ($1, $2, $3, $4)', [input.model, number, k, String(v)]);
        }
        await c.query(`INSERT INTO audit_events (model, action, actor, to_version, detail) VALUES ($1, 'register', $2, $3, $4)`,
          [input.model, input.createdBy, number, JSON.stringify({ name: input.name })]);
        await c.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, JSON.stringify({ model: input.model, kind: 'version' })]);
      });
    } catch (err) {
      const left = await this.cleanup(prefix, input.files.map((f) => prefix + f.name).concat(prefix + 'manifest.json'));
      const base = err instanceof DomainError ? err
        : new DomainError('UNAVAILABLE', `registering "${input.name}" failed while storing its artifacts (${(err as Error).message}); no version was registered, retry`);
      if (left.length === 0) throw base;
      throw new DomainError(base.code, `${base.message}; orphaned artifact keys left for \`orphans\` cleanup: ${left.join(', ')}`);
    }
    return this.getVersion(input.model, number);
  }

  private async upload(key: string, data: Buffer, contentType?: string): Promise<{ key: string; sha256: string; size: number }> {
    const stored = await this.artifacts.put(key, data, contentType);
    // The store hashes what it sent; check it against our own hash of the buffer as well.
    const sha = sha256Hex(data);
    if (stored.sha256 !== sha) throw new DomainError('DATA_LOSS', `artifact "${key}": the store reports sha256 ${stored.sha256}, expected ${sha}`);
    return { key, sha256: sha, size: data.length };
  }

  /** Removes the objects and reservations of a failed registration; returns the keys it could not remove. */
  private async cleanup(prefix: string, keys: string[]): Promise<string[]> {
    const left: string[] = [];
    for (const k of keys) {
      try {
        await this.artifacts.remove(k);
      } catch {
        if (await this.artifacts.exists(k).catch(() => true)) left.push(k);
      }
    }
    try {
      await this.db.pool.query(`DELETE FROM artifact_reservations WHERE owner = $1 AND state = 'reserved' AND NOT (key = ANY($2::text[]))`,
        [prefix.slice(0, -1), left]);
    } catch {
      // The reservations stay as 'reserved' and are listed by orphans(); nothing else depends on them.
    }
    return left;
  }

  /** Reserved-but-never-stored keys older than `olderThanMs`: left by a crash or a failed cleanup. */
  async orphans(olderThanMs = 60 * 60 * 1000): Promise<{ key: string; owner: string; reserveTime: Date }[]> {
    const r = await this.db.pool.query<{ key: string; owner: string; reserve_time: Date }>(
      `SELECT key, owner, reserve_time FROM artifact_reservations
       WHERE state = 'reserved' AND reserve_time < now() - ($1::double precision * interval '1 millisecond') ORDER BY key`, [olderThanMs]);
    return r.rows.map((x) => ({ key: x.key, owner: x.owner, reserveTime: x.reserve_time }));
  }

  /** Removes the objects and reservations of orphans older than `olderThanMs`; returns the keys removed. */
  async cleanupOrphans(olderThanMs = 60 * 60 * 1000): Promise<string[]> {
    const done: string[] = [];
    for (const o of await this.orphans(olderThanMs)) {
      try {
        await this.artifacts.remove(o.key);
        await this.db.pool.query(`DELETE FROM artifact_reservations WHERE key = $1 AND state = 'reserved'`, [o.key]);
        done.push(o.key);
      } catch {
        // left for the next run
      }
    }
    return done;
  }

  private async decorate(rows: ModelVersionRow[]): Promise<ModelVersion[]> {
    if (rows.length === 0) return [];
    const model = rows[0].model;
    const numbers = rows.map((r) => r.number);
    const [tags, aliases] = await Promise.all([
      this.db.pool.query<{ number: number; key: string; value: string }>(
        'SELECT number, key, value FROM version_tags WHERE model = $1 AND number = ANY($2::int[]) ORDER BY key', [model, numbers]),
      this.db.pool.query<{ number: number; alias: string }>(
        'SELECT number, alias FROM model_aliases WHERE model = $1 AND number = ANY($2::int[]) ORDER BY alias', [model, numbers]),
    ]);
    return rows.map((r) => {
      const t: Record<string, string> = {};
      for (const x of tags.rows) if (x.number === r.number) t[x.key] = x.value;
      return toVersion(r, t, aliases.rows.filter((a) => a.number === r.number).map((a) => a.alias));
    });
  }

  /**
   * A version by name, or by number (a number, or a string of digits: names are never all digits),
   * or `models/{model}/versions/{x}`. NOT_FOUND otherwise.
   */
  async getVersion(model: string, nameOrNumber: string | number): Promise<ModelVersion> {
    checkModelId(model);
    let ref: string | number = nameOrNumber;
    if (typeof ref === 'string') {
      ref = parseVersionRef(model, ref);
      if (/^\d{1,9}$/.test(ref)) ref = Number(ref);
    }
    const row = typeof ref === 'number'
      ? await this.versions.findOneBy({ model, number: ref })
      : await this.versions.findOneBy({ model, name: ref });
    if (!row) {
      await this.getModel(model);
      throw notFound(`version "${nameOrNumber}" of model "${model}" not found; see \`modelops versions list ${model}\``);
    }
    return (await this.decorate([row]))[0];
  }

  /** Versions of a model, newest (highest number) first, below `before`, at most `limit`. */
  async listVersions(model: string, opts: { before?: number; limit: number }): Promise<ModelVersion[]> {
    await this.getModel(model);
    const q = this.versions.createQueryBuilder('v').where('v.model = :model', { model }).orderBy('v.number', 'DESC').take(opts.limit);
    if (opts.before !== undefined) q.andWhere('v.number < :before', { before: opts.before });
    return this.decorate(await q.getMany());
  }

  /** The versions of a model tagged `key=value` (such as the members of a seed group), in registration order. */
  async versionsTagged(model: string, key: string, value: string): Promise<ModelVersion[]> {
    await this.getModel(model);
    const numbers = (await this.db.pool.query<{ number: number }>(
      'SELECT number FROM version_tags WHERE model = $1 AND key = $2 AND value = $3 ORDER BY number', [model, key, value])).rows.map((r) => r.number);
    if (numbers.length === 0) return [];
    const rows = await this.versions.createQueryBuilder('v').where('v.model = :model', { model }).andWhere('v.number IN (:...numbers)', { numbers })
      .orderBy('v.number', 'ASC').getMany();
    return this.decorate(rows);
  }

  /** Reads one artifact of a version, verifying its sha256 (DATA_LOSS on a mismatch). */
  async loadArtifact(v: ModelVersion, name: string): Promise<Buffer> {
    const ref = v.artifacts.find((a) => a.name === name);
    if (!ref) {
      throw notFound(`version "${v.name}" of model "${v.model}" has no artifact "${name}"; it has ${v.artifacts.map((a) => a.name).join(', ')}`);
    }
    return this.artifacts.get(ref.key, ref.sha256);
  }

  /** Reads every artifact of a version (manifest included), each verified. */
  async loadAll(v: ModelVersion): Promise<Record<string, Buffer>> {
    const out: Record<string, Buffer> = {};
    for (const a of v.artifacts) out[a.name] = await this.artifacts.get(a.key, a.sha256);
    return out;
  }

  // ---- aliases ----

  /** The version an alias points at, or undefined. */
  async resolveAlias(model: string, alias: string): Promise<ModelVersion | undefined> {
    const r = await this.db.pool.query<{ number: number }>('SELECT number FROM model_aliases WHERE model = $1 AND alias = $2', [model, alias]);
    if (r.rowCount === 0) return undefined;
    return this.getVersion(model, r.rows[0].number);
  }

  /** Every alias of a model. */
  async listAliases(model: string): Promise<AliasInfo[]> {
    return (await this.aliasesOf([model])).get(model) ?? [];
  }

  /** The aliases of several models in one query, by model. */
  async aliasesOf(models: string[]): Promise<Map<string, AliasInfo[]>> {
    const r = await this.db.pool.query<{ model: string; alias: string; number: number; name: string; updated_by: string; update_time: Date }>(
      `SELECT a.model, a.alias, a.number, v.name, a.updated_by, a.update_time FROM model_aliases a
       JOIN model_versions v ON v.model = a.model AND v.number = a.number WHERE a.model = ANY($1::text[]) ORDER BY a.model, a.alias`, [models]);
    const out = new Map<string, AliasInfo[]>();
    for (const x of r.rows) {
      if (!out.has(x.model)) out.set(x.model, []);
      out.get(x.model)!.push({ alias: x.alias, number: x.number, versionName: x.name, updatedBy: x.updated_by, updateTime: x.update_time });
    }
    return out;
  }

  /**
   * Runs `fn` in one transaction holding the model's row lock (SELECT ... FOR UPDATE), so that promotes,
   * rollbacks and alias changes of one model run one at a time; NOT_FOUND for an unknown model.
   */
  async withModelLock<T>(model: string, fn: (tx: ModelTx) => Promise<T>): Promise<T> {
    checkModelId(model);
    return this.tx(async (c) => {
      const m = await c.query('SELECT id FROM models WHERE id = $1 FOR UPDATE', [model]);
      if (m.rowCount === 0) throw notFound(`model "${model}" not found; create it with \`modelops models create ${model}\``);
      const t: ModelTx = {
        model,
        query: async <R extends object>(sql: string, params?: unknown[]) => (await c.query(sql, params)).rows as R[],
        aliasOf: async (alias) => {
          const r = await c.query<{ number: number }>('SELECT number FROM model_aliases WHERE model = $1 AND alias = $2', [model, alias]);
          return r.rows[0]?.number;
        },
        setAlias: async (alias, number, actor) => {
          checkAlias(alias);
          try {
            await c.query(`
              INSERT INTO model_aliases (model, alias, number, updated_by, update_time) VALUES ($1, $2, $3, $4, now())
              ON CONFLICT (model, alias) DO UPDATE SET number = EXCLUDED.number, updated_by = EXCLUDED.updated_by, update_time = now()`,
            [model, alias, number, actor]);
          } catch (err) {
            throw mapPgError(err, { foreignKey: `version ${number} of model "${model}" not found` });
          }
        },
        deleteAlias: async (alias) => (await c.query('DELETE FROM model_aliases WHERE model = $1 AND alias = $2', [model, alias])).rowCount! > 0,
        audit: async (e) => {
          await c.query(`
            INSERT INTO audit_events (model, action, actor, alias, from_version, to_version, reason, outcome, detail)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [model, e.action, e.actor, e.alias ?? null, e.fromVersion ?? null, e.toVersion ?? null, e.reason ?? '', e.outcome ?? 'done',
            e.detail ? JSON.stringify(e.detail) : null]);
        },
        notify: async (kind) => {
          await c.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, JSON.stringify({ model, kind })]);
        },
      };
      return fn(t);
    });
  }

  /** Appends an audit event outside a model lock (for refusals, whose transaction must not roll it back). */
  async appendAudit(e: NewAuditEvent): Promise<void> {
    await this.db.pool.query(`
      INSERT INTO audit_events (model, action, actor, alias, from_version, to_version, reason, outcome, detail)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [e.model, e.action, e.actor, e.alias ?? null, e.fromVersion ?? null, e.toVersion ?? null, e.reason ?? '', e.outcome ?? 'done',
      e.detail ? JSON.stringify(e.detail) : null]);
  }

  /**
   * Audit events of a model, newest first, with id below `before`, at most `limit`; optionally only `actions`.
   * The empty model id lists the platform-wide events (deleted datasets, garbage collections).
   */
  async listAudit(model: string, opts: { before?: string; limit: number; actions?: string[] }): Promise<AuditEvent[]> {
    // A misspelt action would silently list nothing: refuse it and name the set.
    for (const a of opts.actions ?? []) {
      if (!(AUDIT_ACTIONS as readonly string[]).includes(a)) throw invalid(`actions: "${a}" is not an audit action; use one of ${AUDIT_ACTIONS.join(', ')}`);
    }
    if (model !== '') await this.getModel(model);
    const params: unknown[] = [model, opts.limit];
    let where = 'model = $1';
    if (opts.before !== undefined) {
      params.push(opts.before);
      where += ` AND id < $${params.length}`;
    }
    if (opts.actions?.length) {
      params.push(opts.actions);
      where += ` AND action = ANY($${params.length}::text[])`;
    }
    const r = await this.db.pool.query<AuditSqlRow>(`SELECT * FROM audit_events WHERE ${where} ORDER BY id DESC LIMIT $2`, params);
    return r.rows.map(toAudit);
  }

  // ---- gate policies ----

  /** The stored gate policy of a model, or undefined (the default applies). */
  async getGatePolicy(model: string): Promise<StoredGatePolicy | undefined> {
    await this.getModel(model);
    const r = await this.db.pool.query<{ policy: Record<string, unknown>; updated_by: string; update_time: Date }>(
      'SELECT policy, updated_by, update_time FROM gate_policies WHERE model = $1', [model]);
    const x = r.rows[0];
    return x ? { policy: x.policy, updatedBy: x.updated_by, updateTime: x.update_time } : undefined;
  }

  /** Stores a model's gate policy (already validated by the caller) and audits it. */
  async setGatePolicy(model: string, policy: Record<string, unknown>, actor: string): Promise<StoredGatePolicy> {
    return this.withModelLock(model, async (t) => {
      await t.query(`
        INSERT INTO gate_policies (model, policy, updated_by, update_time) VALUES ($1, $2, $3, now())
        ON CONFLICT (model) DO UPDATE SET policy = EXCLUDED.policy, updated_by = EXCLUDED.updated_by, update_time = now()`,
      [model, JSON.stringify(policy), actor]);
      await t.audit({ action: 'gate-set', actor, detail: { policy } });
      return { policy, updatedBy: actor, updateTime: new Date() };
    });
  }

  // ---- evaluations ----

  /** Creates or updates an evaluation record (by id). */
  async saveEvaluation(e: EvaluationRecord): Promise<void> {
    try {
      await this.db.pool.query(`
        INSERT INTO evaluations (id, model, candidate, baseline, dataset_id, target, state, report, error, params, progress, created_by)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
        ON CONFLICT (id) DO UPDATE SET baseline = EXCLUDED.baseline, dataset_id = EXCLUDED.dataset_id, target = EXCLUDED.target,
          state = EXCLUDED.state, report = EXCLUDED.report, error = EXCLUDED.error,
          params = COALESCE(EXCLUDED.params, evaluations.params), progress = EXCLUDED.progress, update_time = now()`,
      [e.id, e.model, e.candidate, e.baseline, e.datasetId ?? '', e.target ?? '', e.state, e.report ? JSON.stringify(e.report) : null,
        e.error ?? null, e.params ? JSON.stringify(e.params) : null, e.progress ?? 0, e.createdBy]);
    } catch (err) {
      throw mapPgError(err, { foreignKey: `model "${e.model}" not found` });
    }
  }

  /** One evaluation; NOT_FOUND otherwise. */
  async getEvaluation(id: string): Promise<EvaluationRecord> {
    const row = await this.evaluations.findOneBy({ id });
    if (!row) throw notFound(`evaluation "${id}" not found; list a model's evaluations with \`modelops evaluations list <model>\``);
    return toEvaluation(row);
  }

  /** Evaluations of a model, newest first, after the keyset `after` ([create time ISO, id]), at most `limit`. */
  async listEvaluations(model: string, filter: { candidate?: number; state?: string },
    page: { after?: [string, string]; limit: number }): Promise<EvaluationRecord[]> {
    const q = this.evaluations.createQueryBuilder('e').where('e.model = :model', { model })
      .orderBy('e.create_time', 'DESC').addOrderBy('e.id', 'DESC').take(page.limit);
    if (filter.candidate !== undefined) q.andWhere('e.candidate = :c', { c: filter.candidate });
    if (filter.state) q.andWhere('e.state = :s', { s: filter.state });
    // The token's time is a JS Date (ms) but Postgres keeps µs: compare with the last row's exact time, looked up
    // by its id, so rows created within the same millisecond are neither skipped nor repeated.
    if (page.after) {
      q.andWhere('(e.create_time, e.id) < (COALESCE((SELECT x.create_time FROM evaluations x WHERE x.id = :id), CAST(:at AS timestamptz)), :id)',
        { at: page.after[0], id: page.after[1] });
    }
    return (await q.getMany()).map(toEvaluation);
  }

  /** Runs SQL in `via` (a transaction such as withModelLock's: never wait for a pool client while holding a lock) or on the pool. */
  private async rows<R extends object>(via: Pick<ModelTx, 'query'> | undefined, sql: string, params: unknown[]): Promise<R[]> {
    return via ? via.query<R>(sql, params) : (await this.db.pool.query(sql, params)).rows as R[];
  }

  /** The newest completed evaluation of `candidate` against `baseline` (of any target, protocol or dataset), or undefined. */
  async latestCompletedEvaluation(model: string, candidate: number, baseline: number, via?: Pick<ModelTx, 'query'>): Promise<{ id: string; report: Record<string, unknown>; datasetId: string; target: string; params: Record<string, unknown> | null; updateTime: Date } | undefined> {
    const r = await this.rows<{ id: string; report: Record<string, unknown>; dataset_id: string; target: string; params: Record<string, unknown> | null; update_time: Date }>(via, `
      SELECT id, report, dataset_id, target, params, update_time FROM evaluations
      WHERE model = $1 AND candidate = $2 AND baseline = $3 AND lower(state) = ANY($4::text[]) AND report IS NOT NULL
      ORDER BY update_time DESC, create_time DESC LIMIT 1`, [model, candidate, baseline, COMPLETED_EVALUATION_STATES]);
    const x = r[0];
    return x ? { id: x.id, report: x.report, datasetId: x.dataset_id, target: x.target, params: x.params, updateTime: x.update_time } : undefined;
  }

  /**
   * The newest completed evaluation that a gate may read: of `candidate` against `baseline`, on `datasetId`
   * (with or without the `datasets/` prefix), of `target`, made with `protocol` or with both protocols
   * (`params.protocol`; an evaluation without one is a viewed one, made before protocols existed).
   */
  async latestGateEvaluation(model: string, q: GateEvaluationQuery, via?: Pick<ModelTx, 'query'>): Promise<EvaluationRecord | undefined> {
    const r = await this.rows<EvaluationRow>(via, `
      SELECT id, model, candidate, baseline, dataset_id AS "datasetId", target, state, report, error, params, progress,
        created_by AS "createdBy", create_time AS "createTime", update_time AS "updateTime"
      FROM evaluations
      WHERE model = $1 AND candidate = $2 AND baseline = $3 AND lower(state) = ANY($4::text[]) AND report IS NOT NULL
        AND regexp_replace(dataset_id, '^datasets/', '') = $5 AND target = $6
        AND COALESCE(NULLIF(params->>'protocol', ''), 'viewed') = ANY($7::text[])
        AND (NOT $8::boolean OR COALESCE(params->>'group', '') <> '')
      ORDER BY update_time DESC, create_time DESC LIMIT 1`,
    [model, q.candidate, q.baseline, COMPLETED_EVALUATION_STATES, q.datasetId.replace(/^datasets\//, ''), q.target, [q.protocol, 'both'], !!q.group]);
    return r[0] ? toEvaluation(r[0]) : undefined;
  }

  /** The label a dataset was built with (`spec.label` of the datasets table), or undefined for an unknown dataset. */
  async datasetLabel(id: string): Promise<string | undefined> {
    const r = await this.db.pool.query<{ label: string | null }>(`SELECT spec->>'label' AS label FROM datasets WHERE id = $1`,
      [id.replace(/^datasets\//, '')]);
    return r.rows[0]?.label || undefined;
  }
}
