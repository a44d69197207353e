// Model versions: registered once with immutable artifacts in the bucket (reserved, uploaded, then recorded, see
// registerVersion), tagged, and read back by name, number or tag with every artifact sha256-checked.
import type { Repository } from 'typeorm';
import type { Database } from './data-source';
import type { ArtifactStore } from './artifact-store';
import { ModelVersionEntity, type ModelVersionRow, type ArtifactRef } from './entities/model-version.entity';
import { DomainError, invalid, notFound } from '../core/errors';
import { mapPgError } from './pg-errors';
import { queryOn, withTransaction } from './transaction';
import { parseVersionRef } from '../core/names';
import type { Provenance } from '../core/provenance';
import { checkFileName, checkModelId, checkVersionName, versionPrefix } from './model-names';
import type { ModelStore } from './model-store';
import { insertAudit } from './audit-log';
import { CHANGES_CHANNEL } from './alias-store';
import type { ArtifactReservations } from './artifact-reservations';

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

/** Registering and reading versions and their artifacts. */
export interface VersionStore {
  /**
   * Registers a version atomically: every artifact stored and listed in its manifest.json, or no version
   * and no object left (what cannot be removed is named in the error). INVALID_ARGUMENT for a bad name, file
   * name or tag; NOT_FOUND for an unknown model; ALREADY_EXISTS for a name the model has already.
   */
  registerVersion(input: RegisterVersionInput): Promise<ModelVersion>;
  /**
   * A version by name, or by number (a number, or a string of digits: names are never all digits),
   * or `models/{model}/versions/{x}`. NOT_FOUND otherwise.
   */
  getVersion(model: string, nameOrNumber: string | number): Promise<ModelVersion>;
  /** Versions of a model, newest (highest number) first, below `before`, at most `limit`. */
  listVersions(model: string, opts: { before?: number; limit: number }): Promise<ModelVersion[]>;
  /** The versions of a model tagged `key=value` (such as the members of a seed group), in registration order. */
  versionsTagged(model: string, key: string, value: string): Promise<ModelVersion[]>;
  /** Reads one artifact of a version, verifying its sha256 (DATA_LOSS on a mismatch, NOT_FOUND naming the ones it has). */
  loadArtifact(v: ModelVersion, name: string): Promise<Buffer>;
  /** Reads every artifact of a version (manifest included), each verified. */
  loadAll(v: ModelVersion): Promise<Record<string, Buffer>>;
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

/** Versions in `model_versions` and `version_tags`, their files in the artifact store. */
export class PgVersionStore implements VersionStore {
  private readonly versions: Repository<ModelVersionRow>;

  constructor(private readonly db: Database, private readonly artifacts: ArtifactStore,
    private readonly models: Pick<ModelStore, 'getModel'>, private readonly reservations: ArtifactReservations) {
    this.versions = db.dataSource.getRepository(ModelVersionEntity);
  }

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

    const { number, prefix } = await withTransaction(this.db.pool, async (c) => {
      const m = await c.query<{ next_version: number }>('SELECT next_version FROM models WHERE id = $1 FOR UPDATE', [input.model]);
      if (m.rowCount === 0) throw notFound(`model "${input.model}" not found; create it with \`modelops models create ${input.model}\``);
      const dup = await c.query('SELECT number FROM model_versions WHERE model = $1 AND name = $2', [input.model, input.name]);
      if (dup.rowCount) throw new DomainError('ALREADY_EXISTS', `version "${input.name}" of model "${input.model}" exists already (number ${dup.rows[0].number}); choose another name`);
      const n = m.rows[0].next_version;
      await c.query('UPDATE models SET next_version = next_version + 1 WHERE id = $1', [input.model]);
      const p = versionPrefix(input.model, n);
      await this.reservations.reserve(c, p.slice(0, -1), [...input.files.map((f) => p + f.name), p + 'manifest.json']);
      return { number: n, prefix: p };
    });

    const uploaded: string[] = [];
    const refs: VersionArtifact[] = [];
    try {
      for (const f of input.files) {
        const stored = await this.reservations.upload(prefix + f.name, f.data);
        uploaded.push(stored.key);
        refs.push({ name: f.name, key: stored.key, sha256: stored.sha256, size: stored.size });
      }
      const manifest = {
        model: input.model, version: number, name: input.name,
        files: refs.map((r) => ({ name: r.name, sha256: r.sha256, size: r.size })),
      };
      const data = Buffer.from(JSON.stringify(manifest, null, 2));
      const m = await this.reservations.upload(prefix + 'manifest.json', data, 'application/json');
      uploaded.push(m.key);
      refs.push({ name: 'manifest.json', key: m.key, sha256: m.sha256, size: m.size });

      await withTransaction(this.db.pool, async (c) => {
        await this.reservations.markStored(c, refs);
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
        await insertAudit(queryOn(c), { model: input.model, action: 'register', actor: input.createdBy, toVersion: number, detail: { name: input.name } });
        await c.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, JSON.stringify({ model: input.model, kind: 'version' })]);
      });
    } catch (err) {
      const left = await this.reservations.cleanup(prefix, input.files.map((f) => prefix + f.name).concat(prefix + 'manifest.json'));
      const base = err instanceof DomainError ? err
        : new DomainError('UNAVAILABLE', `registering "${input.name}" failed while storing its artifacts (${(err as Error).message}); no version was registered, retry`);
      if (left.length === 0) throw base;
      throw new DomainError(base.code, `${base.message}; orphaned artifact keys left for \`orphans\` cleanup: ${left.join(', ')}`);
    }
    return this.getVersion(input.model, number);
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
      await this.models.getModel(model);
      throw notFound(`version "${nameOrNumber}" of model "${model}" not found; see \`modelops versions list ${model}\``);
    }
    return (await this.decorate([row]))[0];
  }

  /** Versions of a model, newest (highest number) first, below `before`, at most `limit`. */
  async listVersions(model: string, opts: { before?: number; limit: number }): Promise<ModelVersion[]> {
    await this.models.getModel(model);
    const q = this.versions.createQueryBuilder('v').where('v.model = :model', { model }).orderBy('v.number', 'DESC').take(opts.limit);
    if (opts.before !== undefined) q.andWhere('v.number < :before', { before: opts.before });
    return this.decorate(await q.getMany());
  }

  /** The versions of a model tagged `key=value` (such as the members of a seed group), in registration order. */
  async versionsTagged(model: string, key: string, value: string): Promise<ModelVersion[]> {
    await this.models.getModel(model);
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
}
