import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { generateSynthetic, picker, type SyntheticView } from './synthetic';
import { Rng } from './rng';
import type { ItemRecord } from './events';
import { MarketClock } from './time';

function run(seed: number) {
  const items: ItemRecord[] = [];
  const views: SyntheticView[] = [];
  generateSynthetic({ users: 300, items: 200, days: 7, seed, dim: 8 }, (it) => items.push(it), (v) => views.push(v));
  return { items, views };
}

test('same seed, same log; another seed, another log', () => {
  const h = (x: unknown) => crypto.createHash('sha256').update(JSON.stringify(x)).digest('hex');
  const a = run(11);
  assert.equal(h(a), h(run(11)));
  assert.notEqual(h(a), h(run(12)));
  assert.ok(a.views.length > 5000);
  assert.equal(a.items[0].embedding.length, 8);
});

test('the duration bias: longer videos get more watch time but lower completion', () => {
  const { views } = run(5);
  const short = views.filter((v) => v.video_length_s! <= 15);
  const long = views.filter((v) => v.video_length_s! >= 60);
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(mean(long.map((v) => v.timespent_s)) > mean(short.map((v) => v.timespent_s)));
  assert.ok(mean(long.map((v) => v.timespent_s / v.video_length_s!)) < mean(short.map((v) => v.timespent_s / v.video_length_s!)));
});

test('the recorded affinity drives engagement; activity follows the hour-of-day cycle; items have creators', () => {
  const { views, items } = run(6);
  const hi = views.filter((v) => v.affinity > 0.3);
  const lo = views.filter((v) => v.affinity < -0.3);
  const likeRate = (xs: SyntheticView[]) => xs.filter((v) => v.liked).length / xs.length;
  assert.ok(likeRate(hi) > 2 * likeRate(lo), `${likeRate(hi)} vs ${likeRate(lo)}`);
  const clock = new MarketClock('Asia/Kolkata');
  const at = (h: number) => views.filter((v) => clock.hod(v.ts) === h).length;
  assert.ok(at(20) > 3 * at(3), `${at(20)} vs ${at(3)}`);
  assert.ok(new Set(items.map((i) => i.creator_id)).size > 1);
  assert.ok(views.every((v) => v.ts >= (items.find((i) => i.item_id === v.item_id)!.created_at ?? 0)), 'no view before its upload');
  assert.ok(new Set(views.map((v) => v.handset_maker)).size >= 5);
  assert.ok(views.some((v) => v.shared) && views.some((v) => v.downloaded));
});

test('picker answers what rng.pick answers from the same draws, on long, skewed and flat weights', () => {
  const cases = [
    Array.from({ length: 5000 }, (_, i) => 1 / Math.pow(i + 1, 0.8)).reverse(),
    Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? 0 : (i * 7919) % 13)),
    [0, 0, 5, 0, 1e-9, 3],
    [1],
    Array.from({ length: 1000 }, () => 0.1),
  ];
  for (const weights of cases) {
    const cdf: number[] = [];
    let s = 0;
    for (const w of weights) cdf.push((s += w));
    const pick = picker(cdf);
    const a = new Rng(42);
    const b = new Rng(42);
    for (let k = 0; k < 20_000; k++) assert.equal(pick(a), b.pick(cdf));
  }
});

test('the generated logs are the ones the generator has always made (items and views, pinned by digest)', () => {
  // Stored logs, datasets and benchmarks compare against logs made by earlier versions: a faster generator must
  // draw the same numbers in the same order.
  const pinned: [Parameters<typeof generateSynthetic>[0], number, string][] = [
    [{ users: 300, items: 200, days: 7, seed: 11, dim: 8 }, 16748, 'c7faf4d63e186c3bf839450055e227f382912b19bcad035bf398270be9112eeb'],
    [{ users: 400, items: 1000, days: 20, seed: 3, dim: 4, timezone: 'America/New_York', start: '2024-03-01', viewsPerDay: 15 }, 134774,
      'ed74fe5a80f37f904d4a0b4901055687a56f670737f66846a0b35e298449cc56'],
  ];
  for (const [p, n, digest] of pinned) {
    const items: ItemRecord[] = [];
    const views: SyntheticView[] = [];
    generateSynthetic(p, (it) => items.push(it), (v) => views.push(v));
    assert.equal(views.length, n);
    assert.equal(crypto.createHash('sha256').update(JSON.stringify({ items, views })).digest('hex'), digest);
  }
});
