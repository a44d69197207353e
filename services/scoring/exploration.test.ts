import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { EXPLORED_PER_RESPONSE, explore, explores } from './exploration';

const candidates = Array.from({ length: 50 }, (_, i) => `c${i}`);
// The model's top 10: c0..c9 with scores 1.0, 0.9, ..., 0.1.
const ranked = { itemIds: candidates.slice(0, 10), scores: Array.from({ length: 10 }, (_, i) => 1 - i / 10) };
const scoreOf = (id: string) => -Number(id.slice(1));

test('explores: share 0 never, share 1 always, and about the share of users in between', () => {
  assert.equal(explores('s', 'u1', '2026-12-05', 0), false);
  assert.equal(explores('s', 'u1', '2026-12-05', 1), true);
  let n = 0;
  for (let u = 0; u < 10_000; u++) if (explores('salt', `u${u}`, '2026-12-05', 0.1)) n++;
  // Binomial(10,000, 0.1): sd 30; 5 sd either side.
  assert.ok(n > 850 && n < 1150, `${n} of 10,000 explore at 10%`);
});

test('explore: a pure function of salt, user and day', () => {
  const a = explore(ranked, candidates, 10, scoreOf, 'salt', 'u7', '2026-12-05', 1);
  const b = explore(ranked, candidates, 10, scoreOf, 'salt', 'u7', '2026-12-05', 1);
  assert.deepEqual(a, b);
  const days = new Set<string>();
  for (let d = 1; d <= 9; d++) days.add(explore(ranked, candidates, 10, scoreOf, 'salt', 'u7', `2026-12-0${d}`, 1).explored.join());
  assert.ok(days.size > 5, 'another day moves other candidates');
  assert.notDeepEqual(explore(ranked, candidates, 10, scoreOf, 'pepper', 'u7', '2026-12-05', 1).explored, a.explored);
});

test('explore: moves 3 candidates from outside the list into it; the rest keep their order and scores', () => {
  const r = explore(ranked, candidates, 10, scoreOf, 'salt', 'u7', '2026-12-05', 1);
  assert.equal(r.explored.length, EXPLORED_PER_RESPONSE);
  assert.equal(r.itemIds.length, 10);
  for (const id of r.explored) {
    assert.ok(!ranked.itemIds.includes(id), `${id} came from outside the model's top 10`);
    assert.equal(r.scores[r.itemIds.indexOf(id)], scoreOf(id));
  }
  // The model's items keep their order: its top 7 fill the other 7 places.
  const kept = r.itemIds.filter((id) => !r.explored.includes(id));
  assert.deepEqual(kept, ranked.itemIds.slice(0, 7));
  assert.deepEqual(r.scores.filter((_, i) => !r.explored.includes(r.itemIds[i])), ranked.scores.slice(0, 7));
});

test('explore: not exploring returns the list as it was', () => {
  const r = explore(ranked, candidates, 10, scoreOf, 'salt', 'u7', '2026-12-05', 0);
  assert.deepEqual(r, { ...ranked, explored: [] });
});

test('explore: picks and positions are uniform (chi-square over many users)', () => {
  // 40 outside candidates, 10 positions, 20,000 users x 3 moves = 60,000 picks: expected 1,500 per candidate
  // and 6,000 per position. Chi-square with 39 and 9 degrees of freedom stays below 80 and 30 (p < 1e-4).
  const perItem = new Map<string, number>();
  const perPos = new Array<number>(10).fill(0);
  for (let u = 0; u < 20_000; u++) {
    const r = explore(ranked, candidates, 10, scoreOf, 'salt', `u${u}`, '2026-12-05', 1);
    for (const id of r.explored) {
      perItem.set(id, (perItem.get(id) ?? 0) + 1);
      perPos[r.itemIds.indexOf(id)]++;
    }
  }
  assert.equal(perItem.size, 40);
  const chi = (xs: number[], e: number) => xs.reduce((s, x) => s + (x - e) ** 2 / e, 0);
  assert.ok(chi([...perItem.values()], 1500) < 80, `items chi-square ${chi([...perItem.values()], 1500)}`);
  assert.ok(chi(perPos, 6000) < 30, `positions chi-square ${chi(perPos, 6000)}`);
});

test('explore: a short candidate list moves what there is, from the list itself when nothing is outside', () => {
  const r = explore({ itemIds: ['a', 'b'], scores: [2, 1] }, ['a', 'b'], 10, (id) => (id === 'a' ? 2 : 1), 'salt', 'u1', '2026-12-05', 1);
  assert.equal(r.itemIds.length, 2);
  assert.deepEqual([...r.itemIds].sort(), ['a', 'b']);
  assert.deepEqual([...r.explored].sort(), ['a', 'b']);
});
