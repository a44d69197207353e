// `npm run bench -- retrieve [--items 100000,1000000] [--seconds N] [--repeat R] [--threads T] [--exact-only]`: Retrieve through
// the approximate index against exact search and against the limit of this stack, measured in the same run.
//
// Workload per catalog size: N items x 64-d vectors from the item tower of a 64-d test model (random weights
// over deterministic item features: the vectors Score and Retrieve really serve, built by the real item
// cache), 1,000 users, top_k 100, from a SEPARATE client process (this file re-run with --client) at 8 calls
// in flight. Three gRPC servers: the real scoring service with its approximate index (default HNSW parameters,
// built in a worker thread with --threads build threads, default 1 as served), the real scoring service with
// exact search (index off), and a bare grpc-js server that answers a precomputed RetrieveResponse of the same
// size (the baseline). Printed: item-cache and index build times, recall@100 of the index's lists against
// exact search's over real user vectors (200 users, through gRPC), calls/s, p50/p99 and the serving process's
// CPU per call of all three, each repetition's p99 over the bare server's p99 of the same repetition (the
// figure the target reads on a shared machine), how many calls shared each exact pass (exact-scan.ts), and the
// cost of one 10-minute item refresh (the item tower over the catalog, then the index rebuild) with the
// served p99 while it runs. --exact-only skips the index server (exact search against bare only: a size whose
// index build would not fit the time at hand).
import * as os from 'node:os';
import * as grpc from '@grpc/grpc-js';
import { loadProtos } from '../proto/load';
import type { RetrieveResponse } from '../proto/gen/modelops/v1/RetrieveResponse';
import { layoutFor } from '../ml/features/layout';
import { MAX_RECEIVE_BYTES, MAX_SEND_BYTES } from '../services/server';
import { startScoringHarness, type ScoringHarness } from '../test/scoring/harness';
import { closedLoop, runClientProcess, scoringMethod, type RunResult } from './load-client';

const MODEL = 'feed-retriever';
const N_USERS = 1_000;
const TOP_K = 100;
const DIM = 64;
const INFLIGHT = 8;

const itemId = (i: number) => `video-${String(i).padStart(7, '0')}`;
const request = (u: number) => ({ model: MODEL, user_id: `user-${u % N_USERS}`, top_k: TOP_K, context: { hod: 20, dow: 4 } });

/** Client mode: `inflight` loops calling Retrieve on `addr` for `seconds` after a 1 s warm-up (load-client.ts). */
async function client(addr: string, inflight: number, seconds: number): Promise<RunResult> {
  const c = scoringMethod<RetrieveResponse>(addr, 'Retrieve', 60_000);
  try {
    return await closedLoop(inflight, seconds, (i) => c.call(request(i)));
  } finally {
    c.close();
  }
}

/** Runs the client in a child process and parses its one JSON line; adds this process's CPU per call meanwhile. */
async function runClient(addr: string, seconds: number): Promise<RunResult> {
  const c0 = process.cpuUsage();
  const r = await runClientProcess('retrieve', addr, INFLIGHT, seconds);
  // The warm-up second's calls are not counted: the per-call figure is a slight overestimate, the same for every server.
  return { ...r, serverCpuUs: (cpuSince(c0) * 1e6) / Math.max(1, r.calls) };
}

/** The baseline: a bare grpc-js ScoringService that decodes the request and answers a fixed RetrieveResponse. */
async function bareServer(): Promise<{ addr: string; stop(): Promise<void> }> {
  const response: RetrieveResponse = {
    item_ids: Array.from({ length: TOP_K }, (_, i) => itemId(i * 7)), scores: Array.from({ length: TOP_K }, (_, i) => 3.25 - i * 0.0173),
    model_version: `models/${MODEL}/versions/1`, version_name: 'prod-bench', arm: 'production', cold_start_user: false, request_id: 'rt-0123456789ab-1a2b',
  };
  const server = new grpc.Server({ 'grpc.max_receive_message_length': MAX_RECEIVE_BYTES, 'grpc.max_send_message_length': MAX_SEND_BYTES });
  server.addService(loadProtos().v1.ScoringService.service, { Retrieve: (_call: unknown, cb: grpc.sendUnaryData<RetrieveResponse>) => cb(null, response) });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  return { addr: `127.0.0.1:${port}`, stop: () => new Promise((r) => server.tryShutdown(() => r())) };
}

