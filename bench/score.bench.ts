// `npm run bench -- score [--seconds N] [--repeat R] [--levels 1,8,32] [--mode NAME] [--no-naive]`: Score throughput and latency
// against the limit of this stack, measured in the same run.
//
// Workload (a production-like call): 500 candidates per call, top_k 100, 64-d vectors, a pool of 1,000 users (their
// features cached after the first call) and 10,000 items (vectors cached at load), from a SEPARATE client
// process (this file re-run with --client), at 1, 8 and 32 calls in flight, for a fixed time each.
// Baseline: a bare grpc-js server that decodes the same request and answers a precomputed ScoreResponse
// of the same size. Also measured, as the "before": a naive JS scorer (Map of arrays, objects, a full sort;
// --no-naive skips it). Printed: throughput and p50/p99 of both at each level, the model-compute time per call
// (user tower, 500 scores, top-k, features from cache), and `ratio: N% of the bare server` (32 in flight).
//
// The scoring server is the real service (createScoring, with the access interceptor of `modelops serve`)
// over a real registry (Postgres + S3); the feature source is in memory (every user and item is cached
// after warm-up, which is the measured regime). Modes (--mode) prepare extra serving state before the runs;
// the rollout work adds `shadow` here (see MODES).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadProtos } from '../proto/load';
import type { ScoreResponse } from '../proto/gen/modelops/v1/ScoreResponse';
import { layoutFor } from '../ml/features/layout';
import { mulberry32 } from '../core/rng';
import { MAX_RECEIVE_BYTES, MAX_SEND_BYTES } from '../services/server';
import { startScoringHarness, type ScoringHarness } from '../test/scoring/harness';
import { closedLoop, quantile, runClientProcess, scoringMethod, type RunResult } from './load-client';

export type { RunResult } from './load-client';

export const MODEL = 'feed-ranker-hi';
export const N_ITEMS = 10_000;
export const N_USERS = 1_000;
const CANDIDATES = 500;
const TOP_K = 100;
export const DIM = 64;

/** A bench mode: prepares the harness (for example starts a shadow rollout) and names what it did. */
export type BenchMode = (h: ScoringHarness) => Promise<string>;

/**
 * Modes by name; `plain` serves production only. Other work adds a mode without editing this file: a file
 * `bench/score-mode-<name>.ts` exporting `prepare: BenchMode` is picked up as mode <name> (the rollout work's
 * `shadow` mode: register a second version and start a rollout with it as a shadow).
 */
export const MODES: Record<string, BenchMode> = {
  plain: async () => 'production only, no rollout',
};

function loadModes(): void {
  for (const f of fs.readdirSync(__dirname)) {
    const m = /^score-mode-([a-z0-9-]+)\.ts$/.exec(f);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (m) MODES[m[1]] = (require(path.join(__dirname, f)) as { prepare: BenchMode }).prepare;
  }
}

export const itemId = (i: number) => `video-${String(i).padStart(6, '0')}`;

/** Deterministic requests (mulberry32), cycled by the client. */
function requests(count: number): object[] {
  const rand = mulberry32(12345);
  return Array.from({ length: count }, (_, r) => {
    const chosen = new Set<number>();
    while (chosen.size < CANDIDATES) chosen.add(Math.floor(rand() * N_ITEMS));
    return { model: MODEL, user_id: `user-${r % N_USERS}`, item_ids: [...chosen].map(itemId), top_k: TOP_K, context: { hod: 20, dow: 4 } };
  });
}

/** Client mode: `inflight` loops calling Score on `addr` for `seconds` after a 1 s warm-up (load-client.ts). */
async function client(addr: string, inflight: number, seconds: number): Promise<RunResult> {
  const c = scoringMethod(addr, 'Score', 30_000);
  const reqs = requests(2 * N_USERS);
  try {
    return await closedLoop(inflight, seconds, (i) => c.call(reqs[i % reqs.length]));
  } finally {
    c.close();
  }
}

/** Runs the Score client in a child process and parses its one JSON line (with this process's CPU per measured call). */
export function runClient(addr: string, inflight: number, seconds: number): Promise<RunResult> {
  return runClientProcess('score', addr, inflight, seconds);
}

/**
 * The scoring server this bench (and train-serve.bench.ts) drives: the real service over a real registry, every user
 * and item in its in-memory feature source, `prod-bench` registered, promoted and loaded.
 */
