// Sanity baselines: trivial scorers ranked on the very lists a candidate is ranked on, so that a report says
// whether a model beats "random", "most viewed", "highest prior rate", "shortest first" and "longest first".
// Every one is a pure function of (user, day, item) and the training part's counts, so an outside tool can
// recompute its scores from an export (the export writes them as columns).

/** The sanity baselines, in report order. */
export const SANITY_NAMES = ['random', 'popular', 'item_prior', 'shortest', 'longest'] as const;

/** The name of a sanity baseline. */
export type SanityName = (typeof SANITY_NAMES)[number];

/** Pseudo-counts of the item prior: an item's rate is pulled toward the global rate as if it had this many more views. */
export const PRIOR_STRENGTH = 20;

/** The seed of the `random` baseline (fixed: a rerun ranks the same way). */
export const RANDOM_SEED = 42;

/** Where a scorer puts candidates of unknown length (shortest/longest): below every known one. */
export const UNKNOWN_LENGTH_SCORE = -1e30;

/** Per item, what the training part says: views and relevant views under the evaluation's target. */
export interface ItemPriors {
  /** Training views per item index (after the dataset's filters: the rows of the train shards). */
  views: Float64Array;
  /** Training views with a defined target label per item index (the prior's denominator). */
  labeled: Float64Array;
  /** Training views with target label 1 per item index. */
  positives: Float64Array;
  /** Relevant training views / labelled training views (0 without any). */
  globalRate: number;
}

/** Counts training views and relevant views per item; `rel[i]` is NaN where the target is undefined (not counted). */
export function itemPriorsOf(nItems: number, item: ArrayLike<number>, rel: ArrayLike<number>): ItemPriors {
  const views = new Float64Array(nItems), labeled = new Float64Array(nItems), positives = new Float64Array(nItems);
  let v = 0, p = 0;
  for (let i = 0; i < item.length; i++) {
    const r = rel[i];
    views[item[i]]++;
    if (Number.isNaN(r)) continue;
    labeled[item[i]]++;
    v++;
    if (r > 0) { positives[item[i]]++; p++; }
  }
  return { views, labeled, positives, globalRate: v > 0 ? p / v : 0 };
}

/** The smoothed training target rate of item `it`: (positives + m * global) / (labelled views + m), m = PRIOR_STRENGTH. */
export function itemPrior(p: ItemPriors, it: number): number {
  return (p.positives[it] + PRIOR_STRENGTH * p.globalRate) / (p.labeled[it] + PRIOR_STRENGTH);
}

/**
 * A uniform number in [0, 1) from (seed, user, day, item): a hash (murmur3's 32-bit finaliser over the mixed
 * keys), so the random baseline scores a pair the same way whatever the order or protocol it is met in.
 */
export function randomScore(seed: number, user: number, day: number, item: number): number {
  let h = seed >>> 0;
  for (const k of [user, day, item]) {
    h = Math.imul(h ^ (k >>> 0), 0x9e3779b1) >>> 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h ^= h >>> 16;
  }
  return (h >>> 0) / 4294967296;
}

/** The score of a sanity baseline for one (user, day, item) with the item's length in seconds (NaN unknown). */
export function sanityScore(name: SanityName, priors: ItemPriors, user: number, day: number, item: number, lengthS: number): number {
  switch (name) {
    case 'random': return randomScore(RANDOM_SEED, user, day, item);
    case 'popular': return priors.views[item] ?? 0;
    case 'item_prior': return itemPrior(priors, item);
    case 'shortest': return Number.isFinite(lengthS) ? -lengthS : UNKNOWN_LENGTH_SCORE;
    case 'longest': return Number.isFinite(lengthS) ? lengthS : UNKNOWN_LENGTH_SCORE;
  }
}

/** The definition of each sanity baseline, for the report's `definitions` ('sanity:random', ...). */
export const SANITY_DEFINITIONS: Record<`sanity:${SanityName}`, string> = {
  'sanity:random': `a uniform score per (user, day, item) from a seeded hash (seed ${RANDOM_SEED}): chance ranking, the same in every rerun`,
  'sanity:popular': 'the item\'s number of views in the training part (the train shards, after the dataset\'s filters)',
  'sanity:item_prior': `the item's target rate in the training part smoothed toward the global training rate: (relevant views + ${PRIOR_STRENGTH} * global rate) / (views with a defined target + ${PRIOR_STRENGTH})`,
  'sanity:shortest': 'shortest video first: minus the length in seconds (unknown length last)',
  'sanity:longest': 'longest video first: the length in seconds (unknown length last)',
};
