// The one ONNX runtime wrapper: a version's towers and head loaded into onnxruntime-node (CPU, one thread per
// session: a serving process runs many calls at once). Scoring runs the user tower once per request and the item
// tower in batches when its cache fills; evaluation scores held-out batches; both turn vectors into scores with
// the one score function (`score`/`scoreNow`, built on ml/model/score.ts), so they give the same numbers on the
// same rows.
import * as ort from 'onnxruntime-node';
import type { FeatureBatch, FeatureLayout } from '../features/layout';
import { invalid } from '../../core/errors';
import { servedArch, type ArchModel, type HeadKind } from './arch';
import { MODEL_FORMAT, type ModelMeta } from './model-meta';
import { dotScores, identityRows, pairScores } from './score';

/** Session options: one thread per session, since the process serves many calls at once. */
const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
};

/** The item side of scoring, computed once per item and cacheable: vectors and, for an `age` head, a bias per item. */
export interface ItemTerms {
  /** One row of `dim` floats per item. */
  vecs: Float32Array;
  /** One logit per item added to u . v (two-tower-mod's age term); undefined for other heads. */
  bias?: Float32Array;
}

/** The ONNX files of a version, by role. */
export interface TowerFiles {
  user: Buffer;
  item: Buffer;
  /** head.onnx, for the architectures that have one. */
  head?: Buffer;
}

/** A loaded model version. */
export class OnnxModel {
  private constructor(
    /** The architecture's object (how the score is formed). */
    readonly arch: ArchModel,
    /** The feature layout the towers take. */
    readonly layout: FeatureLayout,
    /** Width of the user and item vectors. */
    readonly dim: number,
    private readonly user: ort.InferenceSession,
    private readonly item: ort.InferenceSession,
    private readonly headSession: ort.InferenceSession | undefined,
    private readonly modelJson: ModelMeta | undefined,
  ) {}

  /** Loads from a version's files by artifact name: model.json, user_tower.onnx, item_tower.onnx, head.onnx where needed. */
  static async load(files: Record<string, Buffer>): Promise<OnnxModel> {
    for (const f of ['model.json', 'user_tower.onnx', 'item_tower.onnx']) if (!files[f]) throw invalid(`model files: ${f} is missing`);
    const meta = JSON.parse(files['model.json'].toString('utf8')) as ModelMeta;
    if (meta.format !== MODEL_FORMAT) throw invalid(`model.json: format "${meta.format}" is not ${MODEL_FORMAT}`);
    if (meta.headInputs.length && !files['head.onnx']) throw invalid(`model files: head.onnx is missing for ${meta.arch}`);
    return OnnxModel.open({ user: files['user_tower.onnx'], item: files['item_tower.onnx'], head: files['head.onnx'] }, meta.arch, meta.layout, meta);
  }

  /**
   * Opens towers (and head) whose architecture and layout the caller read elsewhere (serving reads model.json
   * leniently; an architecture name this library does not know is scored as u . v); the vector width is found
   * with one item row.
   */
  static async open(files: TowerFiles, arch: string, layout: FeatureLayout, meta?: ModelMeta): Promise<OnnxModel> {
    const a = servedArch(arch);
    const needsHead = a.headInputs.length > 0;
    if (needsHead && !files.head) throw new Error(`architecture ${arch} needs head.onnx, which the version lacks`);
    const [user, item, head] = await Promise.all([
      ort.InferenceSession.create(files.user, SESSION_OPTIONS),
      ort.InferenceSession.create(files.item, SESSION_OPTIONS),
      needsHead ? ort.InferenceSession.create(files.head!, SESSION_OPTIONS) : Promise.resolve(undefined),
    ]);
    try {
      const probe = await runTower(item, 'item', layout, new Int32Array(layout.itemCat.length), new Float32Array(layout.itemDenseDim), 1);
      return new OnnxModel(a, layout, probe.length, user, item, head, meta);
    } catch (err) {
      await Promise.allSettled([user.release(), item.release(), head?.release()]);
      throw err;
    }
  }

