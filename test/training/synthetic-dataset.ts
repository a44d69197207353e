// Writes a small synthetic dataset (ml/features/fixtures.ts syntheticBatch, shards in the format of
// ml/features/shard.ts) into an artifact store, as the feature service's builder would.
import type { ArtifactStore } from '../../registry/artifact-store';
import { layoutFor, type FeatureBatch, type RowFacts } from '../../ml/features/layout';
import { syntheticBatch } from '../../ml/features/fixtures';
import { encodeShard } from '../../ml/features/shard';
import { metaKey, shardKey, type DatasetMeta, type ShardRef } from '../../ml/features/dataset';
import { takeRows } from '../../ml/features/batch-rows';
import { itemDayKey, type ItemDayRef } from '../../ml/features/dataset';
import { allocItemDay, encodeItemDay } from '../../ml/features/item-day';

/** Rows `idx` of facts. */
function takeFacts(f: RowFacts, idx: number[]): RowFacts {
  const pick = <T extends Float32Array | Int32Array | Float64Array>(a: T): T => {
    const Ctor = a.constructor as { new (n: number): T };
    const out = new Ctor(idx.length);
    idx.forEach((r, i) => { out[i] = a[r]; });
    return out;
  };
  return { label: pick(f.label), lengthS: pick(f.lengthS), timespentS: pick(f.timespentS), wtg: pick(f.wtg), pcc: pick(f.pcc),
    group: pick(f.group), ts: pick(f.ts), userIdx: pick(f.userIdx), itemIdx: pick(f.itemIdx), day: pick(f.day) };
}

/**
 * Puts dataset `id` (n rows; task regression uses the fixture's WTG as the label) and returns its meta. The
 * fixture's rows are in time order over 5 days: the first 45% train, the next 15% are the validation part and
 * the last 40% the test part (days 0 and 1); `validation: false` writes a dataset as built before validation
 * parts existed (the first 60% train, no valFrac, no split instants). `itemDays` also writes item inputs per
 * test day (the catalog protocol's).
 */
export async function putSyntheticDataset(artifacts: ArtifactStore, id: string,
  opts: { n: number; seed: number; task: 'binary' | 'regression'; embeddingDim?: number; validation?: boolean; itemDays?: boolean }): Promise<DatasetMeta> {
  const withVal = opts.validation ?? true;
  const layout = layoutFor(opts.embeddingDim ?? 8);
  const { batch, facts } = syntheticBatch(opts.n, layout, opts.seed);
  if (opts.task === 'regression') facts.label = Float32Array.from(facts.wtg);
  const shards: ShardRef[] = [];
  const valStart = withVal ? Math.floor(0.45 * batch.n) : Infinity;
  const parts: [ShardRef['split'], number[]][] = [
    ['train', [...Array(batch.n).keys()].filter((r) => facts.day[r] < 0 && r < valStart)],
    ...(withVal ? [['validation', [...Array(batch.n).keys()].filter((r) => facts.day[r] < 0 && r >= valStart)] as [ShardRef['split'], number[]]] : []),
    ['heldout', [...Array(batch.n).keys()].filter((r) => facts.day[r] >= 0)],
  ];
  for (const [split, idx] of parts) {
    const b: FeatureBatch = takeRows(batch, idx, layout);
    const stored = await artifacts.put(shardKey(id, shards.length), encodeShard(b, takeFacts(facts, idx), layout));
    shards.push({ key: stored.key, sha256: stored.sha256, rows: idx.length, split });
  }
  const nItems = Math.max(...facts.itemIdx) + 1;
  const nUsers = Math.max(...facts.userIdx) + 1;
  const meta: DatasetMeta = {
    id, layout, shards,
    spec: { window: '2024-01-01..2024-01-05', trainFrac: withVal ? 0.45 : 0.6, label: opts.task === 'binary' ? 'wtg' : 'wtg', task: opts.task, buckets: 'equi-quantile:4',
      timezone: 'UTC', source: 'synthetic', ...(withVal ? { valFrac: 0.15 } : {}) },
    // Rows are at t0 + (r / n) x 5 days, so the cuts at 45% and 60% of the rows are these instants.
    ...(withVal ? { valSplitMs: Date.UTC(2024, 0, 1) + 0.45 * 5 * 86_400_000, testSplitMs: Date.UTC(2024, 0, 1) + 0.6 * 5 * 86_400_000 } : {}),
    userIds: Array.from({ length: nUsers }, (_, i) => `u${i}`), itemIds: Array.from({ length: nItems }, (_, i) => `v${i}`),
    days: ['2024-01-04', '2024-01-05'], groups: { stats: [] }, counts: { rows: batch.n },
  };
  if (opts.itemDays) meta.itemDays = await putItemDays(artifacts, id, meta, batch, facts);
  await artifacts.put(metaKey(id), Buffer.from(JSON.stringify(meta)), 'application/json');
  return meta;
}

/**
 * Item inputs per test day for the catalog protocol: the fixture's item features do not change over time (content
 * vector, creator, click rate), so each item's inputs are those of its first row; age is 0.5 (mid-range) and
 * items never viewed keep zeros and an unknown length.
 */
async function putItemDays(artifacts: ArtifactStore, id: string, meta: DatasetMeta, batch: FeatureBatch, facts: RowFacts): Promise<ItemDayRef[]> {
  const L = meta.layout;
  const ic = L.itemCat.length, idd = L.itemDenseDim;
  const n = meta.itemIds.length;
  const inputs = allocItemDay(n, L);
  inputs.lengthS.fill(NaN);
  const done = new Uint8Array(n);
  for (let r = 0; r < batch.n; r++) {
    const it = facts.itemIdx[r];
    if (done[it]) continue;
    done[it] = 1;
    inputs.itemCat.set(batch.itemCat.subarray(r * ic, (r + 1) * ic), it * ic);
    inputs.itemDense.set(batch.itemDense.subarray(r * idd, (r + 1) * idd), it * idd);
    inputs.itemAge[it] = 0.5;
    inputs.lengthS[it] = facts.lengthS[r];
  }
  const refs: ItemDayRef[] = [];
  for (let d = 0; d < meta.days.length; d++) {
    const asOfMs = Date.parse(`${meta.days[d]}T00:00:00Z`);
    const stored = await artifacts.put(itemDayKey(id, d), encodeItemDay(inputs, { n, layout: L, day: d, date: meta.days[d], asOfMs }));
    refs.push({ day: d, key: stored.key, sha256: stored.sha256, items: n });
  }
  return refs;
}