/** A scoring server over `n` items with the index on (`threads` build threads) or off; the seconds its version took to load. */
async function scoringServer(n: number, ann: boolean, threads: number): Promise<{ h: ScoringHarness; loadSeconds: number; loadCpu: number }> {
  const h = await startScoringHarness({ ann: ann ? { minItems: 1, minRecall: 0.95, threads } : undefined, refreshMs: 0 }, { layout: layoutFor(DIM), dim: DIM });
  for (let i = 0; i < n; i++) h.features.items.add(itemId(i));
  for (let u = 0; u < N_USERS; u++) h.features.users.add(`user-${u}`);
  await h.register(MODEL, 'prod-bench', 1);
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  await h.promote(MODEL, 'prod-bench');
  await h.scoring.manager.reconcile(MODEL);
  return { h, loadSeconds: Number(process.hrtime.bigint() - t0) / 1e9, loadCpu: cpuSince(c0) };
}

function flag(args: string[], name: string, def: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
}

const f1 = (x: number) => x.toFixed(1);
/** The machine's 1-minute load average, printed beside each figure (the machine is shared). */
const load = () => `load ${os.loadavg()[0].toFixed(1)}`;
/** CPU seconds this process (all its threads, the index build's worker included) used since `c0`. */
const cpuSince = (c0: NodeJS.CpuUsage) => { const c = process.cpuUsage(c0); return (c.user + c.system) / 1e6; };
const f2 = (x: number) => x.toFixed(2);
/**
 * Each repetition's p99 over the bare server's p99 of the same repetition (measured back to back, so both saw
 * about the same machine load), and their median: the figure the target reads on a shared machine.
 */
const ratios = (xs: RunResult[], bare: RunResult[]) => {
  const r = xs.map((x, i) => x.p99 / bare[i].p99);
  return `p99/bare per repetition ${r.map(f2).join(', ')} (median ${f2([...r].sort((a, b) => a - b)[Math.floor(r.length / 2)])})`;
};
/** How the exact server's calls shared passes over the catalog (exact-scan.ts). */
const scanOf = (h: ScoringHarness) => h.scoring.manager.loadedVersions()[0].scan;
const passes = (h: ScoringHarness, before: { calls: number; passes: number }) => {
  const calls = scanOf(h).calls - before.calls, n = scanOf(h).passes - before.passes;
  return `exact pre-pass during the timed runs: ${calls} calls in ${n} passes over the catalog (mean ${f2(calls / Math.max(1, n))} calls per pass)`;
};
const line = (name: string, r: RunResult) => `${name.padEnd(12)} ${f1(r.throughput).padStart(7)} calls/s  p50 ${f2(r.p50).padStart(7)} ms  p99 ${f2(r.p99).padStart(7)} ms` +
  `${r.serverCpuUs !== undefined ? `  server CPU ${Math.round(r.serverCpuUs)} us/call` : ''}${r.errors ? `  ERRORS ${r.errors}: ${r.firstError}` : ''}`;

