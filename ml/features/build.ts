// The dataset build over an in-memory EventLog: window -> train | validation | test split by time -> duration
// groups (training part, before the filters) -> labels -> the seed's filters (whole window, one pass) ->
// point-in-time features for the kept rows, written shard by shard through `sink` so memory stays bounded by one
// shard plus the log's columns, and the item inputs of every dataset item as of 00:00 of each test day.
import type { EventLog } from '../data/events';
import { applyFilters, SEED_FILTERS, type FilterRules } from '../data/filters';
import { heldoutDays, splitTimes } from '../data/split';
import { MarketClock, parseWindow } from '../data/time';
import { fitGroups, groupOf } from '../labels/groups';
import * as labels from '../labels/labels';
import { parseBuckets, parseLabel, parseTask } from '../labels/spec';
import type { DatasetMeta, ShardRef } from './dataset';
import { FeatureEngine } from './engine';
import { allocItemDay, type ItemDayHeader, type ItemDayInputs } from './item-day';
import { layoutFor, type FeatureBatch, type FeatureLayout, type RowFacts } from './layout';
import { allocRows } from './shard';

// Module-local copies of the functions called per row (imported bindings are property reads on every call).
const { labelOf, wtgOf } = labels;

const HOUR = 3_600_000;

/** What to build. */
export interface BuildSpec {
  window: string;
  trainFrac: number;
  /** The validation part's share of the window's duration, right after training (default 0: none). */
  valFrac?: number;
  label: string;
  task: 'binary' | 'regression';
  buckets: string;
  timezone: string;
  source: string;
  filters?: Partial<FilterRules>;
  /** Rows per shard (default 65,536). */
  shardRows?: number;
  /** The model whose exploration log restricts the held-out part (see `heldoutKeep` of buildDataset). */
  explorationOf?: string;
}

/**
 * Receives each finished shard, in time order (training shards, then validation, then test). The arrays are reused for the
 * next shard once the returned promise resolves: encode or copy them before resolving.
 */
export type ShardSink = (split: ShardRef['split'], batch: FeatureBatch, facts: RowFacts) => Promise<void>;

/**
 * Receives the item inputs of each test day as of its 00:00, in day order. The arrays are reused for the next day
 * once the returned promise resolves: encode or copy them before resolving.
 */
export type ItemDaySink = (header: ItemDayHeader, inputs: ItemDayInputs) => Promise<void>;

/** Where a build writes: its shards and, optionally, the item inputs of each test day. */
export interface BuildSinks {
  shard: ShardSink;
  itemDay?: ItemDaySink;
  /**
   * Allocates the rows of each next shard (allocShard of shard.ts writes them in place into the shard's bytes).
   * Given, the sink keeps the arrays it receives (they are never reused); absent, one set is reused throughout.
   */
  rows?: (n: number, layout: FeatureLayout) => { batch: FeatureBatch; facts: RowFacts };
}

/** The dataset's meta without id and shards (the caller stores shards and names the dataset). */
export type BuiltMeta = Omit<DatasetMeta, 'id' | 'shards'>;

