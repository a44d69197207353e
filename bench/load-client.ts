// The load client the scoring benchmarks share (score.bench.ts, retrieve.bench.ts, and train-serve.bench.ts through
// score.bench.ts): a bench file re-run with `--client ADDR INFLIGHT SECONDS` keeps INFLIGHT calls in flight against
// ADDR, a 1 s warm-up and then SECONDS measured, and prints one JSON line; the serving process starts it as a child
// (so client and server never share an event loop) and reads that line.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadProtos } from '../proto/load';
import { MAX_RECEIVE_BYTES } from '../services/server';

/** What one client run measured. */
export interface RunResult {
  calls: number;
  errors: number;
  /** Seconds measured (after the warm-up). */
  seconds?: number;
  throughput: number;
  /** Milliseconds. */
  p50: number;
  p99: number;
  firstError?: string;
  /** CPU time of the server process per measured call (user + system, microseconds): robust to machine load. */
  serverCpuUs?: number;
}

/** The line the client prints when the warm-up ends and the measured phase starts. */
const MEASURE_START = 'MEASURE_START';

/** The `q` quantile of ascending `sorted` (NaN when empty). */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** A ScoringService client on `addr` (plaintext) and one of its unary methods as a promise with a deadline of `timeoutMs`. */
export function scoringMethod<Res>(addr: string, method: 'Score' | 'Retrieve', timeoutMs: number): { call: (req: object) => Promise<Res>; close(): void } {
  const Ctor = loadProtos().v1.ScoringService as unknown as new (a: string, c: grpc.ChannelCredentials, o: object) => grpc.Client;
  const c = new Ctor(addr, grpc.credentials.createInsecure(), { 'grpc.max_receive_message_length': MAX_RECEIVE_BYTES });
  const fn = (c as unknown as Record<string, Function>)[method].bind(c) as (r: object, o: grpc.CallOptions, cb: (e: grpc.ServiceError | null, r: Res) => void) => void;
  return {
    call: (req) => new Promise<Res>((resolve, reject) => fn(req, { deadline: Date.now() + timeoutMs }, (e, res) => (e ? reject(e) : resolve(res)))),
    close: () => c.close(),
  };
}

/**
 * Client mode: `inflight` loops each awaiting `call(i)` (i counts the calls) for a 1 s warm-up, then for `seconds`
 * measured; prints MEASURE_START between the two. Errors are counted (the first one's message kept), not thrown.
 */
export async function closedLoop(inflight: number, seconds: number, call: (i: number) => Promise<unknown>): Promise<RunResult> {
  let next = 0;
  const lat: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const loop = async (until: number, record: boolean) => {
    while (Date.now() < until) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      try {
        await call(i);
        if (record) lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
      } catch (err) {
        if (record) errors++;
        firstError ??= (err as Error).message;
      }
    }
  };
  const warm = Date.now() + 1000;
  await Promise.all(Array.from({ length: inflight }, () => loop(warm, false)));
  process.stdout.write(`${MEASURE_START}\n`);
  const start = process.hrtime.bigint();
  const end = Date.now() + seconds * 1000;
  await Promise.all(Array.from({ length: inflight }, () => loop(end, true)));
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  const sorted = Float64Array.from(lat).sort();
  return { calls: lat.length, errors, seconds: elapsed, throughput: lat.length / elapsed, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), firstError };
}

/**
 * Runs `npm run bench -- <bench> --client addr inflight seconds` as a child process and parses its last line; sets
 * `serverCpuUs` from this process's CPU time during the client's measured phase.
 */
export function runClientProcess(bench: string, addr: string, inflight: number, seconds: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const bin = path.join(__dirname, '..', 'bin', 'bench.js');
    const child = spawn(process.execPath, [bin, bench, '--client', addr, String(inflight), String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let cpu0: NodeJS.CpuUsage | undefined;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      // The server (this process) is measured from the client's measured phase on.
      if (!cpu0 && out.includes(MEASURE_START)) cpu0 = process.cpuUsage();
    });
    child.on('exit', (code) => {
      const cpu = cpu0 ? process.cpuUsage(cpu0) : undefined;
      if (code !== 0) return reject(new Error(`bench client exited ${code}`));
      try {
        const res = JSON.parse(out.trim().split('\n').pop()!) as RunResult;
        if (cpu && res.calls > 0) res.serverCpuUs = (cpu.user + cpu.system) / res.calls;
        resolve(res);
      } catch (err) {
        reject(err);
      }
    });
  });
}
