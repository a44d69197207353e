// One object per architecture: what each one adds to the two towers (parameters, FLOPs, how the score is formed
// from the ONNX outputs, what head.onnx takes). Everything outside ml/model asks this object instead of comparing
// architecture names, so a new architecture is one new entry here (plus its pieces in tf-model.ts, the trainer's
// step and the ONNX export, which look it up the same way).
import type { Arch, ModelSpec } from './spec';

/**
 * How an architecture turns the two towers' vectors into a score: `dot` is u . v; `age` adds a logit of the
 * item's age that depends on the item only (so serving caches it beside the item vector); `late` runs a head
 * over (u, v, user_cat) for every pair.
 */
export type HeadKind = 'dot' | 'age' | 'late';

/** What an architecture adds to the towers; see the entries of ARCH_MODELS. */
export interface ArchModel {
  /** The architecture's name (model.json "arch"). */
  readonly name: Arch;
  /** How the score is formed at inference. */
  readonly head: HeadKind;
  /** The inputs of head.onnx, empty when the architecture has none. */
  readonly headInputs: readonly string[];
  /** How the score is formed from the ONNX outputs, in words (model.json "score"). */
  readonly scoreText: string;
  /** True when training adds the adversarial length loss (and reports it per epoch). */
  readonly adversarial: boolean;
  /** Appends the parameters beyond the towers (name and shape), in their saved order. */
  extraParams(s: ModelSpec, add: (name: string, shape: number[]) => void): void;
  /** Multiply-adds per example beyond the towers and the dot product. */
  extraMacs(s: ModelSpec): number;
}

/** Width of the late-interaction head's input: u, v, u * v and the user's categorical embeddings. */
export function lateHeadInWidth(s: ModelSpec): number {
  return 3 * s.dim + s.layout.userCat.length * s.catDim;
}

function mlp2Params(prefix: string, inW: number, hidden: number, add: (name: string, shape: number[]) => void): void {
  add(`${prefix}.w0`, [inW, hidden]); add(`${prefix}.b0`, [hidden]);
  add(`${prefix}.w1`, [hidden, 1]); add(`${prefix}.b1`, [1]);
}

/** The four architectures, by name. */
export const ARCH_MODELS: Readonly<Record<Arch, ArchModel>> = {
  'two-tower-base': {
    name: 'two-tower-base', head: 'dot', headInputs: [], scoreText: 'u.v', adversarial: false,
    extraParams: () => undefined,
    extraMacs: () => 0,
  },
  'two-tower-mod': {
    name: 'two-tower-mod', head: 'age', headInputs: ['item_age'], scoreText: 'u.v + age_logit (head.onnx)', adversarial: false,
    extraParams: (s, add) => mlp2Params('age', 1, s.ageHidden, add),
    extraMacs: (s) => 2 * s.ageHidden,
  },
  'two-tower-grl': {
    name: 'two-tower-grl', head: 'dot', headInputs: [], scoreText: 'u.v', adversarial: true,
    extraParams: (s, add) => mlp2Params('adv', s.dim, s.advHidden, add),
    extraMacs: (s) => s.dim * s.advHidden + s.advHidden,
  },
  'modified-two-tower': {
    name: 'modified-two-tower', head: 'late', headInputs: ['user_vec', 'item_vec', 'user_cat'], scoreText: 'logit of head.onnx (includes u.v)',
    adversarial: false,
    extraParams: (s, add) => mlp2Params('head', lateHeadInWidth(s), s.headHidden, add),
    extraMacs: (s) => lateHeadInWidth(s) * s.headHidden + s.headHidden,
  },
};

/** The object of an architecture name; INVALID_ARGUMENT-style Error for an unknown one. */
export function archModel(name: string): ArchModel {
  const m = (ARCH_MODELS as Record<string, ArchModel | undefined>)[name];
  if (!m) throw new Error(`architecture "${name}" is not one of ${Object.keys(ARCH_MODELS).join(', ')}`);
  return m;
}
