// The plan of an experiment: the datasets, seed groups and evaluations its specification (spec.ts) needs, each
// once, and the names and scopes the runner and the report share (a row's comparison row, a claim's dataset and
// target, a seed group's version names).
import { SpecError, type ClaimSpec, type ExperimentSpec, type RowSpec } from './spec';

/** A dataset the experiment needs, by its build settings. */
export interface DatasetNeed {
  key: string;
  label: string;
  task: 'binary' | 'regression';
  buckets: string;
}

/** An evaluation the experiment needs: a seed group against another (or none) on a dataset and target. */
export interface EvaluationNeed {
  key: string;
  /** The row evaluated. */
  row: string;
  /** The row it is compared with (see ownAgainst; '' only in an experiment of one row). */
  against: string;
  dataset: string;
  target: string;
  /** Why: own, reference, or claim. */
  purpose: 'own' | 'reference' | 'claim';
}

/** What the runner makes. */
export interface Plan {
  datasets: DatasetNeed[];
  /** Per row, the keys of its training dataset. */
  trainOn: Record<string, string>;
  /**
   * Per row, the dataset of its own evaluation: its training dataset, or the reference dataset where that has the
   * row's label and buckets and only the task differs (a regression row's rows and binary target are the reference's:
   * the filters use the label's binary form), so one evaluation serves both.
   */
  evalOn: Record<string, string>;
  evaluations: EvaluationNeed[];
}

const dsKey = (label: string, task: string, buckets: string) => `${label}|${task}|${buckets}`;

/**
 * The row a row's own and reference evaluations compare it with: the baseline row; for the baseline row itself,
 * the first other row (an evaluation of a seed group needs a group to pair its seeds with; the report reads only the
 * baseline row's sanity comparisons from it).
 */
export function ownAgainst(spec: ExperimentSpec, row: string): string {
  if (row !== spec.baseline) return spec.baseline;
  return spec.rows.find((r) => r.name !== row)?.name ?? '';
}

/** The datasets, trainings and evaluations a specification needs, each once. */
export function planOf(spec: ExperimentSpec): Plan {
  const datasets = new Map<string, DatasetNeed>();
  const need = (label: string, task: 'binary' | 'regression', buckets: string) => {
    const key = dsKey(label, task, buckets);
    if (!datasets.has(key)) datasets.set(key, { key, label, task, buckets });
    return key;
  };
  const trainOn: Record<string, string> = {};
  for (const r of spec.rows) trainOn[r.name] = need(r.label, r.task, r.buckets);
  const ref = spec.evaluation.reference ? need(spec.evaluation.reference.label, spec.evaluation.reference.task, spec.evaluation.reference.buckets) : null;
  const evalOn: Record<string, string> = {};
  for (const r of spec.rows) {
    const same = ref && r.label === spec.evaluation.reference!.label && r.buckets === spec.evaluation.reference!.buckets;
    evalOn[r.name] = same ? ref : trainOn[r.name];
  }
  const evals = new Map<string, EvaluationNeed>();
  const add = (e: Omit<EvaluationNeed, 'key'>) => {
    const key = `${e.row}|${e.against}|${e.dataset}|${e.target}`;
    if (!evals.has(key)) evals.set(key, { key, ...e });
    return key;
  };
  for (const r of spec.rows) {
    const against = ownAgainst(spec, r.name);
    add({ row: r.name, against, dataset: evalOn[r.name], target: r.label, purpose: 'own' });
    if (ref && spec.evaluation.reference_for === 'all') add({ row: r.name, against, dataset: ref, target: spec.evaluation.reference!.label, purpose: 'reference' });
  }
  for (const r of spec.rows) {
    for (const c of r.claims) {
      if (c.expect === 'not-testable' || c.metrics.every((m) => m === 'training_seconds')) continue;
      const { dataset, target } = claimScope(spec, r, c, evalOn, ref);
      add({ row: r.name, against: c.against, dataset, target, purpose: 'claim' });
    }
  }
  return { datasets: [...datasets.values()], trainOn, evalOn, evaluations: [...evals.values()] };
}

/** The dataset key and target a claim is checked on. */
export function claimScope(spec: ExperimentSpec, r: RowSpec, c: ClaimSpec, evalOn: Record<string, string>, ref: string | null): { dataset: string; target: string } {
  if (c.target === 'reference') {
    if (!ref) throw new SpecError(`row ${r.name}: a claim uses target reference, but evaluation.reference is not set`);
    return { dataset: ref, target: spec.evaluation.reference!.label };
  }
  if (c.target === 'own') return { dataset: evalOn[r.name], target: r.label };
  return { dataset: evalOn[r.name], target: c.target };
}

/** The version names of a row's seed group: NAME, NAME-s2 ... NAME-sN. */
export function groupVersions(name: string, seeds: number): string[] {
  return Array.from({ length: seeds }, (_, i) => (i === 0 ? name : `${name}-s${i + 1}`));
}
