// The data of an experiment run: the events its datasets read (imported from files or generated, when the
// experiment has recorded no dataset yet) and every dataset of its plan, reused when one with the same settings is
// ready, else built.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { importFilesOf, streamImport } from '../event-import';
import { importDirCandidates, SpecError } from './spec';
import type { DatasetNeed, Plan } from './plan';
import { pool, rpc, sleep } from '../busy-retry';
import { RunFailure, type RowState, type RunSteps } from './run-state';
import type { Dataset__Output } from '../../proto/gen/modelops/v1/Dataset';

/** Every dataset of the plan by key: reused from the experiment's rows or a matching ready dataset, else built. */
export async function ensureDatasets(s: RunSteps, plan: Plan, rows: Map<string, RowState>,
  push: (changed: RowState[]) => Promise<void>): Promise<Map<string, string>> {
  const { o, counts, step, say, onRetry } = s;
  const { spec, target } = o;
  const d = spec.data;
  const matches = (ds: Dataset__Output, n: DatasetNeed) => ds.state === 'DATASET_STATE_READY' && ds.source === d.source && ds.window === d.window &&
    ds.label === n.label && ds.task === n.task && ds.buckets === n.buckets && Math.abs(ds.train_frac - d.train_frac) < 1e-9 &&
    typeof ds.val_frac === 'number' && Math.abs(ds.val_frac - d.val_frac) < 1e-9;
  // Candidates: the datasets this experiment recorded (its filters are part of its specification).
  const recorded: Dataset__Output[] = [];
  for (const id of new Set([...rows.values()].flatMap((r) => r.dataset_ids))) {
    const got = await rpc<{ dataset: Dataset__Output }>(target, 'FeatureService', 'GetDataset', { name: id }).catch(() => null);
    if (got) recorded.push(got.dataset);
  }
  const ids = new Map<string, string>();
  const missing: DatasetNeed[] = [];
  for (const n of plan.datasets) {
    const found = recorded.find((ds) => matches(ds, n));
    if (found) {
      ids.set(n.key, found.id);
      counts.datasets_reused++;
      await step(null, `dataset ${n.key}: reusing ${found.id}`, 1);
    } else missing.push(n);
  }
  if (missing.length === 0) return ids;
  await ensureEvents(s, recorded.length > 0);
  await pool(missing, spec.concurrency, async (n) => {
    // A build that fails is tried again twice (each try is a new dataset): on a busy machine a build can lose its
    // connection to the artifact store (ECONNRESET) and succeed the next time.
    for (let attempt = 1; ; attempt++) {
      const { dataset } = await rpc<{ dataset: Dataset__Output }>(target, 'FeatureService', 'BuildDataset', {
        window: d.window, train_frac: d.train_frac, val_frac: d.val_frac, label: n.label, task: n.task, buckets: n.buckets, source: d.source,
        min_user_views: d.min_user_views, max_user_views: d.max_user_views, min_item_views: d.min_item_views,
      }, onRetry(`dataset ${n.key}`));
      say(`dataset ${n.key}: building ${dataset.id}${attempt > 1 ? ` (try ${attempt})` : ''}`);
      let ds: Dataset__Output;
      for (;;) {
        ({ dataset: ds } = await rpc<{ dataset: Dataset__Output }>(target, 'FeatureService', 'GetDataset', { name: dataset.id }));
        if (ds.state !== 'DATASET_STATE_BUILDING') break;
        await sleep(1000);
      }
      if (ds.state === 'DATASET_STATE_READY') {
        ids.set(n.key, ds.id);
        counts.datasets_built++;
        // Recorded at once, so that a run stopped later reuses it.
        const using = [...rows.values()].filter((r) => plan.trainOn[r.name] === n.key || plan.evalOn[r.name] === n.key);
        for (const r of using) r.dataset_ids = [...new Set([...r.dataset_ids, ds.id])];
        await step(using[0] ?? null, `dataset ${n.key}: ${ds.id} ready, ${Number(ds.counts.rows_kept ?? 0).toLocaleString('en-US')} rows kept`, 1);
        if (using.length > 1) await push(using.slice(1));
        return;
      }
      if (attempt >= 3) throw new RunFailure(`dataset ${ds.id} (${n.key}) failed: ${ds.error}`);
      say(`dataset ${n.key}: ${ds.id} failed (${ds.error}); building it again`);
    }
  });
  return ids;
}

/** Makes sure the source has events: imports the files or generates the log (both idempotent on the server). */
async function ensureEvents(s: RunSteps, seen: boolean): Promise<void> {
  const { o, step, say } = s;
  const { spec, target, io } = o;
  const d = spec.data;
  if (seen) return;
  if (d.generate) {
    const g = d.generate;
    const res = await rpc<{ counts: Record<string, string> }>(target, 'FeatureService', 'GenerateEvents', {
      users: g.users, items: g.items, days: g.days, seed: g.seed, views_per_day: g.views_per_day ?? 0, source: d.source,
    });
    await step(null, `events: synthetic log ${d.source}: ${Number(res.counts.views_inserted ?? 0)} views inserted, ${Number(res.counts.views_already_stored ?? 0)} already stored`);
    return;
  }
  if (!d.import) {
    say(`events: using source ${d.source} as it is on the server (the specification names no files to import)`);
    return;
  }
  const dirs = o.dataDir ? [path.resolve(o.dataDir)] : importDirCandidates(d.import.dir, o.specFile);
  const dir = dirs.find((x) => fs.existsSync(x));
  if (!dir) throw new SpecError(`data.import.dir: ${o.dataDir ? `--data-dir ${o.dataDir}` : d.import.dir} not found (looked in ${[...new Set(dirs)].join(' and ')}); put the data there, or give its folder with --data-dir`);
  const { files, defaults } = importFilesOf(d.import.format, dir);
  await step(null, `events: importing ${files.map((f) => path.basename(f)).join(', ')} from ${dir} into source ${d.source} (views already stored are skipped)`);
  const total = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  let sent = 0;
  const timer = setInterval(() => io.err(sent < total ? `  sent ${(sent / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB\n` : '  all sent; the server is loading the views\n'), 10_000);
  try {
    const header = { format: d.import.format, source: d.source, timezone: defaults.timezone ?? '', language: defaults.language ?? '', dim: defaults.dim ?? 0 };
    const res = await streamImport(target, header, files, (bytes) => { sent = bytes; });
    await step(null, `events: ${Number(res.counts.views_inserted ?? 0).toLocaleString('en-US')} views inserted, ${Number(res.counts.views_already_stored ?? 0).toLocaleString('en-US')} already stored`);
  } finally {
    clearInterval(timer);
  }
}
