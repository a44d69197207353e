// The sanity scorers: the smoothed prior worked out by hand, and a random score that depends only on its keys.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { itemPrior, itemPriorsOf, randomScore, sanityScore, UNKNOWN_LENGTH_SCORE } from './sanity';

test('item prior: training counts smoothed toward the global rate', () => {
  // Items 0,0,0,1,1 with relevance 1,1,0,0,undefined: the undefined row is a view (popular) but not in the rate.
  // Global rate 2/4 = 0.5. Item 0: (2 + 20 * 0.5) / (3 + 20) = 12/23; item 1: (0 + 10) / (1 + 20) = 10/21.
  const p = itemPriorsOf(3, [0, 0, 0, 1, 1], [1, 1, 0, 0, NaN]);
  assert.equal(p.globalRate, 0.5);
  assert.ok(Math.abs(itemPrior(p, 0) - 12 / 23) < 1e-15);
  assert.ok(Math.abs(itemPrior(p, 1) - 10 / 21) < 1e-15);
  assert.ok(Math.abs(itemPrior(p, 2) - 0.5) < 1e-15, 'an item never viewed gets the global rate');
  assert.equal(sanityScore('popular', p, 0, 0, 1, 10), 2);
});

test('random score: seeded, in [0, 1), a function of its keys only, and spread', () => {
  assert.equal(randomScore(42, 1, 2, 3), randomScore(42, 1, 2, 3));
  assert.notEqual(randomScore(42, 1, 2, 3), randomScore(42, 1, 2, 4));
  assert.notEqual(randomScore(42, 1, 2, 3), randomScore(43, 1, 2, 3));
  let sum = 0;
  for (let i = 0; i < 10000; i++) { const r = randomScore(42, i % 97, i % 3, i); assert.ok(r >= 0 && r < 1); sum += r; }
  assert.ok(Math.abs(sum / 10000 - 0.5) < 0.02);
});

test('shortest and longest put unknown lengths last', () => {
  const p = itemPriorsOf(1, [], []);
  assert.equal(sanityScore('shortest', p, 0, 0, 0, 12), -12);
  assert.equal(sanityScore('longest', p, 0, 0, 0, 12), 12);
  assert.equal(sanityScore('longest', p, 0, 0, 0, NaN), UNKNOWN_LENGTH_SCORE);
});
