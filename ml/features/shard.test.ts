import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { allocShard, decodeShard, encodeShard } from './shard';
import { layoutFor } from './layout';
import { syntheticBatch } from './fixtures';
import * as crypto from 'node:crypto';
import { loadDatasetMeta, loadShard, metaKey, shardKey, type ArtifactReader, type DatasetMeta } from './dataset';

const sha256Hex = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');

test('a shard round-trips every column bit for bit, NaN included', () => {
  const layout = layoutFor(4);
  const { batch, facts } = syntheticBatch(37, layout, 7);
  facts.lengthS[3] = Number.NaN;
  const buf = encodeShard(batch, facts, layout);
  assert.equal(buf.toString('ascii', 0, 4), 'MOSH');
  // Decoding from an unaligned copy must work too (S3 reads give arbitrary offsets).
  const odd = Buffer.concat([Buffer.from([1]), buf]).subarray(1);
  const got = decodeShard(odd);
  assert.deepEqual(got.layout, layout);
  assert.equal(got.batch.n, 37);
  for (const k of ['userCat', 'userDense', 'itemCat', 'itemDense', 'itemAge'] as const) assert.deepEqual(got.batch[k], batch[k], k);
  for (const k of ['label', 'lengthS', 'timespentS', 'wtg', 'pcc', 'group', 'ts', 'userIdx', 'itemIdx', 'day'] as const) {
    assert.deepEqual(got.facts[k], facts[k], k);
  }
  assert.ok(Number.isNaN(got.facts.lengthS[3]));
});

test('an empty shard round-trips; a wrong-sized column and a truncated buffer are refused', () => {
  const layout = layoutFor(2);
  const empty = syntheticBatch(0, layout, 1);
  assert.equal(decodeShard(encodeShard(empty.batch, empty.facts, layout)).batch.n, 0);
  const { batch, facts } = syntheticBatch(5, layout, 1);
  assert.throws(() => encodeShard({ ...batch, itemAge: new Float32Array(4) }, facts, layout), /itemAge has 4 values, expected 5/);
  const buf = encodeShard(batch, facts, layout);
  assert.throws(() => decodeShard(buf.subarray(0, buf.length - 8)), /truncated|past the end/);
  assert.throws(() => decodeShard(Buffer.from('nope')), /bad magic/);
});

test('syntheticBatch is deterministic per seed and its label carries the planted signal', () => {
  const layout = layoutFor(8);
  const a = syntheticBatch(2000, layout, 3);
  const b = syntheticBatch(2000, layout, 3);
  assert.deepEqual(a.facts.label, b.facts.label);
  // Rows whose taste . content is positive are labelled 1 more often than the others.
  let posHi = 0; let nHi = 0; let posLo = 0; let nLo = 0;
  for (let r = 0; r < 2000; r++) {
    let dot = 0;
    for (let k = 0; k < 8; k++) dot += a.batch.userDense[r * layout.userDenseDim + k] * a.batch.itemDense[r * layout.itemDenseDim + k];
    if (dot > 0) { nHi++; posHi += a.facts.label[r]; } else { nLo++; posLo += a.facts.label[r]; }
  }
  assert.ok(posHi / nHi > posLo / nLo + 0.2, `${posHi / nHi} vs ${posLo / nLo}`);
  // Duration bias: longer videos have lower completion on average.
  let sLong = 0; let cLong = 0; let sShort = 0; let cShort = 0;
  for (let r = 0; r < 2000; r++) {
    if (a.facts.lengthS[r] > 30) { sLong += a.facts.pcc[r]; cLong++; } else { sShort += a.facts.pcc[r]; cShort++; }
  }
  assert.ok(sLong / cLong < sShort / cShort);
  assert.ok(a.facts.day.includes(-1) && a.facts.day.includes(0) && a.facts.day.includes(1));
});

test('loadDatasetMeta and loadShard read through the artifact store and verify checksums', async () => {
  const objects = new Map<string, Buffer>();
  const store = {
    async put(key: string, data: Buffer) { objects.set(key, data); return { key, size: data.length, sha256: sha256Hex(data) }; },
    async get(key: string, sha?: string) {
      const d = objects.get(key);
      if (!d) throw new Error(`missing ${key}`);
      if (sha && sha256Hex(d) !== sha) throw new Error('DATA_LOSS');
      return d;
    },
  } satisfies ArtifactReader & Record<string, unknown>;
  const layout = layoutFor(3);
  const { batch, facts } = syntheticBatch(10, layout, 2);
  const shard = await store.put(shardKey('ds-x', 0), encodeShard(batch, facts, layout));
  const meta: DatasetMeta = {
    id: 'ds-x', spec: { window: 'a..b', trainFrac: 0.6, label: 'wtg', task: 'binary', buckets: 'equi-quantile:10', timezone: 'UTC', source: 'synthetic' },
    layout, userIds: [], itemIds: [], days: [], groups: { stats: [] }, counts: {}, shards: [{ key: shard.key, sha256: shard.sha256, rows: 10, split: 'train' }],
  };
  const m = await store.put(metaKey('ds-x'), Buffer.from(JSON.stringify(meta)));
  const loaded = await loadDatasetMeta(store, 'ds-x', m.sha256);
  assert.deepEqual(loaded, meta);
  const s = await loadShard(store, loaded.shards[0]);
  assert.deepEqual(s.facts.label, facts.label);
  await assert.rejects(loadShard(store, { ...loaded.shards[0], rows: 11 }), /holds 10 rows/);
  await assert.rejects(loadShard(store, { ...loaded.shards[0], sha256: 'x' }), /DATA_LOSS/);
});

test('a shard filled in place (allocShard) is byte for byte the shard encodeShard writes for the same rows', () => {
  const layout = layoutFor(3);
  const { batch, facts } = syntheticBatch(23, layout, 4);
  const inPlace = allocShard(23, layout);
  for (const k of ['userCat', 'userDense', 'itemCat', 'itemDense', 'itemAge'] as const) inPlace.batch[k].set(batch[k]);
  for (const k of ['label', 'lengthS', 'timespentS', 'wtg', 'pcc', 'group', 'ts', 'userIdx', 'itemIdx', 'day'] as const) inPlace.facts[k].set(facts[k]);
  assert.ok(inPlace.buf.equals(encodeShard(batch, facts, layout)));
  assert.equal(inPlace.buf.byteOffset, 0);
  assert.equal(inPlace.buf.buffer.byteLength, inPlace.buf.length);
});