  /** model.json of a model loaded with `load` (a model opened from bare towers has none). */
  get meta(): ModelMeta {
    if (!this.modelJson) throw new Error('this model was opened from its towers without model.json');
    return this.modelJson;
  }

  /** How the architecture forms the score. */
  get head(): HeadKind {
    return this.arch.head;
  }

  /** True when items carry a bias term (an item-only head), which ItemTerms then hold. */
  get itemBias(): boolean {
    return this.arch.head === 'age';
  }

  /** True when scores come from vectors and item terms alone, synchronously (no per-pair head session). */
  get scoresNow(): boolean {
    return this.arch.head !== 'late';
  }

  private tower(s: ort.InferenceSession, name: 'user' | 'item', cat: Int32Array, dense: Float32Array, n: number): Promise<Float32Array> {
    const L = this.layout;
    const nc = name === 'user' ? L.userCat.length : L.itemCat.length;
    const dd = name === 'user' ? L.userDenseDim : L.itemDenseDim;
    if (cat.length !== n * nc || dense.length !== n * dd) throw invalid(`${name} inputs: expected ${n} x ${nc} ids and ${n} x ${dd} floats`);
    if (n === 0) return Promise.resolve(new Float32Array(0));
    return runTower(s, name, L, cat, dense, n);
  }

  /** User vectors [n * dim] for n rows of user inputs. */
  userVectors(userCat: Int32Array, userDense: Float32Array, n: number): Promise<Float32Array> {
    return this.tower(this.user, 'user', userCat, userDense, n);
  }

  /** The user vector (dim floats) of one user row: the once-per-request call of serving. */
  userVector(userCat: Int32Array, userDense: Float32Array): Promise<Float32Array> {
    return runTower(this.user, 'user', this.layout, userCat, userDense, 1);
  }

  /** Item vectors [n * dim] for n rows of item inputs. */
  itemVectors(itemCat: Int32Array, itemDense: Float32Array, n: number): Promise<Float32Array> {
    return this.tower(this.item, 'item', itemCat, itemDense, n);
  }

  /** The item terms of n items: their vectors and, for an item-only head, its logit of each item's age. */
  async itemTerms(itemCat: Int32Array, itemDense: Float32Array, itemAge: Float32Array, n: number): Promise<ItemTerms> {
    const vecs = await this.itemVectors(itemCat, itemDense, n);
    return { vecs, bias: await this.itemBiasOf(itemAge, n) };
  }

  private async itemBiasOf(itemAge: Float32Array | undefined, n: number): Promise<Float32Array | undefined> {
    if (!this.itemBias) return undefined;
    if (!itemAge || itemAge.length !== n) throw invalid(`combine: ${this.arch.name} needs extra.itemAge (${n} values)`);
    if (n === 0) return new Float32Array(0);
    const out = await this.headSession!.run({ item_age: new ort.Tensor('float32', itemAge, [n, 1]) });
    return out.age_logit.data as Float32Array;
  }

  /**
   * The one score function, synchronous form: scores of `m` pairs, user . items.vecs[rows[j]] + items.bias[rows[j]],
   * into `out`. `user` is one user's vector (dim floats) or one per pair (m * dim). Only for a model whose
   * `scoresNow` is true (the late head needs its session: use `score`).
   */
  scoreNow(user: Float32Array, items: ItemTerms, rows: Int32Array, m: number, out: Float32Array): Float32Array {
    if (!this.scoresNow) throw new Error(`${this.arch.name} scores through its head; use score()`);
    if (user.length === this.dim) return dotScores(user, items.vecs, this.dim, rows, m, out, items.bias);
    return pairScores(user, items.vecs, this.dim, rows, m, out, items.bias);
  }

