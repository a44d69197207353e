// Duration groups for reports: equal-frequency quantiles of video length over the evaluated rows.

/**
 * Duration groups by equal-frequency quantiles of video length: `k` groups with edges at the length quantiles
 * of the given rows; rows of unknown length get -1. Names read like "8.0-15.2s".
 */
export function lengthQuantileGroups(lengthS: ArrayLike<number>, k = 4): { group: Int32Array; names: string[]; edges: number[] } {
  const known = Float64Array.from(Array.prototype.filter.call(lengthS, (x: number) => Number.isFinite(x)) as number[]).sort();
  const group = new Int32Array(lengthS.length).fill(-1);
  if (known.length === 0) return { group, names: [], edges: [] };
  const edges: number[] = [];
  for (let j = 1; j < k; j++) {
    const e = known[Math.min(known.length - 1, Math.floor((j * known.length) / k))];
    if (edges.length === 0 || e > edges[edges.length - 1]) edges.push(e);
  }
  // Group g holds lengths in [edges[g-1], edges[g]); the first from the minimum, the last to the maximum.
  for (let i = 0; i < lengthS.length; i++) {
    const x = lengthS[i];
    if (!Number.isFinite(x)) continue;
    let g = 0;
    while (g < edges.length && x >= edges[g]) g++;
    group[i] = g;
  }
  const lo = [known[0], ...edges], hi = [...edges, known[known.length - 1]];
  const f = (x: number) => (Math.round(x * 10) / 10).toFixed(1);
  const names = lo.map((l, g) => (g === lo.length - 1 ? `${f(l)}-${f(hi[g])}s` : `${f(l)}-<${f(hi[g])}s`));
  return { group, names, edges };
}
