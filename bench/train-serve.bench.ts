// `npm run bench -- train-serve [--seconds 4] [--repeat 3] [--levels 1,8] [--rows 16384] [--spin-us 0]`: Score's latency while a
// training job runs in the same process, against the same server idle, measured in the same run.
//
// The process is what `modelops serve` is when it hosts scoring and training together: the scoring server of
// the score bench (bench/score.bench.ts: the real service over a real registry, 500 candidates per call, top_k
// 100, from a separate client process) and a training job on the onnxruntime engine (train(), as the
// TrainingService runs it: the engine in its worker thread, intra-op threads on every core, spinning off, or with
// --spin-us N spinning at most N microseconds inside each step, ort-engine.ts EngineSpin) on the
// train bench's model and rows (two-tower-base, content vector 512, batch 1024). Runs alternate idle and
// training at each in-flight level; printed: throughput, p50 and p99 of each (medians over the runs by p99),
// the p99 ratio, and the training's examples/s while it shared the machine.
import * as os from 'node:os';
import { layoutFor } from '../ml/features/layout';
import { syntheticBatch } from '../ml/features/fixtures';
import { train, TrainCancelled } from '../ml/train/trainer';
import type { RunResult } from './load-client';
import { DIM, runClient, scoreBenchServer } from './score.bench';

function flag(args: string[], name: string, def: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
}

/** A training job looping on the engine until stopped; `rate` is its examples/s since the last reset. */
function backgroundTraining(data: ReturnType<typeof syntheticBatch>, spinUs: number): { ready: Promise<void>; reset(): void; rate(): number; stop(): Promise<void> } {
  const { batch, facts } = data;
  const layout = layoutFor(512);
  const ac = new AbortController();
  let examples = 0;
  let since = performance.now();
  let lastDone = 0;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));
  const loop = (async () => {
    while (!ac.signal.aborted) {
      lastDone = 0;
      try {
        await train({ arch: 'two-tower-base', task: 'binary', layout, train: { batch, label: facts.label, lengthS: facts.lengthS }, epochs: 1000, batchSize: 1024,
          lr: 1e-3, seed: 1, backend: 'onnxruntime', signal: ac.signal, patience: 0, spin: spinUs > 0 ? spinUs : false,
          onProgress: (p) => {
            const done = ((p.epoch - 1) * p.stepsPerEpoch + p.step) * 1024;
            examples += done - lastDone;
            lastDone = done;
            markReady();
          } });
      } catch (err) {
        if (!(err instanceof TrainCancelled)) throw err;
      }
    }
  })();
  return {
    ready,
    reset: () => {
      examples = 0;
      since = performance.now();
    },
    rate: () => examples / ((performance.now() - since) / 1000),
    stop: async () => {
      ac.abort();
      await loop;
    },
  };
}

const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);

/** Entry point of `npm run bench -- train-serve`. */
export async function main(args: string[]): Promise<void> {
  const seconds = Number(flag(args, 'seconds', '4'));
  const repeat = Number(flag(args, 'repeat', '3'));
  const levels = flag(args, 'levels', '1,8').split(',').map(Number);
  const rows = Number(flag(args, 'rows', '16384'));
  const spinUs = Number(flag(args, 'spin-us', '0'));
  process.env.MODELOPS_LOG_LEVEL ??= 'silent';
  const load = () => os.loadavg().map(f2).join(' ');
  const h = await scoreBenchServer();
  try {
    console.log(`train-serve bench ${new Date().toISOString()}  node ${process.version}  ${os.cpus().length} cores, load average at start ${load()}`);
    console.log(`workload: Score with 500 candidates/call, top_k 100, ${DIM}-d vectors, ${seconds} s per run after 1 s warm-up, ${repeat} runs each way per level, alternating; ` +
      `training: two-tower-base on the onnxruntime engine (content vector 512, batch 1024, ${rows} rows; idle intra-op threads ${spinUs > 0 ? `spin at most ${spinUs} us inside a step` : 'sleep'}), in this process, looping while its runs last`);
    const data = syntheticBatch(rows, layoutFor(512), 1);
    const median = (xs: RunResult[]) => [...xs].sort((a, b) => a.p99 - b.p99)[Math.floor(xs.length / 2)];
    for (const level of levels) {
      const idle: RunResult[] = [];
      const busy: RunResult[] = [];
      const rates: number[] = [];
      for (let r = 0; r < repeat; r++) {
        idle.push(await runClient(h.addr, level, seconds));
        const job = backgroundTraining(data, spinUs);
        await job.ready;
        job.reset();
        busy.push(await runClient(h.addr, level, seconds));
        rates.push(job.rate());
        await job.stop();
      }
      const a = median(idle);
      const b = median(busy);
      const errors = [...idle, ...busy].reduce((x, y) => x + y.errors, 0);
      console.log(`in flight ${String(level).padStart(2)}:  idle ${f1(a.throughput).padStart(7)}/s p50 ${f2(a.p50).padStart(6)} ms p99 ${f2(a.p99).padStart(6)} ms` +
        `  |  while training ${f1(b.throughput).padStart(7)}/s p50 ${f2(b.p50).padStart(6)} ms p99 ${f2(b.p99).padStart(6)} ms` +
        `  (p99 ${f2(b.p99 / a.p99)}x idle; training ${rates.map((x) => x.toFixed(0)).join(', ')} examples/s)${errors ? `  ERRORS ${errors}` : ''}`);
      console.log(`              p99 per run  idle ${idle.map((x) => f2(x.p99)).join(' ')}  training ${busy.map((x) => f2(x.p99)).join(' ')} ms; load average ${load()}`);
    }
  } finally {
    await h.stop();
  }
}
