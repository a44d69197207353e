// Hot swaps under load: while 32 Score calls are kept in flight through real gRPC, production is swapped 100
// times by PromoteModelVersion / RollbackModel (the registry's NOTIFY reaches scoring, which loads, warms and
// swaps). No call may fail, and every response must name a version that was serving production at some moment
// of that call, with the scores of that version. "Serving" is read from the scoring service's own timeline
// (its "serving set swapped" log lines, captured with their times); how far that timeline trails the
// registry's (each swap's lag after the promote or rollback answered) is measured and bounded too.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import type { ScoreResponse__Output } from '../../proto/gen/modelops/v1/ScoreResponse';
import { Client } from 'pg';
import { call, clientOf, upload, type Target } from '../../cli/client';
import { TEST_LAYOUT, versionFiles } from '../scoring/fixtures';
import { FAULT_SUITE, LogWatch } from './harness';
import { startServeProcess, type ServeProcess } from './serve-process';

const MODEL = 'swap-model';
const SWAPS = Number(process.env.FAULT_SWAPS ?? 100);
const IN_FLIGHT = 32;
/** The most a swap may trail the registry change that caused it (ms); the measured lag is printed. */
const LAG_BOUND_MS = 5_000;

/** A LogWatch that also keeps scoring's serving-set swaps of MODEL: when, and which version became production. */
class SwapWatch extends LogWatch {
  readonly swaps: { time: number; production: string }[] = [];
  override take(line: string): void {
    super.take(line);
    if (!line.includes('serving set swapped')) return;
    const o = JSON.parse(line) as { time: number; model: string; production: string };
    if (o.model === MODEL) this.swaps.push({ time: o.time, production: o.production });
  }
}

const watch = new SwapWatch();
let srv: ServeProcess;
let db: Client;
let admin: Target;
let users: string[];
let items: string[];
/** Each version's score of each (user, item), from one call per user while that version alone served. */
const reference = new Map<string, Map<string, number>>();

before(async () => {
  if (!FAULT_SUITE) return;
  srv = await startServeProcess(watch);
  admin = srv.admin;
  db = new Client({ connectionString: srv.databaseUrl });
  await db.connect();
  // Online features for the test layout's dimension, so Score reads real rows from the feature store.
  await call(admin, clientOf('FeatureService', admin), 'GenerateEvents', { users: 20, items: 40, days: 2, seed: 5, dim: TEST_LAYOUT.embeddingDim, views_per_day: 5, source: 'swaps' });
  users = (await db.query<{ user_id: string }>("SELECT user_id FROM online_user_features WHERE source = 'swaps' ORDER BY user_id LIMIT 4")).rows.map((r) => r.user_id);
  items = (await db.query<{ item_id: string }>("SELECT item_id FROM items WHERE source = 'swaps' ORDER BY item_id LIMIT 30")).rows.map((r) => r.item_id);
  assert.equal(users.length, 4);
  const registry = clientOf('RegistryService', admin);
  await call(admin, registry, 'CreateModel', { model_id: MODEL });
  for (const [name, seed] of [['swap-a', 101], ['swap-b', 202]] as const) {
    await upload(admin, registry, 'CreateModelVersion', [
      { header: { model: MODEL, version_name: name, arch: 'two-tower-base', task: 'binary', label: 'wtg', buckets: 'equi-quantile:10', dataset_id: 'ds-test' } },
      ...versionFiles({ seed, layout: TEST_LAYOUT }).map((f) => ({ chunk: { file_name: f.name, data: f.data } }))]);
  }
  // Each version's scores, read while it is production; then swap-a serves again.
  for (const name of ['swap-a', 'swap-b', 'swap-a']) {
    const sent = Date.now();
    await promote(name);
    await swapped(`models/${MODEL}/versions/${name === 'swap-a' ? 1 : 2}`, sent);
    if (reference.has(name)) continue;
    const m = new Map<string, number>();
    for (const u of users) {
      const r = await score(u, items.length);
      assert.equal(r.version_name, name);
      r.item_ids.forEach((id, i) => m.set(`${u}/${id}`, r.scores[i]));
    }
    reference.set(name, m);
  }
});
after(async () => {
  await db?.end();
  const code = await srv?.stop();
  if (srv) assert.equal(code, 0, 'the server stopped cleanly');
});

function promote(version: string): Promise<unknown> {
  return call(admin, clientOf('RegistryService', admin), 'PromoteModelVersion', { model: MODEL, version, force: true, reason: 'fault suite: hot swap' });
}

function rollback(): Promise<{ version: { version_name: string } }> {
  return call(admin, clientOf('RegistryService', admin), 'RollbackModel', { model: MODEL, reason: 'fault suite: hot swap' });
}

function score(user: string, topK = 10): Promise<ScoreResponse__Output> {
  return call(admin, clientOf('ScoringService', admin), 'Score', { model: MODEL, user_id: user, item_ids: items, top_k: topK, context: { hod: 20, dow: 5 } }, { deadlineMs: 10_000 });
}

