// Test fixtures for scoring: deterministic feature rows per id, an in-memory feature source and version
// source (for unit tests of the serving logic without a network), and the files of a test version.
import { layoutFor, type FeatureBatch, type FeatureLayout } from '../../ml/features/layout';
import { sha256Hex } from '../../registry/artifact-store';
import { notFound, DomainError } from '../../core/errors';
import type { FeatureSource, UserContext, VersionRef, VersionSource } from '../../services/scoring/sources';
import { buildTowers, rng } from './onnx-towers';

/** The layout of test models: 8-d content vectors (small, fast). */
export const TEST_LAYOUT: FeatureLayout = layoutFor(8);

function seedOf(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** A deterministic item row (creator bucket, dense features, normalised age) for an id. */
export function itemRow(id: string, layout = TEST_LAYOUT): { cat: Int32Array; dense: Float32Array; age: number } {
  const r = rng(seedOf(`item:${id}`));
  return {
    cat: Int32Array.from(layout.itemCat.map((c) => Math.floor(r() * c.size))),
    dense: Float32Array.from({ length: layout.itemDenseDim }, () => r()),
    age: r(),
  };
}

/** A deterministic user row; userCat's first two columns are the context's hod and dow. */
export function userRow(id: string, ctx: UserContext, layout = TEST_LAYOUT): { cat: Int32Array; dense: Float32Array } {
  const r = rng(seedOf(`user:${id}`));
  return {
    cat: Int32Array.from([ctx.hod, ctx.dow, Math.floor(r() * layout.userCat[2].size)]),
    dense: Float32Array.from({ length: layout.userDenseDim }, () => r()),
  };
}

/** The cold-start row of an unknown user (zeros besides the context). */
export function coldRow(ctx: UserContext, layout = TEST_LAYOUT): { cat: Int32Array; dense: Float32Array } {
  return { cat: Int32Array.from([ctx.hod, ctx.dow, 0]), dense: new Float32Array(layout.userDenseDim) };
}

function emptyBatch(n: number, layout: FeatureLayout): FeatureBatch {
  return {
    n, userCat: new Int32Array(n * layout.userCat.length), userDense: new Float32Array(n * layout.userDenseDim),
    itemCat: new Int32Array(n * layout.itemCat.length), itemDense: new Float32Array(n * layout.itemDenseDim), itemAge: new Float32Array(n),
  };
}

/** An in-memory feature store over known user and item ids. */
export class MemoryFeatures implements FeatureSource {
  readonly users = new Set<string>();
  readonly items = new Set<string>();
  userCalls = 0;
  itemCalls = 0;
  /** Added latency per lookup (to test deadlines). */
  delayMs = 0;
  /** When set, every lookup fails with it (a broken database). */
  failWith?: Error;
  /** Changes every item's rates when bumped (as a day of new views would); 0 gives itemRow's values. */
  itemEpoch = 0;

  constructor(readonly layout = TEST_LAYOUT) {}

  async userRows(userIds: string[], ctx: UserContext): Promise<{ batch: FeatureBatch; found: boolean[] }> {
    this.userCalls++;
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.failWith) throw this.failWith;
    const b = emptyBatch(userIds.length, this.layout);
    const found = userIds.map((id, i) => {
      const known = this.users.has(id);
      const row = known ? userRow(id, ctx, this.layout) : coldRow(ctx, this.layout);
      b.userCat.set(row.cat, i * this.layout.userCat.length);
      b.userDense.set(row.dense, i * this.layout.userDenseDim);
      return known;
    });
    return { batch: b, found };
  }

  async itemRows(itemIds: string[]): Promise<{ batch: FeatureBatch; found: boolean[] }> {
    this.itemCalls++;
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.failWith) throw this.failWith;
    const b = emptyBatch(itemIds.length, this.layout);
    const found = itemIds.map((id, i) => {
      if (!this.items.has(id)) return false;
      const row = itemRow(this.itemEpoch ? `${id}#${this.itemEpoch}` : id, this.layout);
      b.itemCat.set(row.cat, i * this.layout.itemCat.length);
      b.itemDense.set(row.dense, i * this.layout.itemDenseDim);
      b.itemAge[i] = row.age;
      return true;
    });
    return { batch: b, found };
  }
}

/** The files of a test version: towers (and head), model.json. */
export function versionFiles(opts: { seed: number; arch?: string; dim?: number; layout?: FeatureLayout; timezone?: string }): { name: string; data: Buffer }[] {
  const layout = opts.layout ?? TEST_LAYOUT;
  const arch = opts.arch ?? 'two-tower-base';
  const towers = buildTowers(layout, { dim: opts.dim ?? 16, seed: opts.seed, arch });
  const json = { arch, task: 'binary', layout, dim: opts.dim ?? 16, timezone: opts.timezone ?? 'Asia/Kolkata' };
  return [...Object.entries(towers).map(([name, data]) => ({ name, data })), { name: 'model.json', data: Buffer.from(JSON.stringify(json)) }];
}

/** An in-memory registry: versions with their files, a production pointer, sha256 checked on read. */
export class MemoryVersions implements VersionSource {
  readonly files = new Map<string, Buffer>();
  readonly refs: VersionRef[] = [];
  prod: number | undefined;
  models = new Set<string>();

  add(model: string, name: string, files: { name: string; data: Buffer }[], arch = 'two-tower-base'): VersionRef {
    this.models.add(model);
    const number = this.refs.filter((r) => r.model === model).length + 1;
    const artifacts = files.map((f) => {
      const key = `models/${model}/versions/${number}/${f.name}`;
      this.files.set(key, f.data);
      return { name: f.name, key, sha256: sha256Hex(f.data), size: f.data.length };
    });
    const ref: VersionRef = { model, number, name, arch, task: 'binary', datasetId: 'ds-test', artifacts };
    this.refs.push(ref);
    return ref;
  }

  async checkModel(model: string): Promise<void> {
    if (!this.models.has(model)) throw notFound(`model "${model}" not found`);
  }

  async production(model: string): Promise<VersionRef | undefined> {
    return this.refs.find((r) => r.model === model && r.number === this.prod);
  }

  async version(model: string, v: string | number): Promise<VersionRef> {
    const r = this.refs.find((x) => x.model === model && (x.number === v || x.name === v));
    if (!r) throw notFound(`version ${v} not found`);
    return r;
  }

  async loadArtifact(v: VersionRef, name: string): Promise<Buffer> {
    const a = v.artifacts.find((x) => x.name === name)!;
    const data = this.files.get(a.key)!;
    if (sha256Hex(data) !== a.sha256) throw new DomainError('DATA_LOSS', `artifact "${a.key}" is corrupted`);
    return data;
  }
}
