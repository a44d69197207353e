import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { floatDictionaryOf } from './view-file-writer';

test('the float dictionary keyed by bits equals the Map-keyed one: first-seen order, -0 as +0, NaN, infinities, subnormals, the 4,096 cap', () => {
  const f32 = (xs: number[]) => Float32Array.from(xs);
  const negZeroFirst = f32([-0, 1.5, 0, -0, 1.5, 2]);
  const cases: [string, Float32Array][] = [
    ['lengths', Float32Array.from({ length: 50_000 }, (_, k) => [12, 31, 7.5, 600, 45][(k * 7) % 5])],
    ['-0 before +0', negZeroFirst],
    ['+0 before -0', f32([0, -0, 3])],
    ['NaN among values', f32([1, Number.NaN, 2, Number.NaN, 1])],
    ['NaN with another payload', new Float32Array(Uint32Array.from([0x3f800000, 0x7fc00001, 0x7fc00000, 0x3f800000]).buffer)],
    ['infinities and subnormals', f32([Infinity, -Infinity, 1e-45, -1e-45, 1e-40, Infinity, 1e-45])],
    ['exactly the cap', Float32Array.from({ length: 10_000 }, (_, k) => (k % 4096) / 8)],
    ['one past the cap', Float32Array.from({ length: 10_000 }, (_, k) => (k % 4097) / 8)],
    ['colliding bits', Float32Array.from({ length: 4000 }, (_, k) => 2 ** (k % 200 - 100) * (1 + (k % 7) / 8))],
  ];
  for (const [name, values] of cases) {
    const want = floatDictionaryOf(values, true);
    const got = floatDictionaryOf(values, false);
    assert.deepEqual(got, want, name);
  }
  // The cap is 4,096 distinct values: one more gives no dictionary.
  assert.ok(floatDictionaryOf(cases[6][1], false));
  assert.equal(floatDictionaryOf(cases[7][1], false), undefined);
  assert.deepEqual([...new Float32Array(floatDictionaryOf(negZeroFirst, false)!.bytes.buffer)].map((x) => Object.is(x, -0)), [false, false, false]);
});
