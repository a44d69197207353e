// OnnxModel (contract C): a version's ONNX towers and head loaded into onnxruntime-node, used by evaluation
// (scoreBatch) and scoring (userVectors once per request, cached item vectors, combine).
import * as ort from 'onnxruntime-node';
import type { FeatureBatch } from '../features/layout';
import { invalid } from '../../core/errors';
import { MODEL_FORMAT, type ModelMeta } from './model-meta';

/** A loaded model version. */
export class OnnxModel {
  private constructor(
    readonly meta: ModelMeta,
    private readonly user: ort.InferenceSession,
    private readonly item: ort.InferenceSession,
    private readonly head: ort.InferenceSession | undefined,
  ) {}

  /** Loads from a version's files by artifact name: model.json, user_tower.onnx, item_tower.onnx, head.onnx where needed. */
  static async load(files: Record<string, Buffer>): Promise<OnnxModel> {
    for (const f of ['model.json', 'user_tower.onnx', 'item_tower.onnx']) if (!files[f]) throw invalid(`model files: ${f} is missing`);
    const meta = JSON.parse(files['model.json'].toString('utf8')) as ModelMeta;
    if (meta.format !== MODEL_FORMAT) throw invalid(`model.json: format "${meta.format}" is not ${MODEL_FORMAT}`);
    if (meta.headInputs.length && !files['head.onnx']) throw invalid(`model files: head.onnx is missing for ${meta.arch}`);
    const opts: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1 };
    const [user, item, head] = await Promise.all([
      ort.InferenceSession.create(files['user_tower.onnx'], opts),
      ort.InferenceSession.create(files['item_tower.onnx'], opts),
      meta.headInputs.length ? ort.InferenceSession.create(files['head.onnx'], opts) : Promise.resolve(undefined),
    ]);
    return new OnnxModel(meta, user, item, head);
  }

  private async tower(s: ort.InferenceSession, name: 'user' | 'item', cat: Int32Array, dense: Float32Array, n: number): Promise<Float32Array> {
    const L = this.meta.layout;
    const nc = name === 'user' ? L.userCat.length : L.itemCat.length;
    const dd = name === 'user' ? L.userDenseDim : L.itemDenseDim;
    if (cat.length !== n * nc || dense.length !== n * dd) throw invalid(`${name} inputs: expected ${n} x ${nc} ids and ${n} x ${dd} floats`);
    if (n === 0) return new Float32Array(0);
    const out = await s.run({
      [`${name}_cat`]: new ort.Tensor('int32', cat, [n, nc]),
      [`${name}_dense`]: new ort.Tensor('float32', dense, [n, dd]),
    });
    return out[`${name}_vec`].data as Float32Array;
  }

  /** User vectors [n * dim] for n rows of user inputs. */
  userVectors(userCat: Int32Array, userDense: Float32Array, n: number): Promise<Float32Array> {
    return this.tower(this.user, 'user', userCat, userDense, n);
  }

  /** Item vectors [n * dim] for n rows of item inputs. */
  itemVectors(itemCat: Int32Array, itemDense: Float32Array, n: number): Promise<Float32Array> {
    return this.tower(this.item, 'item', itemCat, itemDense, n);
  }

  /**
   * Scores nItems (user, item) pairs from vectors. `userVec` is one user's vector (dim floats, used for every
   * item) or one per item (nItems * dim). `extra.itemAge` (nItems) is required by two-tower-mod,
   * `extra.userCat` (one row, or one per item) by modified-two-tower.
   */
  async combine(userVec: Float32Array, itemVecs: Float32Array, nItems: number, extra: { itemAge?: Float32Array; userCat?: Int32Array } = {}): Promise<Float32Array> {
    const d = this.meta.vectorDim;
    const perItem = userVec.length === nItems * d;
    if (!perItem && userVec.length !== d) throw invalid(`combine: userVec has ${userVec.length} floats; give ${d} or ${nItems} x ${d}`);
    if (itemVecs.length !== nItems * d) throw invalid(`combine: itemVecs has ${itemVecs.length} floats, expected ${nItems} x ${d}`);
    const score = new Float32Array(nItems);
    if (nItems === 0) return score;
    const arch = this.meta.arch;
    if (arch === 'modified-two-tower') {
      const nc = this.meta.layout.userCat.length;
      const cat = extra.userCat;
      if (!cat || (cat.length !== nc && cat.length !== nItems * nc)) throw invalid(`combine: modified-two-tower needs extra.userCat (${nc} ids, or ${nItems} x ${nc})`);
      const out = await this.head!.run({
        user_vec: new ort.Tensor('float32', perItem ? userVec : repeat(userVec, nItems), [nItems, d]),
        item_vec: new ort.Tensor('float32', itemVecs, [nItems, d]),
        user_cat: new ort.Tensor('int32', cat.length === nc && nItems > 1 ? repeat(cat, nItems) : cat, [nItems, nc]),
      });
      score.set(out.logit.data as Float32Array);
      return score;
    }
    for (let i = 0; i < nItems; i++) {
      let acc = 0;
      const uo = perItem ? i * d : 0;
      for (let k = 0; k < d; k++) acc += userVec[uo + k] * itemVecs[i * d + k];
      score[i] = acc;
    }
    if (arch === 'two-tower-mod') {
      if (!extra.itemAge || extra.itemAge.length !== nItems) throw invalid(`combine: two-tower-mod needs extra.itemAge (${nItems} values)`);
      const out = await this.head!.run({ item_age: new ort.Tensor('float32', extra.itemAge, [nItems, 1]) });
      const age = out.age_logit.data as Float32Array;
      for (let i = 0; i < nItems; i++) score[i] += age[i];
    }
    return score;
  }

  /** Scores every row of a batch (evaluation): the logit (binary) or the predicted value (regression). */
  async scoreBatch(batch: FeatureBatch): Promise<Float32Array> {
    const u = await this.userVectors(batch.userCat, batch.userDense, batch.n);
    const v = await this.itemVectors(batch.itemCat, batch.itemDense, batch.n);
    return this.combine(u, v, batch.n, { itemAge: batch.itemAge, userCat: batch.userCat });
  }

  /** Releases the sessions. */
  async release(): Promise<void> {
    await Promise.all([this.user.release(), this.item.release(), this.head?.release()]);
  }
}

function repeat<T extends Float32Array | Int32Array>(row: T, n: number): T {
  const Ctor = row.constructor as { new (len: number): T };
  const out = new Ctor(row.length * n);
  for (let i = 0; i < n; i++) out.set(row as never, i * row.length);
  return out;
}
