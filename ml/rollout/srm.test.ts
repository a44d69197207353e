// The sample-ratio test, with the expected numbers worked out by hand in the comments.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { chiSquareSf, srmChecks, srmMessage, srmTest, SRM_ALPHA } from './srm';

const close = (a: number, b: number, rel = 1e-7) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${a} != ${b}`);

test('chi-square tail against closed forms', () => {
  // df = 1: P(X >= x) = erfc(sqrt(x / 2)); df = 2: exp(-x / 2); df = 3: erfc(sqrt(x/2)) + sqrt(2x/pi) exp(-x/2).
  close(chiSquareSf(40, 1), 2.53962858947086e-10);
  close(chiSquareSf(4.444444444444445, 1), 0.03501498101966251);
  close(chiSquareSf(12, 2), Math.exp(-6));
  close(chiSquareSf(0.5, 2), Math.exp(-0.25));
  close(chiSquareSf(7.815, 3), 0.04999390297488389, 1e-7);
  assert.equal(chiSquareSf(0, 4), 1);
});

test('a 50/50 split with 600 vs 400 users is a mismatch; 880 vs 120 under 90/10 is not', () => {
  // 50/50, 1000 users: E = 500 each; chi2 = 100^2/500 + 100^2/500 = 40, df 1, p = erfc(sqrt(20)) = 2.54e-10.
  const a = srmTest({ c: 600, t: 400 }, { c: 50, t: 50 });
  assert.deepEqual(a.expected, { c: 500, t: 500 });
  close(a.chi2, 40);
  assert.equal(a.df, 1);
  close(a.pValue, 2.53962858947086e-10);
  assert.ok(a.flagged);
  // 90/10, 1000 users: E = 900 and 100; chi2 = 20^2/900 + 20^2/100 = 0.444 + 4 = 4.444, p = 0.035 > 0.001.
  const b = srmTest({ c: 880, t: 120 }, { c: 90, t: 10 });
  close(b.chi2, 4.444444444444445);
  close(b.pValue, 0.03501498101966251);
  assert.equal(b.flagged, false);
});

test('three arms, an arm with no users, an empty period, users where the weight is 0', () => {
  // 80/10/10 of 1000: E = 800, 100, 100; O = 800, 130, 70: chi2 = 0 + 900/100 + 900/100 = 18, df 2, p = exp(-9).
  const t = srmTest({ c: 800, t1: 130, t2: 70 }, { c: 80, t1: 10, t2: 10 });
  close(t.chi2, 18);
  assert.equal(t.df, 2);
  close(t.pValue, Math.exp(-9));
  assert.ok(t.flagged && t.pValue < SRM_ALPHA);
  // An arm missing from the counts counts 0: 95/5 of 200 with the treatment silent: E = 190, 10;
  // chi2 = 10^2/190 + 10^2/10 = 10.53, p = erfc(sqrt(5.26)) = 0.0012: not yet flagged. Of 400: chi2 = 20^2/380 + 20^2/20 = 21.05, flagged.
  const silent = srmTest({ c: 200 }, { c: 95, t: 5 });
  close(silent.chi2, 100 / 190 + 10);
  assert.equal(silent.flagged, false);
  const silent400 = srmTest({ c: 400 }, { c: 95, t: 5 });
  close(silent400.chi2, 400 / 380 + 20);
  assert.ok(silent400.flagged);
  assert.deepEqual(srmTest({}, { c: 90, t: 10 }).pValue, 1);
  // 99/1 of 150 with 8 treatment users: E = 148.5, 1.5; chi2 = 6.5^2/148.5 + 6.5^2/1.5 = 28.45, p ~ 1e-7, but an
  // expected count of 1.5 is too small for the chi-square tail: shown, not flagged.
  const tiny = srmTest({ c: 142, t: 8 }, { c: 99, t: 1 });
  close(tiny.chi2, 42.25 / 148.5 + 42.25 / 1.5);
  assert.ok(tiny.pValue < SRM_ALPHA);
  assert.equal(tiny.flagged, false);
  // A user in an arm the weights give nobody cannot be sampling noise.
  const zero = srmTest({ c: 10, t: 1 }, { c: 100, t: 0 });
  assert.equal(zero.pValue, 0);
  assert.ok(zero.flagged);
});

test('checks keep their group and say what they found', () => {
  const [c] = srmChecks([{ source: 'outcomes', scope: 'handset_maker', key: 'acme', period: 1, weights: { c: 50, t: 50 }, counts: { c: 600, t: 400 } }]);
  assert.equal(c.key, 'acme');
  assert.ok(c.flagged);
  assert.match(srmMessage(c), /users with outcomes, weight period 1 for handset maker "acme": c 600 \(expected 500, weight 50%\), t 400.*chi2 40 with 1 df/);
});
