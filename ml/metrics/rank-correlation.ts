// Rank agreement between two rankings of the same items (Spearman's rho and Kendall's tau-b), in the metric
// library beside the ranking metrics: the rollout's shadow statistics compare a shadow version's ranking with
// the served one through topKCorrelation.

/** Average ranks (1-based) of values, ties sharing their mean rank. */
export function ranks(values: ArrayLike<number>): number[] {
  const idx = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && values[idx[j + 1]] === values[idx[i]]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[idx[k]] = r;
    i = j + 1;
  }
  return out;
}

/** Spearman's rho: Pearson correlation of the average ranks; NaN when either side is constant or n < 2. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const rx = ranks(x);
  const ry = ranks(y);
  const n = rx.length;
  if (n < 2) return NaN;
  const mx = rx.reduce((s, v) => s + v, 0) / n;
  const my = ry.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (rx[i] - mx) * (ry[i] - my);
    sxx += (rx[i] - mx) ** 2;
    syy += (ry[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Kendall's tau-b (ties corrected), O(n^2) for the small n of a top K; NaN when undefined. */
export function kendallTauB(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let concordant = 0;
  let discordant = 0;
  let tiesX = 0;
  let tiesY = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const dx = Math.sign(x[i] - x[j]);
      const dy = Math.sign(y[i] - y[j]);
      if (dx === 0 && dy === 0) continue;
      if (dx === 0) tiesX++;
      else if (dy === 0) tiesY++;
      else if (dx === dy) concordant++;
      else discordant++;
    }
  }
  const denom = Math.sqrt((concordant + discordant + tiesX) * (concordant + discordant + tiesY));
  return denom > 0 ? (concordant - discordant) / denom : NaN;
}

/**
 * Rank correlation of the served top K with the shadow's scores of the same items: x = minus the served
 * position (higher is better), y = the shadow score. Items the shadow did not score are left out.
 */
export function topKCorrelation(served: string[], shadowIds: string[], shadowScores: ArrayLike<number>, k: number): { spearman: number; kendall: number; n: number } {
  const score = new Map<string, number>();
  shadowIds.forEach((id, i) => score.set(id, shadowScores[i]));
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < Math.min(k, served.length); i++) {
    const s = score.get(served[i]);
    if (s === undefined) continue;
    x.push(-i);
    y.push(s);
  }
  return { spearman: spearman(x, y), kendall: kendallTauB(x, y), n: x.length };
}