export async function scoreBenchServer(): Promise<ScoringHarness> {
  const h = await startScoringHarness({}, { layout: layoutFor(DIM), dim: DIM });
  try {
    for (let i = 0; i < N_ITEMS; i++) h.features.items.add(itemId(i));
    for (let u = 0; u < N_USERS; u++) h.features.users.add(`user-${u}`);
    await h.register(MODEL, 'prod-bench', 1);
    await h.promote(MODEL, 'prod-bench');
    await h.scoring.manager.reconcile(MODEL);
    return h;
  } catch (err) {
    await h.stop();
    throw err;
  }
}

/** The baseline: a bare grpc-js ScoringService that decodes the request and answers a fixed response. */
async function bareServer(): Promise<{ addr: string; stop(): Promise<void> }> {
  const response: ScoreResponse = {
    item_ids: Array.from({ length: TOP_K }, (_, i) => itemId(i * 7)), scores: Array.from({ length: TOP_K }, (_, i) => 3.25 - i * 0.0173),
    model_version: `models/${MODEL}/versions/1`, version_name: 'prod-bench', arm: 'production', unknown_item_ids: [],
    cold_start_user: false, request_id: 'sc-0123456789ab-1a2b',
  };
  const server = new grpc.Server({ 'grpc.max_receive_message_length': MAX_RECEIVE_BYTES, 'grpc.max_send_message_length': MAX_SEND_BYTES });
  server.addService(loadProtos().v1.ScoringService.service, { Score: (_call: unknown, cb: grpc.sendUnaryData<ScoreResponse>) => cb(null, response) });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  return { addr: `127.0.0.1:${port}`, stop: () => new Promise((r) => server.tryShutdown(() => r())) };
}

/**
 * The "before": a grpc-js server doing the scoring work naively (the vectors in a Map of number
 * arrays, 500 Map lookups, 500 64-d dot products over arrays, an object per candidate, a full sort), with
 * the user vector given (no tower, no features): what naive serving looks like.
 */
async function naiveServer(): Promise<{ addr: string; stop(): Promise<void>; work(itemIds: string[], topK: number): unknown }> {
  const vectors = new Map<string, number[]>();
  for (let i = 0; i < N_ITEMS; i++) vectors.set(itemId(i), Array.from({ length: DIM }, (_, k) => Math.sin(i * 0.37 + k)));
  const user = Array.from({ length: DIM }, (_, k) => Math.cos(k));
  const work = (itemIds: string[], topK: number) => {
    const scored = itemIds.map((id) => {
      const v = vectors.get(id)!;
      return { id, score: v.reduce((s, x, k) => s + x * user[k], 0) };
    });
    scored.sort((a, b) => b.score - a.score);
    return scored.slice(0, topK);
  };
  const server = new grpc.Server({ 'grpc.max_receive_message_length': MAX_RECEIVE_BYTES, 'grpc.max_send_message_length': MAX_SEND_BYTES });
  server.addService(loadProtos().v1.ScoringService.service, {
    Score: (call: grpc.ServerUnaryCall<{ item_ids: string[]; top_k: number }, ScoreResponse>, cb: grpc.sendUnaryData<ScoreResponse>) => {
      const top = work(call.request.item_ids, call.request.top_k);
      cb(null, { item_ids: top.map((x) => x.id), scores: top.map((x) => x.score), model_version: `models/${MODEL}/versions/1`,
        version_name: 'prod-bench', arm: 'production', unknown_item_ids: [], cold_start_user: false, request_id: 'sc-0123456789ab-1a2b' });
    },
  });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  return { addr: `127.0.0.1:${port}`, stop: () => new Promise((r) => server.tryShutdown(() => r())), work };
}

