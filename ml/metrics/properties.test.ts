// Property tests: ranges, perfect rankings score 1, invariance to the order of input rows, one-class lists, and
// agreement of the sort-based AUC/AP with brute-force definitions.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { rankList } from './ranked-list';
import * as m from './list-metrics';
import { globalAuc } from './auc';
import { evaluateRanking } from './evaluate';

const KS = [1, 3, 5, 50];
// Scores from a small integer set so that ties are common.
const rowArb = fc.record({ s: fc.integer({ min: 0, max: 6 }), l: fc.integer({ min: 0, max: 1 }), w: fc.double({ min: -3, max: 3, noNaN: true }), t: fc.double({ min: 0, max: 100, noNaN: true }), c: fc.double({ min: 0, max: 1.5, noNaN: true }) });
const listArb = fc.array(rowArb, { minLength: 1, maxLength: 30 });
const bothClasses = listArb.filter((rs) => rs.some((r) => r.l === 1) && rs.some((r) => r.l === 0));

function ranked(rs: { s: number; l: number; w: number; t: number; c: number }[]) {
  return rankList({ score: rs.map((r) => r.s), label: rs.map((r) => r.l), wtg: rs.map((r) => r.w), timespentS: rs.map((r) => r.t), pcc: rs.map((r) => r.c) });
}

test('rate metrics lie in [0, 1]; recall_capped >= recall; top-K sums are bounded by the list', () => {
  fc.assert(fc.property(bothClasses, (rs) => {
    const l = ranked(rs);
    const unit = (x: number) => x >= 0 && x <= 1 + 1e-12;
    assert.ok(unit(m.averagePrecision(l)) && unit(m.reciprocalRank(l)) && unit(m.listAuc(l)));
    for (const k of KS) {
      const vals = [m.recallAtK(l, k), m.recallCappedAtK(l, k), m.hitRateAtK(l, k), m.ndcgAtK(l, k), m.averagePrecisionAtK(l, k), m.pcc98RateAtK(l, k)];
      assert.ok(vals.every(unit), JSON.stringify(vals));
      assert.ok(m.recallCappedAtK(l, k) >= m.recallAtK(l, k) - 1e-12);
      // Columns are kept as float32, hence the relative tolerance.
      assert.ok(m.watchTimeAtK(l, k) <= rs.reduce((a, r) => a + r.t, 0) * (1 + 1e-6) + 1e-9);
      assert.ok(Math.abs(m.wtgGainAtK(l, k)) <= 3 + 1e-6);
    }
  }));
});

test('a perfect ranking scores 1 on every rank metric', () => {
  fc.assert(fc.property(bothClasses, (rs) => {
    // Relevant rows strictly above every non-relevant row (ties only within a class).
    const l = rankList({ score: rs.map((r) => r.l * 10 + r.s), label: rs.map((r) => r.l) });
    assert.equal(m.averagePrecision(l), 1);
    assert.equal(m.reciprocalRank(l), 1);
    assert.equal(m.listAuc(l), 1);
    for (const k of KS) {
      assert.equal(m.recallCappedAtK(l, k), 1);
      assert.ok(Math.abs(m.ndcgAtK(l, k) - 1) < 1e-12);
      assert.equal(m.averagePrecisionAtK(l, k), 1);
      assert.equal(m.hitRateAtK(l, k), 1);
      if (k >= l.nRel) assert.equal(m.recallAtK(l, k), 1);
    }
  }));
});

test('sort-based AUC and AP agree with their brute-force definitions', () => {
  fc.assert(fc.property(bothClasses, (rs) => {
    const l = ranked(rs);
    let u = 0, pairs = 0;
    for (const a of rs) for (const b of rs) if (a.l === 1 && b.l === 0) { pairs++; u += a.s > b.s ? 1 : a.s === b.s ? 0.5 : 0; }
    assert.ok(Math.abs(m.listAuc(l) - u / pairs) < 1e-12);
    assert.ok(Math.abs(globalAuc(rs.map((r) => r.s), rs.map((r) => r.l)) - u / pairs) < 1e-12);
    // AP by its definition on the documented order (score desc, non-relevant first among ties).
    const sorted = [...rs].sort((a, b) => b.s - a.s || a.l - b.l);
    let hits = 0, sum = 0;
    sorted.forEach((r, i) => { if (r.l) { hits++; sum += hits / (i + 1); } });
    assert.ok(Math.abs(m.averagePrecision(l) - sum / hits) < 1e-12);
  }));
});

