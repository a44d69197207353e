// Readout and guardrail, with the expected numbers worked out by hand in the comments.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  difference, evaluateGuardrails, formatGuardrail, parseGuardrail, ratioEstimate, readout, sumsOf, wtgReference,
  type ArmView,
} from './readout';

const close = (a: number, b: number, tol = 1e-4) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);
const view = (arm: string, userId: string, timespentS: number, videoLengthS = 0, requestId = ''): ArmView =>
  ({ arm, userId, requestId, timespentS, videoLengthS });

test('user-clustered mean watch time and the treatment-minus-control difference', () => {
  // Control: user A watched 10 s and 20 s, user B 30 s. R = 60 / 3 = 20.
  // Residuals y_u - R n_u: A 30 - 40 = -10, B 30 - 20 = 10; sum of squares 200.
  // Var = G/(G-1) * 200 / n^2 = 2 * 200 / 9 = 44.444; se = 6.6667; CI 20 -+ 1.96 * 6.6667 = [6.933, 33.067].
  // Treatment: C 10 s, D 14 s. R = 12; residuals -2, 2; Var = 2 * 8 / 4 = 4; se = 2.
  // Difference -8, se = sqrt(44.444 + 4) = 6.9602; relative -8/20 = -0.4,
  // relative se = sqrt(2^2/20^2 + 12^2 * 44.444 / 20^4) = sqrt(0.01 + 0.04) = 0.22361.
  const views = [view('p', 'A', 10, 0, 'r1'), view('p', 'A', 20, 0, 'r1'), view('p', 'B', 30, 0, 'r2'),
    view('t', 'C', 10, 0, 'r3'), view('t', 'D', 14)];
  const r = readout(sumsOf(views), 'p', ['p', 't']);
  assert.deepEqual(r.arms.map((a) => [a.arm, a.views, a.users, a.requests]), [['p', 3, 2, 2], ['t', 2, 2, 1]]);
  const c = r.arms[0].metrics.watch_time;
  close(c.value, 20);
  close(c.se, 6.6667);
  close(c.ci95[0], 20 - 1.959964 * 6.666667);
  close(r.arms[1].metrics.watch_time.se, 2);
  const d = r.differences[0].metrics.watch_time;
  close(d.absolute.value, -8);
  close(d.absolute.se, 6.9602);
  close(d.relative.value, -0.4);
  close(d.relative.se, 0.22361);
  // No length known: the length-based rates have no data.
  assert.ok(Number.isNaN(r.arms[0].metrics.completion_rate.value));
});

test('WTG positive rate and completion >= 90% against pooled duration groups', () => {
  // Lengths 10, 10, 20, 20 with k = 2: the edge is percentile_disc(0.5) = 10, so groups {10, 10} and {20, 20}.
  // Group means of timespent: (5 + 9) / 2 = 7 and (10 + 30) / 2 = 20.
  // WTG > 0: 5 > 7 no, 9 > 7 yes, 10 > 20 no, 30 > 20 yes -> 2/4.
  // Completion: 5/10 no, 9/10 = 0.9 yes, 10/20 no, 30/20 yes -> 2/4.
  const views = [view('p', 'A', 5, 10), view('p', 'A', 9, 10), view('p', 'B', 10, 20), view('p', 'B', 30, 20)];
  const ref = wtgReference(views, 2);
  assert.deepEqual(ref, { edges: [10], means: [7, 20] });
  const r = readout(sumsOf(views, ref), 'p');
  close(r.arms[0].metrics.wtg_rate.value, 0.5);
  close(r.arms[0].metrics.completion_rate.value, 0.5);
  // Per user (n, y): A (2, 1), B (2, 1): residuals 0, so se 0.
  close(r.arms[0].metrics.wtg_rate.se, 0);
});

