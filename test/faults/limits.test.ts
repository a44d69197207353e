// Limits and back-pressure of a served process (`modelops serve`, its memory read from /proc): a client that
// floods IngestEvents and RecordOutcomes with full-size requests is refused (RESOURCE_EXHAUSTED) beyond what
// the server runs and queues, instead of the server holding every request; the server's peak resident set
// stays under a stated bound; a call whose deadline passes while it waits for its turn never runs; messages
// over the size limit are refused; the training queue is bounded. The server answers normally afterwards.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import { Client } from 'pg';
import { call, clientOf, type Target } from '../../cli/client';
import { FAULT_SUITE, LogWatch, RawClient, platformRpcs, type RpcDesc } from './harness';
import { startServeProcess, type ServeProcess } from './serve-process';

const watch = new LogWatch();
let srv: ServeProcess;
let admin: Target;
let db: Client;
let rpcs: Map<string, RpcDesc>;
/** The training queue's bound in this server. */
const QUEUE_MAX = 3;
/** How far the server's peak resident set may rise above its resident set before the flood (MiB). */
const PEAK_GROWTH_BOUND_MB = Number(process.env.FAULT_PEAK_GROWTH_BOUND_MB ?? 256);

before(async () => {
  if (!FAULT_SUITE) return;
  srv = await startServeProcess(watch, { MODELOPS_TRAINING_QUEUE_MAX: String(QUEUE_MAX) });
  admin = srv.admin;
  db = new Client({ connectionString: srv.databaseUrl });
  await db.connect();
  rpcs = new Map(platformRpcs().map((r) => [r.method, r]));
  await call(admin, clientOf('FeatureService', admin), 'GenerateEvents', { users: 20, items: 40, days: 2, seed: 3, dim: 8, views_per_day: 5, source: 'flood' });
  await call(admin, clientOf('RegistryService', admin), 'CreateModel', { model_id: 'flood-model' });
});
after(async () => {
  await db?.end();
  const code = await srv?.stop();
  if (srv) assert.equal(code, 0, 'the server stopped cleanly');
});

/** An IngestEvents request of `n` views by users `${tag}-u<k>` (so a test can find what a call wrote). */
function ingestBytes(tag: string, n: number): Buffer {
  const now = Date.now();
  const views = Array.from({ length: n }, (_, k) => ({
    user_id: `${tag}-u${k % 500}`, item_id: `flood-i${k % 40}`, creator_id: `c${k % 7}`, ts: String(now - k * 1000), language: 'hi',
    video_length_s: 30, timespent_s: (k % 40) + 0.5, liked: k % 3 === 0, shared: false, downloaded: false, handset_maker: 'acme',
  }));
  return rpcs.get('IngestEvents')!.serialize({ source: 'flood', views });
}

function outcomesBytes(n: number): Buffer {
  const outcomes = Array.from({ length: n }, (_, k) => ({
    user_id: `o-u${k % 700}`, item_id: `flood-i${k % 40}`, timespent_s: k % 50, video_length_s: 50, liked: false, shared: false, handset_maker: 'acme',
  }));
  return rpcs.get('RecordOutcomes')!.serialize({ model: 'flood-model', outcomes });
}

