// The model specification: which architecture and task, over which feature layout, with which layer sizes.
// One spec is enough to rebuild the parameter layout, the TF.js forward pass, the fast training step and
// the ONNX graphs, so training, evaluation and scoring can never disagree about a model's shape.
import type { FeatureLayout } from '../features/layout';
import { invalid } from '../../core/errors';
import { archModel } from './arch';

/** The four architectures (ml/model/arch.ts holds what each adds to the towers). */
export const ARCHS = ['two-tower-base', 'two-tower-mod', 'two-tower-grl', 'modified-two-tower'] as const;
/** An architecture name. */
export type Arch = (typeof ARCHS)[number];
/** The two tasks: binary (BCE, AUC) and regression (MSE, MAE/RMSE). */
export const TASKS = ['binary', 'regression'] as const;
/** A task name. */
export type Task = (typeof TASKS)[number];

/** Everything that fixes a model's shape and its training objective (not the optimiser). */
export interface ModelSpec {
  arch: Arch;
  task: Task;
  layout: FeatureLayout;
  /** Width of every categorical embedding. */
  catDim: number;
  /** Hidden widths of each tower's expansion layers (ReLU). */
  hidden: number[];
  /** Width of the user and item vectors. */
  dim: number;
  /** Hidden width of the late-interaction head (modified-two-tower). */
  headHidden: number;
  /** Hidden width of the item-age head (two-tower-mod). */
  ageHidden: number;
  /** Hidden width of the adversarial length head (two-tower-grl). */
  advHidden: number;
  /** Weight of the adversarial length loss (two-tower-grl): loss = task + lambda * length loss. */
  grlLambda: number;
  /**
   * Learning-rate multiplier of the adversarial head (two-tower-grl). The head must keep up with the towers:
   * at the towers' rate the reversed gradient inflates the item vectors without bound (measured on a generated
   * dataset: the head's length MSE 2 -> 200 in 6 epochs, held-out AUC at chance); at 30x it stays near 1
   * (the variance of its standardised target) and the AUC stays close to two-tower-base's.
   */
  advLrMult: number;
  /** Standardisation of the GRL target log1p(length_s), from the training rows. */
  lengthMean: number;
  lengthStd: number;
}

/** Defaults for the sizes: the towers expand to 256 and 128 before a 64-wide vector. */
export const DEFAULT_SIZES = { catDim: 8, hidden: [256, 128], dim: 64, headHidden: 64, ageHidden: 16, advHidden: 32, grlLambda: 1, advLrMult: 30 };

/** Checks an architecture name. */
export function checkArch(value: string): Arch {
  if (!(ARCHS as readonly string[]).includes(value)) throw invalid(`arch: "${value}" is not one of ${ARCHS.join(', ')}`);
  return value as Arch;
}

/** Checks a task name. */
export function checkTask(value: string): Task {
  if (!(TASKS as readonly string[]).includes(value)) throw invalid(`task: "${value}" is not one of ${TASKS.join(', ')}`);
  return value as Task;
}

/** Builds a spec with the default sizes, overridden by `sizes`. */
export function makeSpec(arch: Arch, task: Task, layout: FeatureLayout, sizes: Partial<Omit<ModelSpec, 'arch' | 'task' | 'layout'>> = {}): ModelSpec {
  return { arch, task, layout, ...DEFAULT_SIZES, lengthMean: 0, lengthStd: 1, ...sizes };
}

/** True when the architecture has a head.onnx. */
export function hasHead(arch: Arch): boolean {
  return archModel(arch).headInputs.length > 0;
}

/** Input width of the user tower: one embedding per categorical column, then the dense inputs. */
export function userInWidth(s: ModelSpec): number {
  return s.layout.userCat.length * s.catDim + s.layout.userDenseDim;
}

/** Input width of the item tower. */
export function itemInWidth(s: ModelSpec): number {
  return s.layout.itemCat.length * s.catDim + s.layout.itemDenseDim;
}

/** Multiply-adds of the forward pass per example (towers and heads); FLOPs are twice this. */
export function forwardMacs(s: ModelSpec): number {
  const tower = (inW: number) => {
    let macs = 0;
    let w = inW;
    for (const h of [...s.hidden, s.dim]) {
      macs += w * h;
      w = h;
    }
    return macs;
  };
  const macs = tower(userInWidth(s)) + tower(itemInWidth(s)) + s.dim;
  return macs + archModel(s.arch).extraMacs(s);
}
