// The SIMD Adam against Adam in float32 arithmetic written out in JS (each operation rounded with Math.fround, in
// the order of the engine's former graph nodes), bit for bit, over ranges that start and end off the 4-lane
// vectors; and against adam.ts's float64 Adam within float32 rounding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SimdAdam } from './adam-simd';
import { adamStep, DEFAULT_ADAM } from './adam';
import { Rng } from '../model/rng';

/** float32 Adam, one value at a time: m = m b1 + g (1 - b1); v = v b2 + (g g)(1 - b2); p -= (m / (sqrt(v) + eps)) lr. */
function reference(p: Float32Array, m: Float32Array, v: Float32Array, g: Float32Array, lr: number, lo: number, hi: number): void {
  const f = Math.fround;
  const c = DEFAULT_ADAM;
  const [b1, c1, b2, c2, eps] = [f(c.beta1), f(1 - c.beta1), f(c.beta2), f(1 - c.beta2), f(c.eps)];
  for (let i = lo; i < hi; i++) {
    m[i] = f(m[i] * b1) + f(g[i] * c1);
    v[i] = f(v[i] * b2) + f(f(g[i] * g[i]) * c2);
    const den = f(Math.sqrt(v[i])) + eps;
    p[i] = p[i] - f(f(m[i] / f(den)) * f(lr));
  }
}

test('SIMD Adam equals float32 Adam bit for bit, whole vectors and unaligned ends', () => {
  const n = 1003;
  const rng = new Rng(5);
  const a = new SimdAdam(n);
  const p = Float32Array.from({ length: n }, () => rng.normal());
  const m = new Float32Array(n);
  const v = new Float32Array(n);
  a.params.set(p);
  for (let t = 1; t <= 4; t++) {
    const g = Float32Array.from({ length: n }, (_, i) => (i % 17 === 0 ? 0 : 1e-2 * rng.normal() * Math.exp(3 * rng.normal())));
    a.grad.set(g);
    // Two learning rates over ranges whose bounds are not multiples of 4 (the engine's per-head multipliers).
    const ranges: [number, number, number][] = t % 2 ? [[0, n, 1e-3 * t]] : [[0, 1, 2e-3], [1, 514, 1e-3], [514, 999, 5e-3], [999, n, 1e-3]];
    for (const [lo, hi, lr] of ranges) {
      a.step(lr, DEFAULT_ADAM.beta1, DEFAULT_ADAM.beta2, DEFAULT_ADAM.eps, lo, hi);
      reference(p, m, v, g, lr, lo, hi);
    }
    for (let i = 0; i < n; i++) {
      assert.ok(Object.is(a.params[i], p[i]) && Object.is(a.m[i], m[i]) && Object.is(a.v[i], v[i]),
        `step ${t}, value ${i}: p ${a.params[i]} vs ${p[i]}, m ${a.m[i]} vs ${m[i]}, v ${a.v[i]} vs ${v[i]}`);
    }
  }
});

test('SIMD Adam follows adam.ts (float64) within float32 rounding', () => {
  const n = 64;
  const rng = new Rng(9);
  const a = new SimdAdam(n);
  const p = Float32Array.from({ length: n }, () => rng.normal());
  const m = new Float32Array(n);
  const v = new Float32Array(n);
  a.params.set(p);
  const c = DEFAULT_ADAM;
  for (let t = 1; t <= 3; t++) {
    const g = Float32Array.from({ length: n }, () => 0.1 * rng.normal());
    a.grad.set(g);
    a.step(c.lr * Math.sqrt(1 - c.beta2 ** t) / (1 - c.beta1 ** t), c.beta1, c.beta2, c.eps);
    adamStep(p, m, v, [g], 0, n, t, c);
  }
  // Three steps of about lr each: the float32 path stays within a few float32 ulps of the parameters.
  for (let i = 0; i < n; i++) assert.ok(Math.abs(a.params[i] - p[i]) <= 1e-6 * Math.max(1, Math.abs(p[i])), `value ${i}: ${a.params[i]} vs ${p[i]}`);
});
