// Labels of a view from its watch time, length and duration group (docs/design.md, "Labels"):
// WTG = (timespent - mean_g) / std_g (binary: WTG > 0); wtg:pcc is the same on completion; wtg-quantile (D2Q)
// is the watch time's quantile within the group (binary: > 0.5); p90 / pcc98 are completion >= 0.9 / 0.98
// (regression: the completion itself).
import { QUANTILE_POINTS, type DurationGroups } from './groups';
import type { LabelKind, Task } from './spec';

/** Completion thresholds of the completion labels. */
export const P90 = 0.9;
export const PCC98 = 0.98;

/** The quantile (0..1) of `x` given ascending quantile points at 0, 1/(P-1), ..., 1 (ties take their middle). */
export function quantileOf(points: ArrayLike<number>, x: number): number {
  const p = points.length;
  let lo = 0;
  while (lo < p && points[lo] < x) lo++;
  let hi = lo;
  while (hi < p && points[hi] === x) hi++;
  if (hi > lo) return ((lo + hi - 1) / 2) / (p - 1);
  if (lo === 0) return 0;
  if (lo === p) return 1;
  const a = points[lo - 1];
  const b = points[lo];
  return (lo - 1 + (x - a) / (b - a)) / (p - 1);
}

/** The WTG of a watch time in group g. */
export function wtgOf(groups: DurationGroups, g: number, timespentS: number): number {
  const s = groups.stats[g];
  return (timespentS - s.mean) / s.std;
}

/** The label value of one view (NaN when its length or group is unknown). */
export function labelOf(kind: LabelKind, task: Task, groups: DurationGroups, g: number, lengthS: number, timespentS: number): number {
  if (g < 0 || !(lengthS > 0)) return Number.NaN;
  const pcc = timespentS / lengthS;
  let v: number;
  let binary: boolean;
  switch (kind) {
    case 'wtg': v = wtgOf(groups, g, timespentS); binary = v > 0; break;
    case 'wtg:pcc': { const s = groups.pccStats[g]; v = (pcc - s.mean) / s.std; binary = v > 0; break; }
    case 'wtg-quantile': v = quantileOf(groups.quantiles[g], timespentS); binary = v > 0.5; break;
    case 'p90': v = pcc; binary = pcc >= P90; break;
    case 'pcc98': v = pcc; binary = pcc >= PCC98; break;
  }
  return task === 'binary' ? (binary ? 1 : 0) : v;
}

export { QUANTILE_POINTS };
