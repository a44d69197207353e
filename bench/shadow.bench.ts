// `npm run bench -- shadow [--seconds N] [--levels 1,8]`: Score latency with a shadow version on, against the
// same run without, in one process run. It registers the `shadow` mode of the score benchmark (a shadow-only
// rollout: production serves everyone, a second version with production's weights is shadow-scored on every
// call the queue accepts, so its top-50 rank correlation must come out 1: a check of the measurement) and runs bench/score.bench.ts twice, `plain` then `shadow`, with the same workload
// (500 candidates, top_k 100, 64-d, separate client process). Printed per level: p99 of both and the ratio,
// and the fraction of calls shadow-scored (scored / offered, from the shadow queue's flushed sums) with the
// mean top-50 Spearman/Kendall and shadow latency p50/p99.
import { MODES, main as scoreMain } from './score.bench';
import { rolloutStores } from '../services/rollout/service';
import { histQuantile, type ShadowDelta } from '../services/rollout/shadow-queue';

const MODEL = 'feed-ranker-hi';

function flag(args: string[], name: string, def: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
}

/** Runs the score bench with `mode`, returning its printed lines (also echoed). */
async function capture(args: string[]): Promise<string[]> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => {
    const text = a.map(String).join(' ');
    lines.push(text);
    log(text);
  };
  try {
    await scoreMain(args);
  } finally {
    console.log = log;
  }
  return lines;
}

function p99At(lines: string[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const l of lines) {
    const m = /^in flight\s+(\d+):.*\|\s+score\s+[\d.]+\/s p50\s+[\d.]+ ms p99\s+([\d.]+) ms/.exec(l);
    if (m) out.set(Number(m[1]), Number(m[2]));
  }
  return out;
}

export async function main(args: string[]): Promise<void> {
  const seconds = flag(args, 'seconds', '5');
  const levels = flag(args, 'levels', '1,8');
  const totals: ShadowDelta[] = [];
  MODES.shadow = async (h) => {
    // The same weights as production (seed 1): the rank correlation must come out 1, a check of the measurement.
    await h.register(MODEL, 'prod-shadow', 1);
    await rolloutStores(h.tp.platform.ctx.db, h.store).changes.start({ model: MODEL, arms: [], shadow: ['prod-shadow'], guardrails: [],
      actor: 'bench', reason: 'shadow bench' });
    await h.scoring.manager.reconcile(MODEL);
    // Keep every flushed delta (the store's copy is dropped with the bench database).
    const q = h.scoring.shadow;
    const flush = q.flush.bind(q);
    q.flush = async () => {
      const d = await flush();
      totals.push(...d);
      return d;
    };
    return 'shadow-only rollout: production serves, prod-shadow (same weights as production) shadow-scores what the queue accepts';
  };
  console.log('--- without shadow ---');
  const plain = p99At(await capture(['--seconds', seconds, '--levels', levels, '--mode', 'plain']));
  console.log('--- with shadow ---');
  const shadow = p99At(await capture(['--seconds', seconds, '--levels', levels, '--mode', 'shadow']));
  const sum = (k: keyof ShadowDelta) => totals.reduce((s, d) => s + Number(d[k]), 0);
  const hist: number[] = [];
  for (const d of totals) d.latencyHist.forEach((c, i) => { hist[i] = (hist[i] ?? 0) + c; });
  console.log('--- summary ---');
  for (const [level, p] of plain) {
    const s = shadow.get(level);
    if (s !== undefined) console.log(`in flight ${level}: p99 without ${p.toFixed(2)} ms, with shadow ${s.toFixed(2)} ms: ${(s / p).toFixed(2)}x`);
  }
  const offered = sum('offered');
  const scored = sum('scored');
  const corr = sum('corrCount');
  console.log(`shadow-scored: ${scored} of ${offered} calls offered (${offered ? ((100 * scored) / offered).toFixed(1) : '0'}%), shed ${sum('shed')}, failed ${sum('failed')}; ` +
    `mean top-50 Spearman ${corr ? (sum('sumSpearman') / corr).toFixed(3) : '-'}, Kendall ${corr ? (sum('sumKendall') / corr).toFixed(3) : '-'}; ` +
    `shadow latency mean ${scored ? (sum('sumLatencyMs') / scored).toFixed(2) : '-'} ms, p50 <= ${histQuantile(hist, 0.5)} ms, p99 <= ${histQuantile(hist, 0.99)} ms`);
}
