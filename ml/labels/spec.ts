// Label and bucket specifications as `--label`, `--task` and `--buckets` take them (docs/design.md, "Labels").

/** The label kinds. */
export const LABELS = ['wtg', 'wtg:pcc', 'wtg-quantile', 'p90', 'pcc98'] as const;
export type LabelKind = (typeof LABELS)[number];
export type Task = 'binary' | 'regression';

/** A parsed bucket scheme. */
export type BucketScheme =
  | { kind: 'fixed'; widthS: number; spec: string }
  | { kind: 'equi-quantile'; k: number; spec: string }
  | { kind: 'item'; fallbackK: number; spec: string };

/** The default bucket scheme. */
export const DEFAULT_BUCKETS = 'equi-quantile:10';

/** Parses a label name; throws naming the accepted ones. */
export function parseLabel(label: string): LabelKind {
  if (!(LABELS as readonly string[]).includes(label)) throw new Error(`label: "${label}" is not one of ${LABELS.join(', ')}`);
  return label as LabelKind;
}

/** Parses a task; throws naming the accepted ones. */
export function parseTask(task: string): Task {
  if (task !== 'binary' && task !== 'regression') throw new Error(`task: "${task}" is not binary or regression`);
  return task;
}

/** Parses `fixed-1s | fixed-5s | equi-quantile:K | item` (item falls back to equi-quantile:10). */
export function parseBuckets(spec: string): BucketScheme {
  if (spec === 'fixed-1s') return { kind: 'fixed', widthS: 1, spec };
  if (spec === 'fixed-5s') return { kind: 'fixed', widthS: 5, spec };
  if (spec === 'item') return { kind: 'item', fallbackK: 10, spec };
  const m = /^equi-quantile(?::(\d{1,4}))?$/.exec(spec);
  if (m) {
    const k = m[1] ? Number(m[1]) : 10;
    if (k < 1 || k > 1000) throw new Error(`buckets: equi-quantile:K needs 1 <= K <= 1000, got ${k}`);
    return { kind: 'equi-quantile', k, spec: `equi-quantile:${k}` };
  }
  throw new Error(`buckets: "${spec}" is not one of fixed-1s, fixed-5s, equi-quantile:K, item`);
}