  /**
   * The one score function: scores of `m` pairs (see scoreNow); the late head also takes the user's categorical
   * ids (one row, or one per pair) and runs head.onnx over the gathered item vectors.
   */
  async score(user: Float32Array, userCat: Int32Array, items: ItemTerms, rows: Int32Array, m: number, out = new Float32Array(m)): Promise<Float32Array> {
    if (this.scoresNow) return this.scoreNow(user, items, rows, m, out);
    if (m === 0) return out;
    const d = this.dim;
    const nc = this.layout.userCat.length;
    if (userCat.length !== nc && userCat.length !== m * nc) throw invalid(`combine: ${this.arch.name} needs extra.userCat (${nc} ids, or ${m} x ${nc})`);
    let gathered = items.vecs;
    if (!isIdentity(rows, m, items.vecs.length / d)) {
      gathered = new Float32Array(m * d);
      for (let j = 0; j < m; j++) gathered.set(items.vecs.subarray(rows[j] * d, (rows[j] + 1) * d), j * d);
    }
    const result = await this.headSession!.run({
      user_vec: new ort.Tensor('float32', user.length === d ? repeat(user, m) : user, [m, d]),
      item_vec: new ort.Tensor('float32', gathered, [m, d]),
      user_cat: new ort.Tensor('int32', userCat.length === nc && m > 1 ? repeat(userCat, m) : userCat, [m, nc]),
    });
    out.set(result.logit.data as Float32Array);
    return out;
  }

  /**
   * Scores nItems (user, item) pairs from vectors. `userVec` is one user's vector (dim floats, used for every
   * item) or one per item (nItems * dim). `extra.itemAge` (nItems) is required by two-tower-mod,
   * `extra.userCat` (one row, or one per item) by modified-two-tower.
   */
  async combine(userVec: Float32Array, itemVecs: Float32Array, nItems: number, extra: { itemAge?: Float32Array; userCat?: Int32Array } = {}): Promise<Float32Array> {
    const d = this.dim;
    if (userVec.length !== d && userVec.length !== nItems * d) throw invalid(`combine: userVec has ${userVec.length} floats; give ${d} or ${nItems} x ${d}`);
    if (itemVecs.length !== nItems * d) throw invalid(`combine: itemVecs has ${itemVecs.length} floats, expected ${nItems} x ${d}`);
    if (nItems === 0) return new Float32Array(0);
    if (!this.scoresNow && !extra.userCat) throw invalid(`combine: ${this.arch.name} needs extra.userCat (${this.layout.userCat.length} ids, or ${nItems} x ${this.layout.userCat.length})`);
    const items: ItemTerms = { vecs: itemVecs, bias: await this.itemBiasOf(extra.itemAge, nItems) };
    return this.score(userVec, extra.userCat ?? new Int32Array(0), items, identityRows(nItems), nItems);
  }

  /** Scores every row of a batch (evaluation): the logit (binary) or the predicted value (regression). */
  async scoreBatch(batch: FeatureBatch): Promise<Float32Array> {
    const u = await this.userVectors(batch.userCat, batch.userDense, batch.n);
    const v = await this.itemVectors(batch.itemCat, batch.itemDense, batch.n);
    return this.combine(u, v, batch.n, { itemAge: batch.itemAge, userCat: batch.userCat });
  }

  /** Releases the sessions; the model must not be used afterwards. */
  async release(): Promise<void> {
    await Promise.allSettled([this.user.release(), this.item.release(), this.headSession?.release()]);
  }
}

async function runTower(s: ort.InferenceSession, name: 'user' | 'item', L: FeatureLayout, cat: Int32Array, dense: Float32Array, n: number): Promise<Float32Array> {
  const out = await s.run({
    [`${name}_cat`]: new ort.Tensor('int32', cat, [n, name === 'user' ? L.userCat.length : L.itemCat.length]),
    [`${name}_dense`]: new ort.Tensor('float32', dense, [n, name === 'user' ? L.userDenseDim : L.itemDenseDim]),
  });
  return out[`${name}_vec`].data as Float32Array;
}

function isIdentity(rows: Int32Array, m: number, count: number): boolean {
  if (m !== count) return false;
  for (let j = 0; j < m; j++) if (rows[j] !== j) return false;
  return true;
}

function repeat<T extends Float32Array | Int32Array>(row: T, n: number): T {
  const Ctor = row.constructor as { new (len: number): T };
  const out = new Ctor(row.length * n);
  for (let i = 0; i < n; i++) out.set(row as never, i * row.length);
  return out;
}