test('an estimate from fewer than 2 users has an unbounded interval', () => {
  const e = ratioEstimate({ g: 1, n: 3, y: 30, yy: 900, yn: 90, nn: 9 });
  assert.equal(e.value, 10);
  assert.equal(e.se, Infinity);
  const d = difference(e, { value: 10, se: 1, ci95: [8, 12] });
  assert.equal(d.absolute.ci95[1], Infinity);
});

test('the guardrail trips only past the drop, with the always-valid sequence excluding zero, after enough views', () => {
  // 16 users per arm, one view each. Control 19, 21, ... : R = 20, residuals +-1, Var = 16/15 * 16 / 256 = 0.06667.
  // Treatment 17, 19, ...: R = 18, same Var. Difference -2, V = 0.13333, se = 0.3651; fixed CI upper -2 + 1.96 * 0.3651 = -1.284.
  // Always-valid (tau = 5% of 20 = 1): half-width sqrt(V (V + 1) / 1 * (2 ln 20 + ln((V + 1) / V)))
  //   = sqrt(0.13333 * 1.13333 * (5.99146 + 2.14007)) = sqrt(1.22876) = 1.10850; upper -0.8915 < 0; relative -10% < -3%.
  const ctl = Array.from({ length: 16 }, (_, i) => view('p', `c${i}`, i % 2 ? 21 : 19));
  const bad = Array.from({ length: 16 }, (_, i) => view('t', `t${i}`, i % 2 ? 19 : 17));
  const r = readout(sumsOf([...ctl, ...bad]), 'p');
  const breaches = evaluateGuardrails(r, [parseGuardrail('watch_time<-3%@16')]);
  assert.equal(breaches.length, 1);
  assert.equal(breaches[0].arm, 't');
  close(breaches[0].relativePct, -10);
  close(breaches[0].ci95[1], -1.2843224);
  close(breaches[0].alwaysValid[1], -0.8915034);
  assert.match(breaches[0].message, /watch_time 18 vs control p 20 \(-10\.00%, difference -2 with always-valid 95% CS \[-3\.108, -0\.8915\], fixed 95% CI \[-2\.716, -1\.284\]\) after 16 views/);
  // Too few views, or a drop within the limit: no breach.
  assert.equal(evaluateGuardrails(r, [parseGuardrail('watch_time<-3%@17')]).length, 0);
  assert.equal(evaluateGuardrails(r, [parseGuardrail('watch_time<-10%@16')]).length, 0);
  // With 4 users per arm: V = 2 * 4/3 * 4 / 16 = 0.6667, the fixed CI upper is -2 + 1.96 * 0.8165 = -0.400 < 0, but the
  // sequence's is -2 + sqrt(0.6667 * 1.6667 * (5.99146 + ln 2.5)) = -2 + 2.770 = 0.770 > 0: too early to stop on four users.
  const few = readout(sumsOf([...ctl.slice(0, 4), ...bad.slice(0, 4)]), 'p');
  const d = few.differences[0].metrics.watch_time;
  close(d.absolute.ci95[1], -2 + 1.959964 * 0.816497);
  close(d.alwaysValid.ci95[1], 0.7704302);
  assert.equal(evaluateGuardrails(few, [parseGuardrail('watch_time<-3%@4')]).length, 0);
});

test('parseGuardrail reads METRIC<-P%@N and explains bad input', () => {
  assert.deepEqual(parseGuardrail('watch_time<-3%@1000'), { metric: 'watch_time', maxDropPct: 3, minViews: 1000 });
  assert.deepEqual(parseGuardrail(' wtg < -2.5% '), { metric: 'wtg_rate', maxDropPct: 2.5, minViews: 1000 });
  assert.equal(formatGuardrail(parseGuardrail('completion<-1%@50')), 'completion_rate<-1%@50');
  assert.throws(() => parseGuardrail('watch_time>3%'), /METRIC<-P%@N/);
  assert.throws(() => parseGuardrail('likes<-3%'), /unknown metric/);
  assert.throws(() => parseGuardrail('watch_time<-3%@0'), /min views/);
});