/** The naive scorer's work per call in-process (same requests), p50 in ms. */
function naiveProfile(work: (ids: string[], k: number) => unknown): number {
  const reqs = requests(N_USERS) as { item_ids: string[] }[];
  const t: number[] = [];
  for (let i = 0; i < 3000; i++) {
    // Fresh id strings, as a decoded request carries (their hashes are not cached yet).
    const ids = reqs[i % reqs.length].item_ids.map((x) => Buffer.from(x).toString());
    const t0 = process.hrtime.bigint();
    work(ids, TOP_K);
    if (i >= 1000) t.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return quantile(Float64Array.from(t).sort(), 0.5);
}

/**
 * Model compute per call measured in-process on the loaded version, features cached: the served path
 * (the user vector is cached with the user's feature row, so a repeat user skips the tower), and the user
 * tower alone (what a call adds when its user's row is new).
 */
async function computeProfile(h: ScoringHarness, disturb = false): Promise<{ computeP50: number; computeP99: number; towerP50: number; callP50: number }> {
  const reqs = requests(N_USERS) as { user_id: string; item_ids: string[] }[];
  const route = h.scoring.manager.routeNow(MODEL, 'user-0')!;
  const compute: number[] = [];
  const whole: number[] = [];
  // `disturb`: 4 MiB of other memory is written between calls, as the gRPC work between two calls (and
  // other processes) does to the CPU caches: the item index and vector rows are then mostly cache misses,
  // which is the regime of the served path, unlike a tight loop.
  const junk = disturb ? new Float64Array(1 << 19) : undefined;
  for (let i = 0; i < 3000; i++) {
    const r = reqs[i % reqs.length];
    const ids = r.item_ids.map((x) => Buffer.from(x).toString());
    if (junk) for (let k = 0; k < junk.length; k += 8) junk[k] += 1;
    const t0 = process.hrtime.bigint();
    // The served path: synchronous when everything is cached (every call after warm-up), else the async one.
    const q = { userId: r.user_id, itemIds: ids, topK: TOP_K };
    const out = route.version.scoreNow(q, { hod: 20, dow: 4 }) ?? await route.version.score(q, { hod: 20, dow: 4 });
    if (i >= 1000) {
      whole.push(Number(process.hrtime.bigint() - t0) / 1e6);
      compute.push(out.computeSeconds * 1e3);
    }
  }
  const layout = route.version.runtime.layout;
  const cat = new Int32Array(layout.userCat.length);
  const dense = new Float32Array(layout.userDenseDim).fill(0.1);
  const tower: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const t0 = process.hrtime.bigint();
    await route.version.runtime.userVector(cat, dense);
    tower.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const c = Float64Array.from(compute).sort();
  const w = Float64Array.from(whole).sort();
  const t = Float64Array.from(tower).sort();
  return { computeP50: quantile(c, 0.5), computeP99: quantile(c, 0.99), towerP50: quantile(t, 0.5), callP50: quantile(w, 0.5) };
}

function flag(args: string[], name: string, def: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
}

const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);

