import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeItemVectors, encodeItemVectors } from './item-vectors';

test('item vectors round-trip, with non-ASCII ids and the padding before the floats', () => {
  const ids = ['v1', 'vidéo-2', 'x'];
  const vecs = Float32Array.from([1, 2, 3.5, -4, 0, 1e-8]);
  const buf = encodeItemVectors(ids, vecs, 2);
  // 20 header bytes + "v1\nvidéo-2\nx" (13 bytes: é is 2 bytes) + 3 padding bytes + 6 floats.
  assert.equal(buf.length, 20 + 13 + 3 + 24);
  const back = decodeItemVectors(buf);
  assert.deepEqual(back.ids, ids);
  assert.equal(back.dim, 2);
  assert.deepEqual(Array.from(back.vecs), Array.from(vecs));
  assert.equal(back.index.get('x'), 2);
  assert.throws(() => decodeItemVectors(buf.subarray(0, buf.length - 1)), /bytes/);
  assert.throws(() => encodeItemVectors(['a\nb'], new Float32Array(2), 2), /newline/);
});
