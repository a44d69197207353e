import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { layoutFor } from '../../ml/features/layout';
import { syntheticBatch } from '../../ml/features/fixtures';
import { encodeShard } from '../../ml/features/shard';
import { takeRows } from '../../ml/features/batch-rows';
import { shardKey, type DatasetMeta, type ShardRef } from '../../ml/features/dataset';
import { exportColumns } from '../../ml/features/export-columns';
import { sha256Hex, type ArtifactStore } from '../../registry/artifact-store';
import { streamPart, type ExportChunk, type ExportHeader } from './dataset-export';

function memoryStore(): ArtifactStore {
  const objects = new Map<string, Buffer>();
  return {
    bucket: 'b',
    async put(key: string, data: Buffer) { objects.set(key, data); return { key, size: data.length, sha256: sha256Hex(data) }; },
    async get(key: string, sha?: string) {
      const d = objects.get(key);
      if (!d) throw new Error(`missing ${key}`);
      if (sha && sha256Hex(d) !== sha) throw new Error('DATA_LOSS');
      return d;
    },
    async exists(key: string) { return objects.has(key); },
    async remove(key: string) { objects.delete(key); },
    async list() { return [...objects.keys()]; },
    async listObjects() { return [...objects].map(([key, d]) => ({ key, size: d.length, lastModified: new Date() })); },
  };
}

test('a part streams as a header and chunks that concatenate to its shards\' rows, across shard and chunk boundaries', async () => {
  const layout = layoutFor(3);
  const { batch, facts } = syntheticBatch(50, layout, 4);
  const store = memoryStore();
  // Test rows (day >= 0) in two shards of 9 and the rest, and one training shard that must not appear.
  const test_ = [...Array(50).keys()].filter((r) => facts.day[r] >= 0);
  const train = [...Array(50).keys()].filter((r) => facts.day[r] < 0);
  const pick = (idx: number[]) => {
    const f = Object.fromEntries(Object.entries(facts).map(([k, a]) => [k, (a as Float32Array).constructor === Float64Array
      ? Float64Array.from(idx, (r) => (a as Float64Array)[r]) : (a instanceof Int32Array ? Int32Array.from(idx, (r) => a[r]) : Float32Array.from(idx, (r) => (a as Float32Array)[r]))]));
    return encodeShard(takeRows(batch, idx, layout), f as unknown as typeof facts, layout);
  };
  const shards: ShardRef[] = [];
  for (const [split, idx] of [['train', train], ['heldout', test_.slice(0, 9)], ['heldout', test_.slice(9)]] as const) {
    const put = await store.put(shardKey('ds-x', shards.length), pick(idx));
    shards.push({ key: put.key, sha256: put.sha256, rows: idx.length, split });
  }
  const meta = { id: 'ds-x', layout, shards, spec: { label: 'wtg', task: 'binary' }, userIds: Array.from({ length: 10 }, (_, i) => `u${i}`),
    itemIds: Array.from({ length: 10 }, (_, i) => `v${i}`) } as unknown as DatasetMeta;
  const got: (ExportHeader | ExportChunk)[] = [];
  await streamPart(store, meta, 'test', async (m) => { got.push('header' in m ? m.header : m.chunk); }, () => false, 4);
  const header = got[0] as ExportHeader;
  const chunks = got.slice(1) as ExportChunk[];
  assert.equal(header.rows, test_.length);
  // 9 rows -> chunks of 4, 4, 1; the other shard's rows likewise, never mixing shards.
  assert.deepEqual(chunks.slice(0, 3).map((c) => c.rows), [4, 4, 1]);
  assert.equal(chunks.reduce((s, c) => s + c.rows, 0), test_.length);
  const width = exportColumns(layout).length - 2;
  const ts = chunks.flatMap((c) => Array.from({ length: c.rows }, (_, r) => c.values[r * width]));
  assert.deepEqual(ts, test_.map((r) => facts.ts[r]));
  const day = chunks.flatMap((c) => Array.from({ length: c.rows }, (_, r) => c.values[r * width + width - 1]));
  assert.deepEqual(day, test_.map((r) => facts.day[r]));
  assert.deepEqual(chunks.flatMap((c) => c.userIds), test_.map((r) => `u${facts.userIdx[r]}`));
});
