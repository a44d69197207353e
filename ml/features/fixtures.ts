// A synthetic dataset fixture for tests of training, evaluation and scoring: rows in the dataset layout with
// a planted, learnable signal, so a model that learns anything beats chance, and a duration bias in lengthS.
import { Rng, sigmoid } from '../data/rng';
import type { FeatureBatch, FeatureLayout, RowFacts } from './layout';
import { allocRows } from './shard';

/**
 * `n` rows over a small population (about n/20 users, n/10 items). Each user has a taste vector written into
 * its pos-mean embedding slot, each item a content vector written into its embedding slot; the label is
 * Bernoulli(sigmoid(4 * taste . content + 2 * (item_ctr - 0.5))), so it depends on user and item dense
 * features. Video length is lognormal (median 30 s); watch time grows with length but completion falls with
 * it (the duration bias). Rows are in time order over 5 days; the last 40% are held out, tagged by day (0..1).
 */
export function syntheticBatch(n: number, layout: FeatureLayout, seed: number): { batch: FeatureBatch; facts: RowFacts } {
  const rng = new Rng(seed);
  const dim = layout.embeddingDim;
  const nUsers = Math.max(4, Math.ceil(n / 20));
  const nItems = Math.max(8, Math.ceil(n / 10));
  const unit = (v: Float32Array) => {
    let s = 0;
    for (const x of v) s += x * x;
    const k = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let i = 0; i < v.length; i++) v[i] *= k;
    return v;
  };
  const taste = Array.from({ length: nUsers }, () => unit(Float32Array.from({ length: dim }, () => rng.normal())));
  const content = Array.from({ length: nItems }, () => unit(Float32Array.from({ length: dim }, () => rng.normal())));
  const itemCtr = Float32Array.from({ length: nItems }, () => rng.next());
  const itemLen = Float32Array.from({ length: nItems }, () => Math.exp(Math.log(30) + 0.8 * rng.normal()));
  const creator = Int32Array.from({ length: nItems }, () => 1 + rng.int(Math.max(1, Math.min(layout.itemCat[0]?.size ?? 2, 50) - 1)));
  const { batch, facts } = allocRows(n, layout);
  const t0 = Date.UTC(2024, 0, 1);
  const spanMs = 5 * 86_400_000;
  const trainEnd = Math.floor(0.6 * n);
  const uc = layout.userCat.length;
  const ic = layout.itemCat.length;
  for (let r = 0; r < n; r++) {
    const u = rng.int(nUsers);
    const i = rng.int(nItems);
    const ts = t0 + Math.floor((r / n) * spanMs);
    let dot = 0;
    for (let k = 0; k < dim; k++) dot += taste[u][k] * content[i][k];
    const p = sigmoid(4 * dot + 2 * (itemCtr[i] - 0.5));
    const y = rng.bernoulli(p) ? 1 : 0;
    const len = itemLen[i];
    // Completion falls with length (duration bias) and rises with the planted affinity.
    const pcc = Math.min(1.5, Math.max(0.01, (0.9 - 0.15 * Math.log(len / 10)) * (0.5 + p) + 0.1 * rng.normal()));
    const hours = new Date(ts).getUTCHours();
    batch.userCat[r * uc] = hours % (layout.userCat[0]?.size ?? 24);
    if (uc > 1) batch.userCat[r * uc + 1] = ((new Date(ts).getUTCDay() + 6) % 7) % layout.userCat[1].size;
    if (uc > 2) batch.userCat[r * uc + 2] = 1 + (u % Math.max(1, layout.userCat[2].size - 1));
    for (let k = 0; k < dim; k++) batch.userDense[r * layout.userDenseDim + k] = taste[u][k];
    for (let k = 2 * dim; k < layout.userDenseDim; k++) batch.userDense[r * layout.userDenseDim + k] = 0.5 + 0.1 * rng.normal();
    if (ic > 0) batch.itemCat[r * ic] = creator[i];
    for (let k = 0; k < dim; k++) batch.itemDense[r * layout.itemDenseDim + k] = content[i][k];
    for (let k = dim; k < layout.itemDenseDim; k++) batch.itemDense[r * layout.itemDenseDim + k] = itemCtr[i];
    batch.itemAge[r] = rng.next();
    facts.label[r] = y;
    facts.lengthS[r] = len;
    facts.pcc[r] = pcc;
    facts.timespentS[r] = pcc * len;
    facts.wtg[r] = y ? 0.5 + rng.next() : -0.5 - rng.next();
    facts.group[r] = len < 15 ? 0 : len < 30 ? 1 : len < 60 ? 2 : 3;
    facts.ts[r] = ts;
    facts.userIdx[r] = u;
    facts.itemIdx[r] = i;
    facts.day[r] = r < trainEnd ? -1 : r < trainEnd + Math.floor((n - trainEnd) / 2) ? 0 : 1;
  }
  return { batch, facts };
}
