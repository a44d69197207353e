// CUPED, with the expected numbers worked out by hand, and its variance reduction against rho^2.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { addUser, cuped, cupedDifference, emptyCuped } from './cuped';
import { ratioEstimate } from './readout';

const close = (a: number, b: number, tol = 1e-6) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

test('CUPED by hand: three users per arm, one view each', () => {
  // Control (y, x): (9, 8), (15, 12), (12, 10): R = 12, xbar = 10, l = y - R = (-3, 3, 0), x - xbar = (-2, 2, 0);
  //   sum l(x - xbar) = 12, sum (x - xbar)^2 = 8, sum l^2 = 18.
  // Treatment: (12, 9), (16, 13), (17, 11): R = 15, xbar = 11, l = (-3, 1, 2), x - xbar = (-2, 2, 0);
  //   sum l(x - xbar) = 8, sum (x - xbar)^2 = 8, sum l^2 = 14.
  // theta = (12 + 8) / (8 + 8) = 1.25; xbar over all = 63 / 6 = 10.5.
  // Adjusted: control 12 - 1.25 (10 - 10.5) = 12.625, treatment 15 - 1.25 (11 - 10.5) = 14.375; difference 1.75 (raw 3).
  // Var raw: control 18 / 2 / 3 = 3, treatment 14 / 2 / 3 = 2.3333; difference 5.3333.
  // Var adjusted: control (18 - 2 * 1.25 * 12 + 1.25^2 * 8) / 6 = 0.5 / 6 = 0.08333,
  //   treatment (14 - 2 * 1.25 * 8 + 12.5) / 6 = 6.5 / 6 = 1.08333; difference 1.16667.
  // Reduction 1 - 1.16667 / 5.33333 = 0.78125.
  const c = emptyCuped();
  const t = emptyCuped();
  for (const [y, x] of [[9, 8], [15, 12], [12, 10]]) addUser(c, 1, y, x);
  for (const [y, x] of [[12, 9], [16, 13], [17, 11]]) addUser(t, 1, y, x);
  const res = cuped([c, t]);
  close(res.theta, 1.25);
  close(res.arms[0].adjusted.value, 12.625);
  close(res.arms[1].adjusted.value, 14.375);
  close(res.arms[0].raw.se ** 2, 3);
  close(res.arms[0].adjusted.se ** 2, 0.5 / 6);
  // The raw variance is the readout's user-clustered variance: 3/2 * 18 / 9 = 3.
  close(ratioEstimate({ g: c.g, n: c.n, y: c.y, yy: c.yy, yn: c.yn, nn: c.nn }).se ** 2, 3);
  const d = cupedDifference(res.arms[1], res.arms[0], res.theta);
  close(d.raw.value, 3);
  close(d.adjusted.value, 1.75);
  close(d.raw.se ** 2, 16 / 3);
  close(d.adjusted.se ** 2, 7 / 6);
  close(d.varianceReduction, 0.78125);
});

test('the reduction is about rho^2 of the covariate, and nothing with an unrelated one', () => {
  // Seeded normal pairs with correlation rho = 0.8: expected reduction 0.64; with rho = 0: about 0.
  let a = 12345;
  const u = () => ((a = (a * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
  const normal = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  for (const rho of [0.8, 0]) {
    const arms = [emptyCuped(), emptyCuped()];
    for (let i = 0; i < 20_000; i++) {
      const x = normal();
      const y = 20 + 5 * (rho * x + Math.sqrt(1 - rho * rho) * normal());
      addUser(arms[i % 2], 1, y, 10 + x);
    }
    const res = cuped(arms);
    const d = cupedDifference(res.arms[1], res.arms[0], res.theta);
    close(d.varianceReduction, rho * rho, 0.03);
  }
});
