import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32, Rng } from './rng';

test('mulberry32(42) keeps the stream the bootstrap and the fixtures were written against', () => {
  // Printed by the copy in ml/metrics/bootstrap.ts before it moved here; seeded results depend on them.
  const r = mulberry32(42);
  assert.deepEqual([r(), r(), r()], [0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
});

test('int and normal consume the uniform stream as documented', () => {
  const s = mulberry32(7);
  const x = s();
  const y = s();
  const n = new Rng(7);
  // normal() draws two uniforms x, y and returns sqrt(-2 ln x) cos(2 pi y), then sin(2 pi y) without drawing.
  assert.equal(n.normal(), Math.sqrt(-2 * Math.log(x)) * Math.cos(2 * Math.PI * y));
  assert.equal(n.normal(), Math.sqrt(-2 * Math.log(x)) * Math.sin(2 * Math.PI * y));
  assert.equal(n.int(10), Math.floor(s() * 10));
});

test('state 0 is reached as a draw of exactly 0 and normal() stays finite there', () => {
  // The first draw comes from state + 0x6d2b79f5, so starting at -0x6d2b79f5 mod 2^32 lands on state 0, whose
  // mix is 0: the one state in 2^32 that gives u = 0.
  const start = (2 ** 32 - 0x6d2b79f5) >>> 0;
  assert.equal(new Rng(start).next(), 0);
  assert.ok(Number.isFinite(new Rng(start).normal()));
});

test('uniform draws are spread over [0, 1)', () => {
  const r = mulberry32(123);
  const bins = new Array(10).fill(0);
  for (let i = 0; i < 100_000; i++) bins[Math.floor(r() * 10)]++;
  // Each bin expects 10,000 with a standard deviation of about 95; 500 is more than five of them.
  for (const b of bins) assert.ok(Math.abs(b - 10_000) < 500, String(bins));
});
