// One object per architecture: the two towers plus what the architecture adds to them, its head (heads/): its
// parameters, FLOPs, TF.js forward and loss terms, the trainer's forward and backward pieces, its head.onnx, and
// how serving forms the score from the ONNX outputs. Everything else (tf-model.ts, ml/train/step.ts, the ONNX
// export, the ONNX wrapper, serving) asks this object instead of comparing architecture names, so a new
// architecture is one new entry here.
import type { Arch, ModelSpec } from './spec';
import type { Params } from './params';
import type { HeadParts } from './heads/parts';
import { ageHead } from './heads/age';
import { lateHead } from './heads/late';
import { adversarialHead } from './heads/adversarial';

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
  /** What the architecture adds to the towers (parameters, forward, step pieces, head.onnx); none for base. */
  readonly parts?: HeadParts;
  /** Appends the parameters beyond the towers (name and shape), in their saved order. */
  extraParams(s: ModelSpec, add: (name: string, shape: number[]) => void): void;
  /** Multiply-adds per example beyond the towers and the dot product. */
  extraMacs(s: ModelSpec): number;
  /** head.onnx of trained parameters, or undefined when the architecture has none. */
  onnxHead?(p: Params): Buffer;
}

function withHead(m: Omit<ArchModel, 'extraParams' | 'extraMacs' | 'onnxHead'>): ArchModel {
  const parts = m.parts;
  return {
    ...m,
    extraParams: (s, add) => parts?.params(s, add),
    extraMacs: (s) => parts?.macs(s) ?? 0,
    onnxHead: parts?.onnxHead,
  };
}

/** The four architectures, by name. */
export const ARCH_MODELS: Readonly<Record<Arch, ArchModel>> = {
  'two-tower-base': withHead({ name: 'two-tower-base', head: 'dot', headInputs: [], scoreText: 'u.v', adversarial: false }),
  'two-tower-mod': withHead({
    name: 'two-tower-mod', head: 'age', headInputs: ['item_age'], scoreText: 'u.v + age_logit (head.onnx)', adversarial: false, parts: ageHead,
  }),
  'two-tower-grl': withHead({ name: 'two-tower-grl', head: 'dot', headInputs: [], scoreText: 'u.v', adversarial: true, parts: adversarialHead }),
  'modified-two-tower': withHead({
    name: 'modified-two-tower', head: 'late', headInputs: ['user_vec', 'item_vec', 'user_cat'], scoreText: 'logit of head.onnx (includes u.v)',
    adversarial: false, parts: lateHead,
  }),
};

/** The object of an architecture name; throws for an unknown name (a bug or a foreign model.json, not user input). */
export function archModel(name: string): ArchModel {
  const m = (ARCH_MODELS as Record<string, ArchModel | undefined>)[name];
  if (!m) throw new Error(`architecture "${name}" is not one of ${Object.keys(ARCH_MODELS).join(', ')}`);
  return m;
}

/**
 * The object that serves a version whose model.json names `name`: its own, or for a name this library does not
 * know (a version registered by hand with its own towers), the plain u . v of two-tower-base, which is what the
 * towers' contract alone supports.
 */
export function servedArch(name: string): ArchModel {
  return (ARCH_MODELS as Record<string, ArchModel | undefined>)[name] ?? ARCH_MODELS['two-tower-base'];
}
