// The seed's filters, each computed once on the whole window (not iterated to a fixed point, which empties
// sparse real data): users with minUserViews..maxUserViews labelled views, >= 1 positive and >= 1 negative
// under the binary form of the label being built; items with >= minItemViews labelled views; a view is kept
// when its user and its item both pass.

/** Filter thresholds (docs/design.md "Data" by default). */
export interface FilterRules {
  minUserViews: number;
  maxUserViews: number;
  minItemViews: number;
}

/** The seed's thresholds. */
export const SEED_FILTERS: FilterRules = { minUserViews: 4, maxUserViews: 2000, minItemViews: 100 };

/** What the filters decided and the counts the summary reports. */
export interface FilterResult {
  /** Per labelled view (same order as the input): kept or not. */
  kept: Uint8Array;
  userPass: Uint8Array;
  itemPass: Uint8Array;
  counts: {
    rows_labelled: number; rows_user_pass: number; rows_item_pass: number; rows_kept: number;
    users_in_window: number; users_pass: number; users_too_few: number; users_too_many: number;
    users_no_positive: number; users_no_negative: number;
    items_in_window: number; items_pass: number; users_kept: number; items_kept: number;
    /** Kept users left with fewer than minUserViews kept rows, or with one class only among their kept rows. */
    kept_users_lt_min_rows: number; kept_users_one_class: number;
    dropped_user_filter: number; dropped_item_filter: number; dropped_user_and_item: number;
  };
}

/**
 * Applies the filters to labelled views given as parallel arrays: user and item indices and the binary
 * label (0/1). `nUsers` / `nItems` size the index spaces.
 */
export function applyFilters(user: ArrayLike<number>, item: ArrayLike<number>, label: ArrayLike<number>, nUsers: number, nItems: number,
  rules: FilterRules = SEED_FILTERS): FilterResult {
  const n = user.length;
  const uViews = new Int32Array(nUsers);
  const uPos = new Int32Array(nUsers);
  const iViews = new Int32Array(nItems);
  for (let k = 0; k < n; k++) {
    uViews[user[k]]++;
    if (label[k] > 0) uPos[user[k]]++;
    iViews[item[k]]++;
  }
  const userPass = new Uint8Array(nUsers);
  const itemPass = new Uint8Array(nItems);
  const c = {
    rows_labelled: n, rows_user_pass: 0, rows_item_pass: 0, rows_kept: 0, users_in_window: 0, users_pass: 0, users_too_few: 0,
    users_too_many: 0, users_no_positive: 0, users_no_negative: 0, items_in_window: 0, items_pass: 0, users_kept: 0, items_kept: 0,
    kept_users_lt_min_rows: 0, kept_users_one_class: 0, dropped_user_filter: 0, dropped_item_filter: 0, dropped_user_and_item: 0,
  };
  for (let u = 0; u < nUsers; u++) {
    const v = uViews[u];
    if (v === 0) continue;
    c.users_in_window++;
    const few = v < rules.minUserViews;
    const many = v > rules.maxUserViews;
    const noPos = uPos[u] === 0;
    const noNeg = uPos[u] === v;
    if (few) c.users_too_few++;
    if (many) c.users_too_many++;
    if (noPos) c.users_no_positive++;
    if (noNeg) c.users_no_negative++;
    if (!few && !many && !noPos && !noNeg) {
      userPass[u] = 1;
      c.users_pass++;
    }
  }
  for (let i = 0; i < nItems; i++) {
    if (iViews[i] === 0) continue;
    c.items_in_window++;
    if (iViews[i] >= rules.minItemViews) {
      itemPass[i] = 1;
      c.items_pass++;
    }
  }
  const kept = new Uint8Array(n);
  const kRows = new Int32Array(nUsers);
  const kPos = new Int32Array(nUsers);
  const itemKept = new Uint8Array(nItems);
  for (let k = 0; k < n; k++) {
    const up = userPass[user[k]];
    const ip = itemPass[item[k]];
    if (up) c.rows_user_pass++;
    if (ip) c.rows_item_pass++;
    if (up && ip) {
      kept[k] = 1;
      c.rows_kept++;
      kRows[user[k]]++;
      if (label[k] > 0) kPos[user[k]]++;
      itemKept[item[k]] = 1;
    } else if (!up && !ip) c.dropped_user_and_item++;
    else if (!up) c.dropped_user_filter++;
    else c.dropped_item_filter++;
  }
  for (let u = 0; u < nUsers; u++) {
    if (kRows[u] === 0) continue;
    c.users_kept++;
    if (kRows[u] < rules.minUserViews) c.kept_users_lt_min_rows++;
    if (kPos[u] === 0 || kPos[u] === kRows[u]) c.kept_users_one_class++;
  }
  for (let i = 0; i < nItems; i++) c.items_kept += itemKept[i];
  return { kept, userPass, itemPass, counts: c };
}