/** Entry point of `npm run bench -- retrieve`. */
export async function main(args: string[]): Promise<void> {
  if (args[0] === '--client') {
    process.stdout.write(`${JSON.stringify(await client(args[1], Number(args[2]), Number(args[3])))}\n`);
    return;
  }
  const sizes = flag(args, 'items', '100000,1000000').split(',').map(Number);
  const seconds = Number(flag(args, 'seconds', '5'));
  const repeat = Number(flag(args, 'repeat', '3'));
  const threads = Number(flag(args, 'threads', '1'));
  const exactOnly = args.includes('--exact-only');
  process.env.MODELOPS_LOG_LEVEL ??= 'silent';
  console.log(`retrieve bench ${new Date().toISOString()}  node ${process.version}  ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load avg ${os.loadavg().map(f2).join(' ')}`);
  console.log(`workload: top_k ${TOP_K}, ${DIM}-d item-tower vectors, ${N_USERS} users, ${INFLIGHT} calls in flight, ${seconds} s per run after 1 s warm-up, ` +
    `median of ${repeat} alternating runs; index built with ${threads} thread(s)`);
  const bare = await bareServer();
  try {
    for (const n of sizes) {
      console.log(`\n== ${n.toLocaleString('en-US')} items`);
      const exact = await scoringServer(n, false, threads);
      console.log(`exact server: version load (item tower over the catalog, cache) ${f1(exact.loadSeconds)} s (${f1(exact.loadCpu)} CPU s), ${load()}`);
      if (exactOnly) {
        const runs: Record<'bare' | 'exact', RunResult[]> = { bare: [], exact: [] };
        const scan0 = { ...scanOf(exact.h) };
        for (let r = 0; r < repeat; r++) {
          runs.bare.push(await runClient(bare.addr, seconds));
          runs.exact.push(await runClient(exact.h.addr, seconds));
        }
        const med = (xs: RunResult[]) => [...xs].sort((a, b) => a.throughput - b.throughput)[Math.floor(xs.length / 2)];
        const b = med(runs.bare), e = med(runs.exact);
        console.log(`${line('bare', b)}  (${load()})`);
        console.log(`${line('exact', e)}  (p99 ${f2(e.p99 / b.p99)}x bare, ${f1((100 * e.throughput) / b.throughput)}% of its calls/s)`);
        console.log(`exact: ${ratios(runs.exact, runs.bare)}`);
        console.log(passes(exact.h, scan0));
        await exact.h.stop();
        continue;
      }
      const approx = await scoringServer(n, true, threads);
      const v = approx.h.scoring.manager.loadedVersions()[0];
      const st = v.indexStatus;
      console.log(`index server: version load ${f1(approx.loadSeconds)} s (${f1(approx.loadCpu)} CPU s, ${load()}), of which index build + canary ${f1(st.buildSeconds)} s (${st.search}, canary recall@100 ${st.recall.toFixed(4)}` +
        `${st.refusedRecall !== undefined ? `, REFUSED at ${st.refusedRecall.toFixed(4)}` : ''}); heap+native RSS ${(process.memoryUsage().rss / 2 ** 30).toFixed(2)} GiB`);

      // recall@100 of the served lists over real user vectors: the index server's list against exact search's.
      const ca = scoringMethod<RetrieveResponse>(approx.h.addr, 'Retrieve', 60_000), ce = scoringMethod<RetrieveResponse>(exact.h.addr, 'Retrieve', 60_000);
      let hits = 0, total = 0;
      for (let u = 0; u < 200; u++) {
        const [a, e] = await Promise.all([ca.call(request(u)), ce.call(request(u))]);
        const want = new Set(e.item_ids ?? []);
        hits += (a.item_ids ?? []).filter((id) => want.has(id)).length;
        total += want.size;
      }
      ca.close();
      ce.close();
      console.log(`recall@100 vs exact search (200 users' own vectors, through gRPC): ${(hits / total).toFixed(4)}, ${load()}`);

      const runs: Record<'bare' | 'index' | 'exact', RunResult[]> = { bare: [], index: [], exact: [] };
      const scan0 = { ...scanOf(exact.h) };
      for (let r = 0; r < repeat; r++) {
        runs.bare.push(await runClient(bare.addr, seconds));
        runs.index.push(await runClient(approx.h.addr, seconds));
        runs.exact.push(await runClient(exact.h.addr, seconds));
      }
      const median = (xs: RunResult[]) => [...xs].sort((a, b) => a.throughput - b.throughput)[Math.floor(xs.length / 2)];
      const b = median(runs.bare), a = median(runs.index), e = median(runs.exact);
      console.log(`${line('bare', b)}  (${load()})`);
      console.log(`${line('index', a)}  (p99 ${f2(a.p99 / b.p99)}x bare, ${f1((100 * a.throughput) / b.throughput)}% of its calls/s)`);
      console.log(`${line('exact', e)}  (p99 ${f2(e.p99 / b.p99)}x bare, ${f1((100 * e.throughput) / b.throughput)}% of its calls/s)`);
      console.log(`index: ${ratios(runs.index, runs.bare)}; exact: ${ratios(runs.exact, runs.bare)}`);
      console.log(passes(exact.h, scan0));
      await exact.h.stop();

      // One item refresh as the 10-minute schedule runs it, while the index server is being called.
      const before = v.indexStatus;
      const during = runClient(approx.h.addr, seconds);
      const t0 = process.hrtime.bigint();
      const c0 = process.cpuUsage();
      await v.items.refresh();
      const cacheSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
      while (v.indexStatus === before) await new Promise((r) => setTimeout(r, 50));
      const totalSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const refreshCpu = cpuSince(c0);
      const d = await during;
      const after = v.indexStatus;
      const verdict = after.refusedRecall !== undefined ? `REFUSED by the canary at recall ${after.refusedRecall.toFixed(4)} on the users just served; the previous index keeps serving`
        : `index build + canary ${f1(after.buildSeconds)} s, recall ${after.recall.toFixed(4)}`;
      console.log(`refresh: item tower + cache swap ${f1(cacheSeconds)} s, then ${verdict}; ${f1(totalSeconds)} s in all (${f1(refreshCpu)} CPU s of this process, serving included; ${load()}), ` +
        `${f1((100 * totalSeconds) / 600)}% of the 10-minute period; ` +
        `served meanwhile (first ${seconds} s): ${line('', d).trim()}`);
      await approx.h.stop();
    }
  } finally {
    await bare.stop();
  }
}
