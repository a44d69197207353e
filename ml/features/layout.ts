// The feature layout: one definition of every model input, shared by the dataset build (features),
// training, evaluation and scoring, so the four can never disagree about what a feature vector is.
//
// A row is split by tower. The user tower reads USER_CAT (embedded) and USER_DENSE; the item tower reads
// ITEM_CAT (embedded) and ITEM_DENSE; ITEM_AGE is kept apart because `two-tower-mod` joins it after the
// item tower's expansion (so item vectors stay cacheable while age changes). Dense values are already
// normalised when stored (rates in [0,1], embeddings as given, age as log1p(hours)/log1p(24*365)).

/** A categorical input: its name and vocabulary size (ids are 0..size-1; 0 is "unknown"). */
export interface CatFeature {
  name: string;
  size: number;
}

/** Hour of day, day of week (0 = Monday), handset maker (hashed), creator (hashed). */
export const HOD: CatFeature = { name: 'hod', size: 24 };
export const DOW: CatFeature = { name: 'dow', size: 7 };
export const HANDSET_BUCKETS = 64;
export const CREATOR_BUCKETS = 4096;
export const HANDSET: CatFeature = { name: 'handset_maker', size: HANDSET_BUCKETS };
export const CREATOR: CatFeature = { name: 'creator_id', size: CREATOR_BUCKETS };

/** The user meta rates (user_overall_{short,mid,life}_{ctr,like_ctr,share_ctr,download_ctr} less short_ctr). */
export const USER_RATES = [
  'user_overall_short_like_ctr', 'user_overall_short_share_ctr', 'user_overall_short_download_ctr',
  'user_overall_mid_ctr', 'user_overall_mid_like_ctr', 'user_overall_mid_share_ctr', 'user_overall_mid_download_ctr',
  'user_overall_life_ctr', 'user_overall_life_like_ctr', 'user_overall_life_share_ctr', 'user_overall_life_download_ctr',
] as const;

/** The item meta rates (item, its windows, and its creator). */
export const ITEM_RATES = [
  'item_ctr', 'item_like_ctr', 'item_share_ctr', 'item_download_ctr',
  'item_ctr_24hr', 'item_ctr_3d', 'item_ctr_7d', 'item_ctr_15d',
  'item_like_ctr_24hr', 'item_like_ctr_3d', 'item_like_ctr_7d', 'item_like_ctr_15d',
  'item_share_ctr_24hr', 'item_share_ctr_3d', 'item_share_ctr_7d', 'item_share_ctr_15d',
  'creator_ctr', 'creator_like_ctr', 'creator_share_ctr', 'creator_download_ctr',
] as const;

/** The dimensions of a layout; `embeddingDim` is the content-vector size of the dataset. */
export interface FeatureLayout {
  embeddingDim: number;
  /** Categorical user inputs, in column order of `userCat`. */
  userCat: CatFeature[];
  /** Width of `userDense`: pos mean + neg mean embeddings + user rates. */
  userDenseDim: number;
  /** Categorical item inputs, in column order of `itemCat`. */
  itemCat: CatFeature[];
  /** Width of `itemDense`: content vector + item rates. */
  itemDenseDim: number;
}

/** The layout for a content-vector dimension. */
export function layoutFor(embeddingDim: number): FeatureLayout {
  return {
    embeddingDim,
    userCat: [HOD, DOW, HANDSET],
    userDenseDim: 2 * embeddingDim + USER_RATES.length,
    itemCat: [CREATOR],
    itemDenseDim: embeddingDim + ITEM_RATES.length,
  };
}

/**
 * A batch of rows in columnar, row-major typed arrays: the unit that datasets store (as shards), training
 * consumes, evaluation scores and scoring builds per request. `n` rows; matrices are n x width.
 */
export interface FeatureBatch {
  n: number;
  userCat: Int32Array;
  userDense: Float32Array;
  itemCat: Int32Array;
  itemDense: Float32Array;
  /** Normalised item age, one per row. */
  itemAge: Float32Array;
}

/** Per-row facts that are not model inputs: targets, grouping and bookkeeping. */
export interface RowFacts {
  /** The training target (binary 0/1 or a regression value), per the dataset's label spec. */
  label: Float32Array;
  /** Video length in seconds (NaN where unknown); the GRL head's target is log1p of it. */
  lengthS: Float32Array;
  /** Watch time in seconds. */
  timespentS: Float32Array;
  /** WTG of the row within its duration group (NaN where the length is unknown). */
  wtg: Float32Array;
  /** Completion: timespent / length (NaN where unknown). */
  pcc: Float32Array;
  /** Duration-group index of the row. */
  group: Int32Array;
  /** Event time, epoch ms. */
  ts: Float64Array;
  /** Index into the dataset's user id list and item id list. */
  userIdx: Int32Array;
  itemIdx: Int32Array;
  /** Test day index (0-based, in the market time zone, into the dataset's `days`), or -1 for training and validation rows. */
  day: Int32Array;
}
