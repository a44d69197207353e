// `npm run bench -- outcomes [--views 200000] [--batch 10000] [--guard-interval-ms 0]`: the cost of RecordOutcomes as a rollout's
// outcomes grow. A fresh database on the machine's Postgres (TEST_DATABASE_URL), a model with two versions,
// a 90/10 rollout with a watch-time guardrail (so every batch is joined, inserted AND re-evaluates the
// guardrail over all outcomes so far), then batches of synthetic views through the service layer. Printed:
// per-batch time at the start and the end, views/s overall, and one GetRolloutReport at the end.
// Baseline in the same run: the bare insert of the same rows (RolloutLog.insertOutcomes alone).
import * as os from 'node:os';
import pino from 'pino';
import { openDatabase } from '../registry/data-source';
import { RegistryStore } from '../registry/registry-store';
import type { JoinedOutcome } from '../registry/rollout-log';
import { RolloutService, rolloutStores, type OutcomeInput } from '../services/rollout/service';
import { createTestDatabase } from '../test/helpers/platform';
import type { ArtifactStore } from '../registry/artifact-store';

function flag(args: string[], name: string, def: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
}

export async function main(args: string[]): Promise<void> {
  const views = Number(flag(args, 'views', '200000'));
  const batch = Number(flag(args, 'batch', '10000'));
  const tdb = await createTestDatabase('mo_bench');
  const db = await openDatabase(tdb.url);
  try {
    // Versions are inserted as rows: the bench measures outcomes, not registration (no artifacts needed).
    const reg = new RegistryStore(db, undefined as unknown as ArtifactStore);
    await reg.createModel({ id: 'm', createdBy: 'bench' });
    for (const [n, name] of [[1, 'ctl'], [2, 'trt']] as const) {
      await db.pool.query(`INSERT INTO model_versions (model, number, name, artifacts, created_by) VALUES ('m', $1, $2, '[]', 'bench')`, [n, name]);
    }
    await reg.withModelLock('m', (t) => t.setAlias('production', 1, 'bench'));
    const stores = rolloutStores(db, reg);
    const interval = Number(flag(args, 'guard-interval-ms', '0'));
    const service = new RolloutService(stores, pino({ level: 'silent' }), { guardIntervalMs: interval });
    const r = await stores.changes.start({ model: 'm', arms: [{ version: 'trt', weight: 10 }], shadow: [],
      guardrails: [{ metric: 'watch_time', maxDropPct: 3, minViews: 1000 }], actor: 'bench', reason: 'bench' });

    let seed = 1;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const t0 = Date.now() + 1000;
    const make = (k: number): OutcomeInput[] => Array.from({ length: batch }, (_, i) => {
      const n = k * batch + i;
      const len = 5 + Math.floor(rand() * 55);
      // Both arms watch alike (no breach): the guardrail is evaluated on every batch and never stops the run.
      return { requestId: '', userId: `u${n % Math.max(1, Math.floor(views / 5))}`, itemId: `i${n}`, timespentS: rand() * len * 1.1,
        videoLengthS: len, liked: false, shared: false, time: new Date(t0 + n) };
    });
    console.log(`outcomes bench ${new Date().toISOString()}  node ${process.version}  ${os.cpus().length} cores, load avg ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    console.log(`workload: ${views} views in batches of ${batch}, ~5 views per user, 90/10 rollout with guardrail watch_time<-3%@1000, ` +
      `guardrail interval ${interval} ms (0: evaluated on every batch)`);
    const times: number[] = [];
    const start = process.hrtime.bigint();
    for (let k = 0; k * batch < views; k++) {
      const b = make(k);
      const s = process.hrtime.bigint();
      const res = await service.recordOutcomes('m', b);
      times.push(Number(process.hrtime.bigint() - s) / 1e6);
      if (res.accepted !== b.length || res.breaches.length) throw new Error(`batch ${k}: ${JSON.stringify({ ...res, rollout: undefined })}`);
    }
    const total = Number(process.hrtime.bigint() - start) / 1e9;
    service.close();
    const rs = process.hrtime.bigint();
    await service.report('m');
    const reportMs = Number(process.hrtime.bigint() - rs) / 1e6;

    // Baseline: the insert alone, same number of rows, into a stopped copy of the rollout's table.
    await stores.changes.stop('m', 'bench', 'baseline');
    const joined: JoinedOutcome[] = make(0).map((o) => ({ ...o, time: o.time!, rolloutId: r.id, arm: 'ctl', versionNumber: 1, itemId: `b-${o.itemId}` }));
    const bs = process.hrtime.bigint();
    await stores.log.insertOutcomes(joined);
    const insertMs = Number(process.hrtime.bigint() - bs) / 1e6;

    const f = (x: number) => x.toFixed(0);
    const sorted = [...times].sort((a, b) => a - b);
    const lastHalf = times.slice(Math.floor(times.length / 2)).sort((a, b) => a - b);
    console.log(`RecordOutcomes per batch of ${batch}: first ${f(times[0])} ms, median ${f(sorted[Math.floor(sorted.length / 2)])} ms, ` +
      `median of the second half ${f(lastHalf[Math.floor(lastHalf.length / 2)])} ms, max ${f(sorted[sorted.length - 1])} ms; overall ${f(views / total)} views/s`);
    console.log(`baseline: bare insert of ${batch} joined rows ${f(insertMs)} ms (the rest of a batch is the join, the served lookup and, when due, ` +
      'the guardrail readout over all outcomes so far)');
    console.log(`GetRolloutReport over ${views} views: ${f(reportMs)} ms`);
  } finally {
    await db.close();
    await tdb.drop();
  }
}
