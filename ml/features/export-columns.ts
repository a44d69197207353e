// The columns of a dataset export (`modelops data export`): ids, time, every model input named after the
// feature layout, then the row's facts. One definition, shared by the server that streams the rows and the
// tests that read the files back, so a column can never be named by one and placed by the other.
import { ITEM_RATES, USER_RATES, type FeatureBatch, type FeatureLayout, type RowFacts } from './layout';

/** How a writer should store a column. */
export type ExportType = 'string' | 'int32' | 'int64' | 'float32' | 'float64';

/** One column of an export. */
export interface ExportColumn {
  name: string;
  type: ExportType;
}

/** The names of the dense user inputs, in layout order: pos mean, neg mean, then the user rates. */
export function userDenseNames(layout: FeatureLayout): string[] {
  const d = layout.embeddingDim;
  return [...Array.from({ length: d }, (_, k) => `pos_mean_embedding_${k}`), ...Array.from({ length: d }, (_, k) => `neg_mean_embedding_${k}`), ...USER_RATES];
}

/** The names of the dense item inputs, in layout order: the content vector, then the item and creator rates. */
export function itemDenseNames(layout: FeatureLayout): string[] {
  return [...Array.from({ length: layout.embeddingDim }, (_, k) => `embedding_${k}`), ...ITEM_RATES];
}

/** The facts after the model inputs: the dataset's label, WTG, watch time, length, completion, duration group, test day. */
const FACT_COLUMNS: [keyof RowFacts, string, ExportType][] = [
  ['label', 'label', 'float32'], ['wtg', 'wtg', 'float32'], ['timespentS', 'watch_time_s', 'float32'], ['lengthS', 'length_s', 'float32'],
  ['pcc', 'pcc', 'float32'], ['group', 'group', 'int32'], ['day', 'day', 'int32'],
];

/**
 * Every column of an export, in file order: user_id, item_id (strings), ts (epoch ms), the user categorical and
 * dense inputs, the item categorical and dense inputs, item_age, then label, wtg, watch_time_s, length_s, pcc,
 * group and day (-1 outside the test part). Categorical inputs are the layout's ids (hashed buckets for
 * handset_maker and creator_id, 0 = unknown).
 */
export function exportColumns(layout: FeatureLayout): ExportColumn[] {
  const userDense = userDenseNames(layout);
  const itemDense = itemDenseNames(layout);
  if (userDense.length !== layout.userDenseDim || itemDense.length !== layout.itemDenseDim) {
    throw new Error(`the layout's dense widths (${layout.userDenseDim}, ${layout.itemDenseDim}) do not match its names (${userDense.length}, ${itemDense.length})`);
  }
  return [
    { name: 'user_id', type: 'string' }, { name: 'item_id', type: 'string' }, { name: 'ts', type: 'int64' },
    ...layout.userCat.map((c) => ({ name: c.name, type: 'int32' as const })),
    ...userDense.map((name) => ({ name, type: 'float32' as const })),
    ...layout.itemCat.map((c) => ({ name: c.name, type: 'int32' as const })),
    ...itemDense.map((name) => ({ name, type: 'float32' as const })),
    { name: 'item_age', type: 'float32' },
    ...FACT_COLUMNS.map(([, name, type]) => ({ name, type })),
  ];
}

/**
 * Writes rows r0..r1-1 of a shard as row-major numbers in the order of exportColumns after the two id columns
 * (out must hold (r1 - r0) x (columns - 2) values). Float32 values are widened exactly.
 */
export function exportValues(batch: FeatureBatch, facts: RowFacts, layout: FeatureLayout, r0: number, r1: number, out: Float64Array): void {
  const uc = layout.userCat.length;
  const ud = layout.userDenseDim;
  const ic = layout.itemCat.length;
  const id = layout.itemDenseDim;
  const width = 1 + uc + ud + ic + id + 1 + FACT_COLUMNS.length;
  const facts_ = FACT_COLUMNS.map(([k]) => facts[k]);
  let o = 0;
  for (let r = r0; r < r1; r++) {
    out[o++] = facts.ts[r];
    for (let k = 0; k < uc; k++) out[o++] = batch.userCat[r * uc + k];
    for (let k = 0; k < ud; k++) out[o++] = batch.userDense[r * ud + k];
    for (let k = 0; k < ic; k++) out[o++] = batch.itemCat[r * ic + k];
    for (let k = 0; k < id; k++) out[o++] = batch.itemDense[r * id + k];
    out[o++] = batch.itemAge[r];
    for (const a of facts_) out[o++] = a[r];
  }
  if (o !== (r1 - r0) * width) throw new Error(`exportValues wrote ${o} values for ${r1 - r0} rows of width ${width}`);
}
