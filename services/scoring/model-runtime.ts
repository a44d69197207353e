// The ONNX sessions of one serving version (onnxruntime-node, CPU) with the tensor plumbing of contract C:
// the user tower once per request, the item tower in batches when the item cache is built or filled, and
// the version's head where the architecture has one.
import * as ort from 'onnxruntime-node';
import type { FeatureLayout } from '../../ml/features/layout';

/** Session options for the hot path: one thread per session (the process serves many calls at once). */
const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
};

/** How an architecture turns the two towers' vectors into a score. */
export type HeadKind = 'dot' | 'age' | 'late';

/** The head kind of an architecture name (contract C). */
export function headKindOf(arch: string): HeadKind {
  if (arch === 'two-tower-mod') return 'age';
  if (arch === 'modified-two-tower') return 'late';
  return 'dot';
}

/** The ONNX sessions of a version. */
export class ModelRuntime {
  private constructor(
    readonly layout: FeatureLayout,
    readonly head: HeadKind,
    readonly dim: number,
    private readonly user: ort.InferenceSession,
    private readonly item: ort.InferenceSession,
    private readonly headSession: ort.InferenceSession | undefined,
  ) {}

  /** Creates the sessions from the version's files and finds the vector dimension with one item row. */
  static async load(files: { user: Buffer; item: Buffer; head?: Buffer }, arch: string, layout: FeatureLayout): Promise<ModelRuntime> {
    const head = headKindOf(arch);
    if (head !== 'dot' && !files.head) throw new Error(`architecture ${arch} needs head.onnx, which the version lacks`);
    const user = await ort.InferenceSession.create(files.user, SESSION_OPTIONS);
    const item = await ort.InferenceSession.create(files.item, SESSION_OPTIONS);
    const headSession = head === 'dot' ? undefined : await ort.InferenceSession.create(files.head!, SESSION_OPTIONS);
    const probe = await ModelRuntime.runItem(item, layout, new Int32Array(layout.itemCat.length), new Float32Array(layout.itemDenseDim), 1);
    return new ModelRuntime(layout, head, probe.length, user, item, headSession);
  }

  private static async runItem(s: ort.InferenceSession, layout: FeatureLayout, cat: Int32Array, dense: Float32Array, n: number): Promise<Float32Array> {
    const out = await s.run({
      item_cat: new ort.Tensor('int32', cat, [n, layout.itemCat.length]),
      item_dense: new ort.Tensor('float32', dense, [n, layout.itemDenseDim]),
    });
    return out.item_vec.data as Float32Array;
  }

  /** The user vector (dim floats) of one user row. */
  async userVector(userCat: Int32Array, userDense: Float32Array): Promise<Float32Array> {
    const out = await this.user.run({
      user_cat: new ort.Tensor('int32', userCat, [1, this.layout.userCat.length]),
      user_dense: new ort.Tensor('float32', userDense, [1, this.layout.userDenseDim]),
    });
    return out.user_vec.data as Float32Array;
  }

  /** Item vectors (n x dim, row-major) of n item rows. */
  itemVectors(itemCat: Int32Array, itemDense: Float32Array, n: number): Promise<Float32Array> {
    return ModelRuntime.runItem(this.item, this.layout, itemCat, itemDense, n);
  }

  /** two-tower-mod: the learned logit of item age, one per item (added to u . v). */
  async ageLogits(itemAge: Float32Array, n: number): Promise<Float32Array> {
    const out = await this.headSession!.run({ item_age: new ort.Tensor('float32', itemAge, [n, 1]) });
    return out.age_logit.data as Float32Array;
  }

  /** modified-two-tower: the late-interaction head over n (user, item) pairs. */
  async lateScores(userVec: Float32Array, itemVecs: Float32Array, userCat: Int32Array, n: number): Promise<Float32Array> {
    const d = this.dim;
    const c = this.layout.userCat.length;
    const users = new Float32Array(n * d);
    const cats = new Int32Array(n * c);
    for (let j = 0; j < n; j++) {
      users.set(userVec, j * d);
      cats.set(userCat, j * c);
    }
    const out = await this.headSession!.run({
      user_vec: new ort.Tensor('float32', users, [n, d]),
      item_vec: new ort.Tensor('float32', itemVecs, [n, d]),
      user_cat: new ort.Tensor('int32', cats, [n, c]),
    });
    return out.logit.data as Float32Array;
  }

  /** Frees the native sessions; the runtime must not be used afterwards. */
  async release(): Promise<void> {
    await Promise.allSettled([this.user.release(), this.item.release(), this.headSession?.release()]);
  }
}