/** Waits until scoring logged a swap to `production` at or after `since`; returns the swap's time. */
async function swapped(production: string, since: number): Promise<number> {
  const until = Date.now() + LAG_BOUND_MS;
  for (;;) {
    const s = watch.swaps.find((x) => x.time >= since && x.production === production);
    if (s) return s.time;
    if (Date.now() > until) throw new Error(`scoring did not swap to ${production} within ${LAG_BOUND_MS} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

interface Served { start: number; end: number; res: ScoreResponse__Output; user: string }

test(`${SWAPS} promote/rollback swaps with ${IN_FLIGHT} Score calls in flight: no call fails, each names a version serving during the call`, { skip: !FAULT_SUITE, timeout: 300_000 }, async () => {
  const served: Served[] = [];
  const failures: string[] = [];
  let stop = false;
  let inFlight = 0;
  let maxInFlight = 0;
  const worker = async (w: number) => {
    const user = users[w % users.length];
    while (!stop) {
      const start = Date.now();
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        const res = await score(user);
        served.push({ start, end: Date.now(), res, user });
      } catch (err) {
        failures.push(`call failed: ${(err as Error).message}`);
      } finally {
        inFlight--;
      }
    }
  };
  const swapsBefore = watch.swaps.length;
  const workers = Array.from({ length: IN_FLIGHT }, (_, w) => worker(w));
  // Let the load build up before the first swap.
  while (served.length < IN_FLIGHT * 2 && failures.length === 0) await new Promise((r) => setTimeout(r, 10));
  const lags: number[] = [];
  const started = Date.now();
  try {
    for (let k = 0; k < SWAPS; k++) {
      const sent = Date.now();
      let to: string;
      if (k % 2 === 0) {
        await promote('swap-b');
        to = 'swap-b';
      } else {
        to = (await rollback()).version.version_name;
        assert.equal(to, 'swap-a');
      }
      const answered = Date.now();
      const at = await swapped(`models/${MODEL}/versions/${to === 'swap-a' ? 1 : 2}`, sent);
      lags.push(Math.max(0, at - answered));
    }
  } finally {
    stop = true;
    await Promise.all(workers);
  }
  const seconds = (Date.now() - started) / 1000;

  // Scoring's timeline: what served production from each swap on (the set in force before the load started first).
  const timeline = watch.swaps;
  const productionAt = (t: number) => {
    let p = '';
    for (const s of timeline) if (s.time <= t) p = s.production;
    return p;
  };
  const wrong: string[] = [];
  const byVersion: Record<string, number> = {};
  for (const s of served) {
    const { res } = s;
    byVersion[res.version_name] = (byVersion[res.version_name] ?? 0) + 1;
    // Production at the call's start (less the millisecond the log's clock truncates) or swapped in during it.
    const during = new Set([productionAt(s.start - 1), ...timeline.filter((x) => x.time >= s.start - 1 && x.time <= s.end).map((x) => x.production)]);
    if (!during.has(res.model_version) || res.arm !== 'production') {
      wrong.push(`${res.model_version} (${res.arm}) answered a call of ${s.start}..${s.end}, while ${[...during].join(', ')} served`);
      continue;
    }
    // The scores are that version's (the two versions' weights differ, so another version's scores cannot pass).
    const ref = reference.get(res.version_name);
    if (!ref) { wrong.push(`unknown version name ${res.version_name}`); continue; }
    res.item_ids.forEach((id, i) => {
      const want = ref.get(`${s.user}/${id}`)!;
      if (!(Math.abs(res.scores[i] - want) <= 1e-3)) wrong.push(`${res.version_name} scored ${id} for ${s.user} ${res.scores[i]}, its own score is ${want}`);
    });
  }
  const maxLag = Math.max(...lags);
  const meanLag = lags.reduce((a, b) => a + b, 0) / lags.length;
  console.log(`swaps: ${SWAPS} swaps in ${seconds.toFixed(1)} s with ${maxInFlight} Score calls in flight; ${served.length} calls answered `
    + `(${JSON.stringify(byVersion)}), ${failures.length} failed; swap lag after the registry answered: mean ${meanLag.toFixed(0)} ms, max ${maxLag} ms`);
  assert.deepEqual(failures.slice(0, 5), [], `${failures.length} calls failed`);
  assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} responses named a version that was not serving during the call`);
  assert.equal(maxInFlight, IN_FLIGHT);
  assert.ok(watch.swaps.length - swapsBefore >= SWAPS, `${watch.swaps.length - swapsBefore} swaps logged`);
  assert.ok((byVersion['swap-a'] ?? 0) > 0 && (byVersion['swap-b'] ?? 0) > 0, JSON.stringify(byVersion));
  assert.ok(maxLag <= LAG_BOUND_MS);
  // The audit log holds every swap, in order: promote to 2, rollback to 1, alternating.
  const audit = (await db.query<{ action: string; to_version: number; outcome: string }>(
    "SELECT action, to_version, outcome FROM audit_events WHERE model = $1 AND action IN ('promote', 'rollback') ORDER BY id", [MODEL])).rows;
  const last = audit.slice(-SWAPS);
  assert.equal(audit.length, SWAPS + 3);
  last.forEach((e, k) => assert.deepEqual([e.action, e.to_version], k % 2 === 0 ? ['promote', 2] : ['rollback', 1], `audit entry ${k}`));
  assert.deepEqual(watch.errors, [], 'the server logged errors');
});