test('lists with one class: per-list metrics are NaN and the report excludes and counts them', () => {
  fc.assert(fc.property(listArb, fc.integer({ min: 0, max: 1 }), (rs, cls) => {
    const one = rs.map((r) => ({ ...r, l: cls }));
    const l = ranked(one);
    assert.ok(Number.isNaN(m.listAuc(l)));
    const rep = evaluateRanking({ user: new Int32Array(one.length), nUsers: 1, label: one.map((r) => r.l) }, one.map((r) => r.s), null, { ks: [5] });
    assert.equal(rep.users.evaluated, 0);
    assert.equal(cls === 1 ? rep.users.only_relevant : rep.users.only_non_relevant, 1);
    assert.equal(rep.overall.mrr, null);
    assert.equal(rep.overall.gauc, null);
  }));
});

test('the report does not depend on the order of input rows (bit-identical)', () => {
  const rowsArb = fc.array(fc.record({ u: fc.integer({ min: 0, max: 4 }), d: fc.integer({ min: 0, max: 1 }), s: fc.integer({ min: 0, max: 4 }), b: fc.integer({ min: 0, max: 4 }), l: fc.integer({ min: 0, max: 1 }), w: fc.integer({ min: -2, max: 2 }) }), { minLength: 2, maxLength: 40 });
  fc.assert(fc.property(rowsArb, fc.integer(), (rs, seed) => {
    // Items are unique per row, so the tie key decides every remaining tie.
    const items = rs.map((_, i) => i);
    const perm = rs.map((_, i) => i);
    let x = seed >>> 0;
    for (let i = perm.length - 1; i > 0; i--) { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; const j = x % (i + 1); [perm[i], perm[j]] = [perm[j], perm[i]]; }
    const build = (idx: number[]) => evaluateRanking({
      user: Int32Array.from(idx.map((i) => rs[i].u)), nUsers: 5, label: idx.map((i) => rs[i].l), item: idx.map((i) => items[i]),
      day: Int32Array.from(idx.map((i) => rs[i].d)), days: ['d0', 'd1'], wtg: idx.map((i) => rs[i].w),
    }, idx.map((i) => rs[i].s), idx.map((i) => rs[i].b), { ks: [1, 3], bootstrap: false });
    const a = build(rs.map((_, i) => i));
    const b = build(perm);
    // Units are numbered in (user, day) order, so sums run in one order: the reports are identical.
    assert.deepEqual(a, b);
  }));
});

test('a report over perfectly ranked lists scores 1 on the rank metrics, overall and per day', () => {
  const rowsArb = fc.array(fc.record({ u: fc.integer({ min: 0, max: 5 }), d: fc.integer({ min: 0, max: 2 }), l: fc.integer({ min: 0, max: 1 }), s: fc.integer({ min: 0, max: 3 }) }), { minLength: 2, maxLength: 60 });
  fc.assert(fc.property(rowsArb, (rs) => {
    const rep = evaluateRanking({ user: Int32Array.from(rs.map((r) => r.u)), nUsers: 6, label: rs.map((r) => r.l), day: Int32Array.from(rs.map((r) => r.d)), days: ['a', 'b', 'c'] },
      rs.map((r) => r.l * 10 + r.s), null, { ks: [1, 5] });
    for (const set of [rep.overall, ...Object.values(rep.by_day)]) {
      if (set.mrr === null) continue;
      for (const m of ['map', 'mrr', 'gauc', 'auc', 'recall_capped@1', 'recall_capped@5', 'ndcg@5', 'map@5', 'hit_rate@1']) assert.equal(set[m], 1, m);
    }
  }));
});