/** Entry point of `npm run bench -- score`. */
export async function main(args: string[]): Promise<void> {
  if (args[0] === '--client') {
    const res = await client(args[1], Number(args[2]), Number(args[3]));
    process.stdout.write(`${JSON.stringify(res)}\n`);
    return;
  }
  const seconds = Number(flag(args, 'seconds', '4'));
  const repeat = Number(flag(args, 'repeat', '3'));
  const levels = flag(args, 'levels', '1,8,32').split(',').map(Number);
  loadModes();
  const modeName = flag(args, 'mode', 'plain');
  const mode = MODES[modeName];
  if (!mode) throw new Error(`--mode: "${modeName}" is not one of ${Object.keys(MODES).join(', ')}`);

  process.env.MODELOPS_LOG_LEVEL ??= 'silent';
  const h = await scoreBenchServer();
  const bare = await bareServer();
  // --score-only: only the scoring server is driven (for a CPU profile of its path: `node --cpu-prof`).
  const scoreOnly = args.includes('--score-only');
  const naive = args.includes('--no-naive') || scoreOnly ? undefined : await naiveServer();
  try {
    const modeNote = await mode(h);

    console.log(`score bench ${new Date().toISOString()}  node ${process.version}  ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load avg ${os.loadavg().map(f2).join(' ')}`);
    console.log(`workload: ${CANDIDATES} candidates/call, top_k ${TOP_K}, ${DIM}-d vectors, ${N_USERS} users, ${N_ITEMS} items; ${seconds} s per run after 1 s warm-up, median of ${repeat} alternating runs; mode ${modeName}: ${modeNote}`);
    // Runs alternate (bare, score, naive, bare, score, ...) `repeat` times per level and the median run
    // (by throughput) of each server is reported: on a shared machine the load moves between runs, and
    // alternating keeps it from favouring one server.
    const rows: { level: number; bare: RunResult; score: RunResult }[] = [];
    const median = (runs: RunResult[]) => [...runs].sort((a, b) => a.throughput - b.throughput)[Math.floor(runs.length / 2)];
    for (const level of levels) {
      const runs: { bare: RunResult[]; score: RunResult[]; naive: RunResult[] } = { bare: [], score: [], naive: [] };
      for (let r = 0; r < repeat; r++) {
        if (!scoreOnly) runs.bare.push(await runClient(bare.addr, level, seconds));
        runs.score.push(await runClient(h.addr, level, seconds));
        if (naive) runs.naive.push(await runClient(naive.addr, level, seconds));
      }
      const s = median(runs.score);
      if (scoreOnly) {
        console.log(`in flight ${String(level).padStart(2)}:  score ${f1(s.throughput).padStart(7)}/s p50 ${f2(s.p50).padStart(6)} ms p99 ${f2(s.p99).padStart(6)} ms` +
          `  server CPU per call ${f1(s.serverCpuUs ?? NaN)} us`);
        continue;
      }
      const b = median(runs.bare);
      const n = naive ? median(runs.naive) : undefined;
      const errors = [...runs.bare, ...runs.score].reduce((x, y) => x + y.errors, 0);
      rows.push({ level, bare: b, score: s });
      console.log(`in flight ${String(level).padStart(2)}:  bare ${f1(b.throughput).padStart(7)}/s p50 ${f2(b.p50).padStart(6)} ms p99 ${f2(b.p99).padStart(6)} ms` +
        `  |  score ${f1(s.throughput).padStart(7)}/s p50 ${f2(s.p50).padStart(6)} ms p99 ${f2(s.p99).padStart(6)} ms` +
        `  (${f1((100 * s.throughput) / b.throughput)}% throughput, p99 ${f2(s.p99 / b.p99)}x)` +
        `${n ? `  |  naive ${f1(n.throughput).padStart(7)}/s p99 ${f2(n.p99).padStart(6)} ms (${f1((100 * n.throughput) / b.throughput)}%)` : ''}` +
        `${errors ? `  ERRORS ${errors}: ${[...runs.bare, ...runs.score].find((x) => x.firstError)?.firstError}` : ''}`);
      if (repeat > 1) {
        console.log(`              runs/s  bare ${runs.bare.map((x) => f1(x.throughput)).join(' ')}  score ${runs.score.map((x) => f1(x.throughput)).join(' ')}` +
          `${naive ? `  naive ${runs.naive.map((x) => f1(x.throughput)).join(' ')}` : ''}`);
      }
      // Server CPU per call is what the machine's load does not distort: the median over the runs.
      const cpu = (xs: RunResult[]) => f1([...xs.map((x) => x.serverCpuUs ?? NaN)].sort((a, c) => a - c)[Math.floor(xs.length / 2)]);
      console.log(`              server CPU per call  bare ${cpu(runs.bare)} us  score ${cpu(runs.score)} us${naive ? `  naive ${cpu(runs.naive)} us` : ''}`);
    }
    const prof = await computeProfile(h);
    const us = (ms: number) => `${(ms * 1000).toFixed(0)} us`;
    console.log(`model compute per call, features cached (${CANDIDATES} lookups + dot products + top-${TOP_K}; user vector cached with the row): p50 ${us(prof.computeP50)}, p99 ${us(prof.computeP99)}; ` +
      `user tower when the row is new: p50 ${us(prof.towerP50)} (with it: ${us(prof.computeP50 + prof.towerP50)}); whole in-process call p50 ${us(prof.callP50)}`);
    const cold = await computeProfile(h, true);
    console.log(`model compute per call, CPU caches disturbed between calls (4 MiB written, as between served calls): p50 ${us(cold.computeP50)}, p99 ${us(cold.computeP99)}`);
    if (naive) console.log(`naive scorer's work per call (Map of arrays, objects, full sort; no tower): p50 ${us(naiveProfile(naive.work))}`);
    const top = rows.find((r) => r.level === 32) ?? rows[rows.length - 1];
    if (top) console.log(`ratio: ${((100 * top.score.throughput) / top.bare.throughput).toFixed(0)}% of the bare server`);
  } finally {
    await bare.stop();
    await naive?.stop();
    await h.stop();
  }
}
