// Unit tests of the item index: it answers exactly as a Map<string, number> would (inline and stored-string
// keys, absent ids that share a hash bucket, growth past its first capacity, re-mapping an id).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { ItemIndex } from './item-index';

test('ItemIndex: rows of inline, long and non-Latin-1 ids; absent ids; replacing a row', () => {
  const ids: string[] = [];
  const idx = new ItemIndex(ids, 4);
  const keys = ['video-000001', '', 'a'.repeat(20), 'b'.repeat(21), 'vidéo-1', 'видео-1', 'x\u0100', 'video-000002'];
  for (const k of keys) { idx.set(k, ids.length); ids.push(k); }
  keys.forEach((k, r) => assert.equal(idx.row(k), r, k));
  assert.equal(idx.size, keys.length);
  // Same length, one character apart (the inline bytes decide), and prefixes: absent.
  for (const k of ['video-000003', 'video-00000', 'a'.repeat(19), 'b'.repeat(22), 'x\u0000', 'видео-2']) {
    assert.equal(idx.row(k), -1, k);
    assert.equal(idx.get(k), undefined);
    assert.equal(idx.has(k), false);
  }
  // Re-mapping keeps one entry (as Map.set), pointing at the new row.
  idx.set('video-000001', ids.length);
  ids.push('video-000001');
  assert.equal(idx.row('video-000001'), ids.length - 1);
  assert.equal(idx.size, keys.length);
});

test('ItemIndex agrees with a Map over random ids, through growth', () => {
  fc.assert(fc.property(fc.array(fc.string({ maxLength: 30, unit: fc.constantFrom('a', 'b', 'é', 'я', '\uD800') }), { maxLength: 3000 }), fc.array(fc.string({ maxLength: 30, unit: 'binary' }), { maxLength: 200 }), (keys, probes) => {
    const ids: string[] = [];
    const idx = new ItemIndex(ids, 8);
    const map = new Map<string, number>();
    for (const k of keys) { idx.set(k, ids.length); map.set(k, ids.length); ids.push(k); }
    assert.equal(idx.size, map.size);
    // Fresh string copies, as a decoded request carries.
    for (const k of [...keys, ...probes]) assert.equal(idx.get(Buffer.from(k, 'utf16le').toString('utf16le')), map.get(k));
  }), { numRuns: 50 });
});
