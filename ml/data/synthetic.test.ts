import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { generateSynthetic, type SyntheticView } from './synthetic';
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