function lowerBound(ts: Float64Array, n: number, t: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ts[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sliceBatch(b: FeatureBatch, f: RowFacts, n: number, layout: ReturnType<typeof layoutFor>): { batch: FeatureBatch; facts: RowFacts } {
  if (n === b.n) return { batch: b, facts: f };
  const cut = <T extends Int32Array | Float32Array | Float64Array>(a: T, w: number) => a.slice(0, n * w) as T;
  return {
    batch: { n, userCat: cut(b.userCat, layout.userCat.length), userDense: cut(b.userDense, layout.userDenseDim),
      itemCat: cut(b.itemCat, layout.itemCat.length), itemDense: cut(b.itemDense, layout.itemDenseDim), itemAge: cut(b.itemAge, 1) },
    facts: { label: cut(f.label, 1), lengthS: cut(f.lengthS, 1), timespentS: cut(f.timespentS, 1), wtg: cut(f.wtg, 1), pcc: cut(f.pcc, 1),
      group: cut(f.group, 1), ts: cut(f.ts, 1), userIdx: cut(f.userIdx, 1), itemIdx: cut(f.itemIdx, 1), day: cut(f.day, 1) },
  };
}

/**
 * Each dataset item's video length in seconds: the catalogue's, else the first length its kept views report.
 * Length is a fact of the video fixed at upload, not behaviour, so taking it from any view leaks nothing.
 */
function staticItemLengths(log: EventLog, itemIds: string[], itemMap: Int32Array, rows: Int32Array, kept: Uint8Array): Float32Array {
  const out = new Float32Array(itemIds.length).fill(Number.NaN);
  for (let gi = 0; gi < itemMap.length; gi++) if (itemMap[gi] >= 0) out[itemMap[gi]] = log.items.lengthS[gi];
  for (let j = 0; j < rows.length; j++) {
    if (!kept[j]) continue;
    const k = rows[j];
    const li = itemMap[log.item[k]];
    if (Number.isNaN(out[li])) out[li] = log.lengthS[k];
  }
  return out;
}

/** Builds a dataset from a time-ordered log; returns its meta (with the summary) after the last shard. */
/**
 * `heldoutKeep`, when given, keeps only the held-out views it accepts (an exploration dataset keeps the views of
 * explored items, explored.ts); the training and validation parts are unchanged.
 */
export async function buildDataset(log: EventLog, spec: BuildSpec, sinks: ShardSink | BuildSinks,
  progress?: (rowsDone: number, rowsTotal: number) => void,
  heldoutKeep?: (userId: string, itemId: string, ts: number) => boolean): Promise<BuiltMeta> {
  const { shard: sink, itemDay: itemDaySink, rows: allocShardRows } = typeof sinks === 'function' ? { shard: sinks, itemDay: undefined, rows: undefined } : sinks;
  const kind = parseLabel(spec.label);
  const task = parseTask(spec.task);
  const scheme = parseBuckets(spec.buckets);
  const rules: FilterRules = { ...SEED_FILTERS, ...(spec.filters ?? {}) };
  const clock = new MarketClock(spec.timezone);
  if (log.n === 0) throw new Error('the event store holds no views: import or generate some first');
  const win = parseWindow(spec.window, clock, log.ts[log.n - 1]);
  const valFrac = spec.valFrac ?? 0;
  const { trainEnd: split, testStart } = splitTimes(win, spec.trainFrac, valFrac);
  const a = lowerBound(log.ts, log.n, win.startMs);
  const b = lowerBound(log.ts, log.n, win.endMs);
  const c = lowerBound(log.ts, log.n, split);
  if (b === a) throw new Error(`window ${win.from}..${win.to} (${spec.timezone}) holds no views; the store covers ${clock.date(log.ts[0])}..${clock.date(log.ts[log.n - 1])}`);

  // Groups from every view of the training part of the window, before the filters.
  const groups = fitGroups(scheme, log.lengthS.subarray(a, c), log.timespentS.subarray(a, c), log.item.subarray(a, c), log.itemIds.length,
    { quantiles: kind === 'wtg-quantile' });

  // Labels of the window's views; views without a length get none (counted).
  const inWin = b - a;
  const rowOf = new Int32Array(inWin);
  const grp = new Int32Array(inWin);
  const bin = new Uint8Array(inWin);
  let labelled = 0;
  for (let k = a; k < b; k++) {
    const g = groupOf(groups, log.lengthS[k], log.item[k]);
    if (g < 0) continue;
    rowOf[labelled] = k;
    grp[labelled] = g;
    bin[labelled] = labelOf(kind, 'binary', groups, g, log.lengthS[k], log.timespentS[k]);
    labelled++;
  }
  const rows = rowOf.subarray(0, labelled);
  // Plain loops: Int32Array.from with a mapping function goes through the iterator protocol, ~0.2 s per 1M rows.
  const rowUser = new Int32Array(labelled);
  const rowItem = new Int32Array(labelled);
  for (let j = 0; j < labelled; j++) {
    rowUser[j] = log.user[rows[j]];
    rowItem[j] = log.item[rows[j]];
  }
  const f = applyFilters(rowUser, rowItem, bin.subarray(0, labelled), log.userIds.length, log.itemIds.length, rules);

  // Compact id lists of the kept rows.
  const userMap = new Int32Array(log.userIds.length).fill(-1);
  const itemMap = new Int32Array(log.itemIds.length).fill(-1);
  const userIds: string[] = [];
  const itemIds: string[] = [];
  for (let j = 0; j < labelled; j++) {
    if (!f.kept[j]) continue;
    const k = rows[j];
    if (userMap[log.user[k]] < 0) { userMap[log.user[k]] = userIds.length; userIds.push(log.userIds[log.user[k]]); }
    if (itemMap[log.item[k]] < 0) { itemMap[log.item[k]] = itemIds.length; itemIds.push(log.itemIds[log.item[k]]); }
  }

  const layout = layoutFor(log.items.dim);
  const days = heldoutDays(clock, win, testStart);
  const shardRows = Math.max(1, spec.shardRows ?? 65_536);
  const engine = new FeatureEngine(log, layout);
  const alloc = allocShardRows ?? allocRows;
  let cur = alloc(shardRows, layout);
  let r = 0;
  let curSplit: ShardRef['split'] = 'train';
  let done = 0;
  const flush = async () => {
    if (r === 0) return;
    done += r;
    progress?.(done, f.counts.rows_kept);
    const part = sliceBatch(cur.batch, cur.facts, r, layout);
    await sink(curSplit, part.batch, part.facts);
    // The sink is done with the arrays once it resolves (it encodes or copies them), so the next shard reuses them,
    // unless the sink keeps each shard's arrays (`rows` given).
    if (allocShardRows) cur = allocShardRows(shardRows, layout);
    r = 0;
  };
  // Item inputs as of each test day's 00:00: taken when the row loop first reaches that instant, so the engine
  // has folded in exactly the views before it (advanceTo never goes back in time).
  const midnights = days.map((d) => clock.midnight(d));
  const itemLength = staticItemLengths(log, itemIds, itemMap, rows, f.kept);
  const itemGlobal = new Int32Array(itemIds.length);
  for (let gi = 0; gi < itemMap.length; gi++) if (itemMap[gi] >= 0) itemGlobal[itemMap[gi]] = gi;
  const dayInputs = itemDaySink ? allocItemDay(itemIds.length, layout) : undefined;
  let nextDay = 0;
  let unexplored = 0;
  const snapshotDays = async (t: number) => {
    for (; nextDay < days.length && midnights[nextDay] <= t; nextDay++) {
      if (!itemDaySink || !dayInputs) continue;
      const m = midnights[nextDay];
      engine.advanceTo(m);
      for (let li = 0; li < itemIds.length; li++) engine.writeItem(itemGlobal[li], m, dayInputs, li);
      dayInputs.lengthS.set(itemLength);
      await itemDaySink({ n: itemIds.length, layout, day: nextDay, date: days[nextDay], asOfMs: m }, dayInputs);
    }
  };
  const perDay: Record<string, number> = Object.fromEntries(days.map((d) => [d, 0]));
  const zero = () => ({ rows: 0, pos: 0, sum: 0, sumsq: 0 });
  const balance: Record<string, ReturnType<typeof zero>> = valFrac > 0
    ? { train: zero(), validation: zero(), heldout: zero() } : { train: zero(), heldout: zero() };
  // Per row, counters by index rather than by key.
  const perDayRows = new Int32Array(days.length);
  let bal = balance[curSplit];
  // A row's hour of day, day of week and local day are functions of its local hour, so they are looked up once
  // per hour of rows (the rows are in time order) instead of once per row.
  let localHour = Number.NaN;
  let hod = 0;
  let dow = 0;
  let dayNumber = 0;
  const testDay = clock.dayNumber(testStart);
  for (let j = 0; j < labelled; j++) {
    if (!f.kept[j]) continue;
    const k = rows[j];
    const t = log.ts[k];
    const s: ShardRef['split'] = t < split ? 'train' : t < testStart ? 'validation' : 'heldout';
    if (s === 'heldout' && heldoutKeep && !heldoutKeep(log.userIds[log.user[k]], log.itemIds[log.item[k]], t)) {
      unexplored++;
      continue;
    }
    if (s !== curSplit) {
      await flush();
      curSplit = s;
      bal = balance[s];
    }
    if (nextDay < days.length && t >= midnights[nextDay]) await snapshotDays(t);
    engine.advanceTo(t);
    const lh = Math.floor(clock.local(t) / HOUR);
    if (lh !== localHour) {
      localHour = lh;
      hod = clock.hod(t);
      dow = clock.dow(t);
      dayNumber = clock.dayNumber(t);
    }
    const { batch, facts } = cur;
    engine.writeUser(log.user[k], hod, dow, engine.handsetOf(log.handset[k]), batch, r);
    engine.writeItem(log.item[k], t, batch, r);
    const len = log.lengthS[k];
    const spent = log.timespentS[k];
    const g = grp[j];
    const y = labelOf(kind, task, groups, g, len, spent);
    facts.label[r] = y;
    facts.lengthS[r] = len;
    facts.timespentS[r] = spent;
    facts.wtg[r] = wtgOf(groups, g, spent);
    facts.pcc[r] = spent / len;
    facts.group[r] = g;
    facts.ts[r] = t;
    facts.userIdx[r] = userMap[log.user[k]];
    facts.itemIdx[r] = itemMap[log.item[k]];
    // dayIndex of data/split.ts, with the row's local day looked up above.
    const day = t < testStart ? -1 : dayNumber - testDay;
    facts.day[r] = day;
    if (day >= 0) perDayRows[day]++;
    bal.rows++;
    bal.pos += bin[j];
    bal.sum += y;
    bal.sumsq += y * y;
    if (++r === shardRows) await flush();
  }
  await flush();
  await snapshotDays(Infinity);
  days.forEach((d, i) => { perDay[d] = perDayRows[i]; });

  let itemGroup: number[] | undefined;
  if (groups.itemGroup) {
    const ig = groups.itemGroup;
    itemGroup = new Array<number>(itemIds.length).fill(-1);
    for (let li = 0; li < itemMap.length; li++) if (itemMap[li] >= 0) itemGroup[itemMap[li]] = ig[li];
  }
  const labelBalance = Object.fromEntries(Object.entries(balance).map(([s, v]) => [s, task === 'binary'
    ? { rows: v.rows, positive: v.pos, negative: v.rows - v.pos, positive_rate: v.rows ? v.pos / v.rows : 0 }
    : { rows: v.rows, mean: v.rows ? v.sum / v.rows : 0, std: v.rows ? Math.sqrt(Math.max(0, v.sumsq / v.rows - (v.sum / v.rows) ** 2)) : 0, positive: v.pos }]));
  const counts = {
    events_total: log.n, history_before_window: a, rows_in_window: inWin, rows_no_length: inWin - labelled,
    rows_labelled: labelled, rows_after_user_filter: f.counts.rows_user_pass, rows_after_item_filter: f.counts.rows_item_pass,
    rows_kept: f.counts.rows_kept, rows_train: balance.train.rows, ...(balance.validation ? { rows_validation: balance.validation.rows } : {}),
    rows_heldout: balance.heldout.rows, ...(heldoutKeep ? { rows_heldout_unexplored: unexplored } : {}),
    users_kept: userIds.length, items_kept: itemIds.length, groups: groups.stats.length,
  };
  const summary = {
    window: { from: win.from, to: win.to, timezone: spec.timezone, start: new Date(win.startMs).toISOString(), end: new Date(win.endMs).toISOString(),
      split: new Date(split).toISOString(),
      ...(valFrac > 0 ? { validation_start: new Date(split).toISOString() } : {}), test_start: new Date(testStart).toISOString() },
    filters: { rules, ...f.counts },
    per_day: perDay,
    label_balance: labelBalance,
    dropped: { no_length: inWin - labelled, user_filter: f.counts.dropped_user_filter, item_filter: f.counts.dropped_item_filter,
      user_and_item_filter: f.counts.dropped_user_and_item },
  };
  return {
    spec: { window: spec.window, trainFrac: spec.trainFrac, valFrac, label: kind, task, buckets: scheme.spec, timezone: spec.timezone, source: spec.source },
    layout, userIds, itemIds, days,
    ...(valFrac > 0 ? { valSplitMs: split } : {}), testSplitMs: testStart,
    groups: {
      edgesS: groups.edgesS, stats: groups.stats, scheme: scheme.spec,
      ...(itemGroup ? { itemGroup } : {}),
      ...(kind === 'wtg-quantile' ? { quantiles: groups.quantiles } : {}),
      ...(kind === 'wtg:pcc' ? { pccStats: groups.pccStats } : {}),
    },
    counts, summary,
  };
}
