// A dataset as stored: meta.json (spec, layout, id lists, duration-group statistics, counts, shard list) at
// `datasets/{id}/meta.json` and binary shards (shard.ts) at `datasets/{id}/shards/{k}.bin` in the artifact
// store. Training, evaluation and scoring read datasets only through these two functions.
import type { ArtifactStore } from '../../registry/artifact-store';
import type { FeatureBatch, FeatureLayout, RowFacts } from './layout';
import { decodeItemDay, type ItemDayInputs } from './item-day';
import { decodeShard } from './shard';

export type { ItemDayInputs } from './item-day';

/** One shard of a dataset: its artifact key, checksum, row count and which part of the split it holds. */
export interface ShardRef {
  key: string;
  sha256: string;
  rows: number;
  /** 'heldout' is the test part (the name is kept for datasets built before the validation part existed). */
  split: 'train' | 'validation' | 'heldout';
}

/** The item inputs of one test day: `datasets/{id}/items/{day}.bin` (item-day.ts), one row per item of itemIds. */
export interface ItemDayRef {
  /** Index into the dataset's `days`. */
  day: number;
  key: string;
  sha256: string;
  /** Rows in the file (= itemIds.length). */
  items: number;
}

/** Statistics of one duration group, from the training part of the window before the filters. */
export interface GroupStat {
  mean: number;
  std: number;
  count: number;
}

/** Everything a consumer needs to use a dataset's shards. */
export interface DatasetMeta {
  /** For example "ds-2022-04-25-wtg-a1b2"; the resource name is datasets/{id}. */
  id: string;
  spec: {
    window: string; trainFrac: number; label: string; task: 'binary' | 'regression'; buckets: string;
    timezone: string; source: string;
    /** The validation part's share of the window; absent on datasets built before it existed (no validation part), 0 = none asked. */
    valFrac?: number;
  };
  /** Where the validation part starts (training rows are before it); absent when there is no validation part. */
  valSplitMs?: number;
  /** Where the test part starts; absent on datasets built before the validation part existed (their test part starts at the training cut). */
  testSplitMs?: number;
  layout: FeatureLayout;
  /** RowFacts.userIdx / itemIdx index these. */
  userIds: string[];
  itemIds: string[];
  /** Test day dates (YYYY-MM-DD, market time zone); RowFacts.day indexes these for test rows and is -1 for the others. */
  days: string[];
  /**
   * Duration groups: `edgesS` are the upper bounds of the length-ordered groups (absent for `item`);
   * `stats[g]` of group g. The optional fields are added by the builder where the scheme needs them.
   */
  groups: {
    edgesS?: number[];
    stats: GroupStat[];
    /** The group scheme (fixed-1s | fixed-5s | equi-quantile:K | item). */
    scheme?: string;
    /** For `item`: the group of each item (index into itemIds), -1 where it falls back to edgesS. */
    itemGroup?: number[];
    /** For `wtg-quantile`: per group, 21 ascending quantiles (0, 5, ..., 100 %) of the group's value. */
    quantiles?: number[][];
    /** For `wtg:pcc`: per group, the statistics of completion (`stats` always hold watch time in seconds). */
    pccStats?: GroupStat[];
  };
  counts: Record<string, number>;
  shards: ShardRef[];
  /**
   * Item inputs as of 00:00 (market time zone) of each test day, for every item of itemIds, computed at build
   * from views strictly before that instant. Absent on datasets built before they existed (rebuild to get them).
   */
  itemDays?: ItemDayRef[];
  /** The build summary (filter steps, per-day rows, label balance, drop reasons); informational. */
  summary?: Record<string, unknown>;
}

/** The artifact key of a dataset's meta.json. */
export function metaKey(id: string): string {
  return `datasets/${id}/meta.json`;
}

/** The artifact key of shard k of a dataset. */
export function shardKey(id: string, k: number): string {
  return `datasets/${id}/shards/${k}.bin`;
}

/** The artifact key of the item inputs of test day `day` (index into `days`) of a dataset. */
export function itemDayKey(id: string, day: number): string {
  return `datasets/${id}/items/${day}.bin`;
}

/** Reads a dataset's meta.json; with `sha256` (from the datasets table) the bytes are verified. */
export async function loadDatasetMeta(artifacts: ArtifactStore, id: string, sha256?: string): Promise<DatasetMeta> {
  const buf = await artifacts.get(metaKey(id), sha256);
  return JSON.parse(buf.toString('utf8')) as DatasetMeta;
}

/** Reads and decodes one shard, verifying its sha256. */
export async function loadShard(artifacts: ArtifactStore, ref: ShardRef): Promise<{ batch: FeatureBatch; facts: RowFacts }> {
  const buf = await artifacts.get(ref.key, ref.sha256);
  const { batch, facts } = decodeShard(buf);
  if (batch.n !== ref.rows) throw new Error(`shard ${ref.key} holds ${batch.n} rows, the dataset meta says ${ref.rows}`);
  return { batch, facts };
}

/** Reads and decodes one test day's item inputs, verifying its sha256 and item count. */
export async function loadItemDay(artifacts: ArtifactStore, ref: ItemDayRef): Promise<ItemDayInputs> {
  const buf = await artifacts.get(ref.key, ref.sha256);
  const { header, inputs } = decodeItemDay(buf);
  if (inputs.n !== ref.items) throw new Error(`item-day file ${ref.key} holds ${inputs.n} items, the dataset meta says ${ref.items}`);
  if (header.day !== ref.day) throw new Error(`item-day file ${ref.key} is for day ${header.day}, the dataset meta says ${ref.day}`);
  return inputs;
}

/** True when a dataset has a validation part (datasets built before it existed, or with valFrac 0, have none). */
export function hasValidation(meta: Pick<DatasetMeta, 'shards' | 'valSplitMs'>): boolean {
  return meta.valSplitMs !== undefined && meta.shards.some((s) => s.split === 'validation');
}
