// Item inputs as of 00:00 of one test day (market time zone), for every item of a dataset's item set: what the
// catalog protocol scores each item on, so an item's features on day d use only views before day d began.
// Stored at `datasets/{id}/items/{day}.bin` in the container of shard.ts under the magic "MOID":
//   header { n, layout, day, date, asOfMs, columns }, columns itemCat (int32, n x itemCat.length),
//   itemDense (float32, n x itemDenseDim), itemAge (float32, n), lengthS (float32, n; NaN where unknown).
// Row i is the dataset's itemIds[i].
import type { FeatureLayout } from './layout';
import { packColumns, unpackColumns, type ColumnHeader } from './shard';

/** The four bytes every item-day file starts with. */
export const ITEM_DAY_MAGIC = 'MOID';
/** The item-day format version this code writes and reads. */
export const ITEM_DAY_VERSION = 1;

/** Item inputs as of 00:00 (market time zone) of one test day, for every item of `itemIds` (row i = itemIds[i]). */
export interface ItemDayInputs {
  /** The number of items (= the dataset's itemIds.length). */
  n: number;
  /** n x layout.itemCat.length categorical item inputs. */
  itemCat: Int32Array;
  /** n x layout.itemDenseDim dense item inputs (content vector, then the item and creator rates). */
  itemDense: Float32Array;
  /** Normalised item age at 00:00, the same unit and transform as the shard column itemAge (clamped at 0). */
  itemAge: Float32Array;
  /** Video length in seconds, NaN where unknown. */
  lengthS: Float32Array;
}

/** Where an item-day file sits and what it says about itself. */
export interface ItemDayHeader {
  n: number;
  layout: FeatureLayout;
  /** Index into the dataset's `days`. */
  day: number;
  /** The test day's date (YYYY-MM-DD, market time zone). */
  date: string;
  /** The instant the inputs describe (epoch ms of 00:00 of `date`); only views with ts < asOfMs are in them. */
  asOfMs: number;
}

/** Allocates empty item-day inputs for `n` items. */
export function allocItemDay(n: number, layout: FeatureLayout): ItemDayInputs {
  return {
    n, itemCat: new Int32Array(n * layout.itemCat.length), itemDense: new Float32Array(n * layout.itemDenseDim),
    itemAge: new Float32Array(n), lengthS: new Float32Array(n),
  };
}

function lengths(n: number, layout: FeatureLayout): Record<string, number> {
  return { itemCat: n * layout.itemCat.length, itemDense: n * layout.itemDenseDim, itemAge: n, lengthS: n };
}

/** Encodes one day's item inputs (see the format at the top of this file). */
export function encodeItemDay(inputs: ItemDayInputs, header: ItemDayHeader): Buffer {
  const want = lengths(inputs.n, header.layout);
  const arrays: [string, Int32Array | Float32Array][] = [
    ['itemCat', inputs.itemCat], ['itemDense', inputs.itemDense], ['itemAge', inputs.itemAge], ['lengthS', inputs.lengthS],
  ];
  for (const [name, a] of arrays) {
    if (a.length !== want[name]) throw new Error(`encodeItemDay: column ${name} has ${a.length} values, expected ${want[name]} for ${inputs.n} items`);
  }
  if (header.n !== inputs.n) throw new Error(`encodeItemDay: the header says ${header.n} items, the inputs hold ${inputs.n}`);
  return packColumns(ITEM_DAY_MAGIC, ITEM_DAY_VERSION, { ...header }, arrays);
}

/** Decodes an item-day file; the arrays are fresh copies. */
export function decodeItemDay(buf: Buffer): { header: ItemDayHeader; inputs: ItemDayInputs } {
  const { header, cols } = unpackColumns<ItemDayHeader & { columns: ColumnHeader[] }>(buf, ITEM_DAY_MAGIC, ITEM_DAY_VERSION, 'decodeItemDay',
    (h) => lengths(h.n, h.layout));
  const { columns: _columns, ...rest } = header;
  return {
    header: rest,
    inputs: { n: header.n, itemCat: cols.itemCat as Int32Array, itemDense: cols.itemDense as Float32Array,
      itemAge: cols.itemAge as Float32Array, lengthS: cols.lengthS as Float32Array },
  };
}