test('a flood of full-size IngestEvents and RecordOutcomes calls is pushed back, and the server\'s peak memory stays bounded', { skip: !FAULT_SUITE, timeout: 300_000 }, async () => {
  const raw = new RawClient(srv.addr);
  const ingest = rpcs.get('IngestEvents')!;
  const outcomes = rpcs.get('RecordOutcomes')!;
  const bodies = { ingest: ingestBytes('flood', 10_000), outcomes: outcomesBytes(10_000) };
  const before = srv.memory();
  const codes: Record<string, number> = {};
  let sent = 0;
  let rss = before.rssMb;
  const sampler = setInterval(() => { try { rss = Math.max(rss, srv.memory().rssMb); } catch { /* exited */ } }, 100);
  const FLOOD_MS = 8_000;
  // Generous, so that on a loaded machine every call reaches the server's gate before its deadline.
  const CALL_DEADLINE_MS = 20_000;
  const IN_FLIGHT = 256;
  const until = Date.now() + FLOOD_MS;
  const started = Date.now();
  const worker = async (w: number) => {
    while (Date.now() < until) {
      const [rpc, body] = w % 2 === 0 ? [ingest, bodies.ingest] : [outcomes, bodies.outcomes];
      const r = await raw.call(rpc, [body], admin.token, CALL_DEADLINE_MS);
      sent++;
      const name = `${rpc.method} ${status[r.code]}`;
      codes[name] = (codes[name] ?? 0) + 1;
      // Refused at once: this client keeps its 256 calls in flight, with a short pause before sending again.
      if (r.code === status.RESOURCE_EXHAUSTED) await new Promise((res) => setTimeout(res, 50));
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, (_, w) => worker(w)));
  clearInterval(sampler);
  const mem = srv.memory();
  const shed = (await srv.metrics()).split('\n').filter((l) => l.startsWith('modelops_rpc_shed_total')).join('; ');
  console.log(`flood: shed ${shed}`);
  console.log(`flood: ${sent} calls (${(bodies.ingest.length / 2 ** 20).toFixed(1)} MB IngestEvents, ${(bodies.outcomes.length / 2 ** 20).toFixed(1)} MB RecordOutcomes) `
    + `${IN_FLIGHT} in flight for ${((Date.now() - started) / 1000).toFixed(1)} s; codes ${JSON.stringify(codes)}; server RSS ${before.rssMb.toFixed(0)} MB before, `
    + `peak ${mem.peakMb.toFixed(0)} MB (sampled ${rss.toFixed(0)} MB), ${mem.rssMb.toFixed(0)} MB after`);
  // After the flood the server takes new work: a small call gets through (retrying while the calls still
  // queued from the flood run out).
  const probeUntil = Date.now() + 60_000;
  let probe = { code: -1, details: '', responses: 0 };
  while (Date.now() < probeUntil) {
    probe = await raw.call(ingest, [ingestBytes('probe', 10)], admin.token, Math.max(1, probeUntil - Date.now()));
    if (probe.code !== status.RESOURCE_EXHAUSTED) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  raw.close();
  assert.equal(probe.code, status.OK, `a call after the flood: ${status[probe.code]} ${probe.details}`);
  const allowed = new Set(['OK', 'RESOURCE_EXHAUSTED', 'DEADLINE_EXCEEDED']);
  for (const k of Object.keys(codes)) assert.ok(allowed.has(k.split(' ')[1]), `${k}: ${codes[k]}`);
  // The server pushed back (a server without back-pressure refuses nothing and works through every call).
  assert.ok((codes['IngestEvents RESOURCE_EXHAUSTED'] ?? 0) > 0 && (codes['RecordOutcomes RESOURCE_EXHAUSTED'] ?? 0) > 0, JSON.stringify(codes));
  assert.ok(mem.peakMb - before.rssMb < PEAK_GROWTH_BOUND_MB, `peak RSS ${mem.peakMb.toFixed(0)} MB, ${before.rssMb.toFixed(0)} MB before the flood`);
  assert.deepEqual(watch.errors, [], 'the server logged errors');
});

test('a call whose deadline passes while it waits for its turn never runs', { skip: !FAULT_SUITE, timeout: 120_000 }, async () => {
  const raw = new RawClient(srv.addr);
  const ingest = rpcs.get('IngestEvents')!;
  // Twelve full-size calls take the running slots and the front of the queue; then five small calls with a
  // 150 ms deadline wait behind them. The calls ahead must hold the slots for longer than that deadline: with the
  // columnar ingest six of them could finish first, and a late call then ran (and stored) before its deadline.
  const big = ingestBytes('ahead', 10_000);
  const ahead = Array.from({ length: 12 }, () => raw.call(ingest, [big], admin.token, 120_000));
  await new Promise((r) => setTimeout(r, 300));
  const late = await Promise.all(Array.from({ length: 5 }, (_, k) => raw.call(ingest, [ingestBytes(`late${k}`, 10)], admin.token, 150)));
  const aheadCodes = (await Promise.all(ahead)).map((r) => status[r.code]);
  raw.close();
  assert.deepEqual(late.map((r) => status[r.code]), Array(5).fill('DEADLINE_EXCEEDED'));
  // None of them wrote a view: their deadline passed before their turn came, and the server dropped them. A call
  // that stores its views refreshes its users' online rows before it answers, so a stored view leaves a row here.
  const wrote = await db.query<{ user_id: string }>("SELECT DISTINCT user_id FROM online_user_features WHERE source = 'flood' AND user_id LIKE 'late%'");
  assert.deepEqual(wrote.rows, [], 'views written by calls whose deadline had passed');
  assert.ok(aheadCodes.every((c) => c === 'OK' || c === 'RESOURCE_EXHAUSTED'), aheadCodes.join(','));
});

test('a request over the message size limit is refused with RESOURCE_EXHAUSTED, and the server goes on', { skip: !FAULT_SUITE, timeout: 120_000 }, async () => {
  const raw = new RawClient(srv.addr);
  const score = rpcs.get('Score')!;
  // 7,000 candidate ids of 10,000 characters: a 70 MB request, over the 64 MB limit (services/server.ts).
  const huge = score.serialize({ model: 'flood-model', user_id: 'u', item_ids: Array.from({ length: 7_000 }, (_, k) => `${k}-`.padEnd(10_000, 'x')) });
  assert.ok(huge.length > 64 * 2 ** 20);
  const r = await raw.call(score, [huge], admin.token, 60_000);
  const after = await raw.call(rpcs.get('GetModel')!, [rpcs.get('GetModel')!.serialize({ name: 'flood-model' })], admin.token, 10_000);
  raw.close();
  assert.equal(status[r.code], 'RESOURCE_EXHAUSTED', r.details);
  assert.equal(after.code, status.OK);
  console.log(`size limit: a ${(huge.length / 2 ** 20).toFixed(0)} MB Score request: ${status[r.code]} (${r.details}); server peak RSS so far ${srv.memory().peakMb.toFixed(0)} MB`);
});

test('the training queue is bounded: starts beyond it are refused with RESOURCE_EXHAUSTED, even when they come at once', { skip: !FAULT_SUITE, timeout: 180_000 }, async () => {
  const features = clientOf('FeatureService', admin);
  await call(admin, features, 'GenerateEvents', { users: 40, items: 20, days: 3, seed: 4, dim: 4, views_per_day: 8, source: 'trainq' });
  let { dataset: d } = await call<object, { dataset: { id: string; state: string; error: string } }>(admin, features, 'BuildDataset', {
    window: '2024-01-01..2024-01-03', label: 'wtg', task: 'binary', buckets: 'equi-quantile:4', source: 'trainq', min_item_views: 1 });
  for (let i = 0; i < 600 && d.state === 'DATASET_STATE_BUILDING'; i++) {
    await new Promise((r) => setTimeout(r, 100));
    d = (await call<object, { dataset: typeof d }>(admin, features, 'GetDataset', { name: `datasets/${d.id}` })).dataset;
  }
  assert.equal(d.state, 'DATASET_STATE_READY', d.error);
  const training = clientOf('TrainingService', admin);
  // Eight starts at once: one may run (MODELOPS_TRAINING_CONCURRENCY 1), QUEUE_MAX may wait, the rest are refused.
  const starts = await Promise.all(Array.from({ length: 8 }, (_, k) => call<object, { job: { id: string } }>(admin, training, 'StartTrainingJob', {
    model: 'flood-model', version_name: `q${k}`, dataset_id: d.id, arch: 'two-tower-base', hyperparameters: { epochs: 1000, patience: 0 },
  }).then((r) => ({ code: 0, id: r.job.id, details: '' }), (e: { code: number; details: string }) => ({ code: e.code, id: '', details: e.details }))));
  const queued = async () => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM training_jobs WHERE state = 'queued'`)).rows[0].n;
  const accepted = starts.filter((s) => s.code === 0);
  const refused = starts.filter((s) => s.code === status.RESOURCE_EXHAUSTED);
  assert.equal(accepted.length + refused.length, 8, JSON.stringify(starts.filter((s) => s.code !== 0 && s.code !== status.RESOURCE_EXHAUSTED)));
  assert.ok(accepted.length >= QUEUE_MAX && accepted.length <= QUEUE_MAX + 1, `${accepted.length} starts accepted`);
  assert.ok(await queued() <= QUEUE_MAX);
  assert.match(refused[0].details, /training queue is full .*MODELOPS_TRAINING_QUEUE_MAX/);
  // Cancelling a queued job makes room for one more.
  const waiting = (await db.query<{ id: string }>(`SELECT id FROM training_jobs WHERE state = 'queued' ORDER BY create_time LIMIT 1`)).rows[0];
  await call(admin, training, 'CancelTrainingJob', { name: waiting.id });
  await call(admin, training, 'StartTrainingJob', { model: 'flood-model', version_name: 'q-after', dataset_id: d.id, arch: 'two-tower-base', hyperparameters: { epochs: 1000, patience: 0 } });
  console.log(`training queue: 8 starts at once with MODELOPS_TRAINING_QUEUE_MAX=${QUEUE_MAX}: ${accepted.length} accepted, ${refused.length} RESOURCE_EXHAUSTED`);
  // Stop the lot, so that nothing trains while the other tests run.
  const live = (await db.query<{ id: string }>(`SELECT id FROM training_jobs WHERE state IN ('queued', 'running')`)).rows;
  for (const j of live) await call(admin, training, 'CancelTrainingJob', { name: j.id }).catch(() => undefined);
});
