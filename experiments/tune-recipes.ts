// The recipe tuning record (docs/results/tuning.md): every setting tried, trained and judged by the library the
// services run (dataset build, train(), the ONNX export, the catalog protocol with its sanity baselines), without
// a server, so the whole grid is one reproducible command.
//
//   npx tsx experiments/tune-recipes.ts --data ../shared/data/kuairand-pure --stage tune [--rows a,b] [--out FILE.jsonl]
//   npx tsx experiments/tune-recipes.ts --data ../shared/data/kuairand-pure --stage test --settings RECIPES.json
//
// --stage tune builds every dataset over the TUNING window (2022-04-25..2022-04-28, its own 60/10/30 time split), whose
// held-out days (2022-04-27 19:12 .. 2022-04-28) end before the test part of the report window starts
// (2022-04-29 21:36): the settings are chosen on data the report's test part never sees. --stage test trains the
// chosen settings on the report window (2022-04-25..2022-05-01) and evaluates them on its test days once.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { linesOf } from '../ml/data/csv';
import { newCounts, parseLog, parseVideos } from '../ml/data/kuairand';
import { EventLogBuilder, type EventLog } from '../ml/data/events';
import { buildDataset, type BuildSpec } from '../ml/features/build';
import { itemDayKey, loadShard, metaKey, shardKey, type DatasetMeta, type ItemDayRef, type ShardRef } from '../ml/features/dataset';
import { encodeItemDay } from '../ml/features/item-day';
import { encodeShard } from '../ml/features/shard';
import { layoutFor } from '../ml/features/layout';
import { takeRows } from '../ml/features/batch-rows';
import { concatBatches } from '../ml/train/data';
import { train, type LabelledRows } from '../ml/train/trainer';
import { exportOnnx } from '../ml/onnx/export';
import { modelMeta } from '../ml/model/model-meta';
import { OnnxModel } from '../ml/model/onnx-model';
import { checkArch } from '../ml/model/spec';
import { parseLabel, type LabelKind } from '../ml/labels/spec';
import { SANITY_NAMES } from '../ml/metrics/sanity';
import { sha256Hex, type ArtifactStore } from '../registry/artifact-store';
import { catalogProtocol } from '../services/evaluation/catalog-protocol';
import { loadHeldOut, loadTrainingFacts } from '../services/evaluation/held-out-rows';

/** One recipe setting: the dataset it trains on, the model and the optimiser. */
export interface Setting {
  /** The setting's name in the tuning record (A, B, ...). */
  setting?: string;
  row: string;
  label: string;
  task: 'binary' | 'regression';
  buckets: string;
  arch: string;
  /** The evaluation target (the row's own label). */
  target: string;
  epochs: number;
  lr: number;
  patience: number;
  hidden: number[];
  negatives: number;
  batchSize?: number;
  catDim?: number;
  vectorDim?: number;
  /** Weight of the adversarial length loss (two-tower-grl). */
  grlLambda?: number;
  seed?: number;
}

export const TUNING_WINDOW = '2022-04-25..2022-04-28';
export const REPORT_WINDOW = '2022-04-25..2022-05-01';
const METRICS = ['gauc', 'map', 'recall@50', 'recall@10', 'mrr'];

function memoryStore(): ArtifactStore {
  const objects = new Map<string, Buffer>();
  return {
    bucket: 'memory',
    async put(key: string, data: Buffer) { objects.set(key, data); return { key, size: data.length, sha256: sha256Hex(data) }; },
    async get(key: string) {
      const d = objects.get(key);
      if (!d) throw new Error(`missing ${key}`);
      return d;
    },
    async exists(key: string) { return objects.has(key); },
    async remove(key: string) { objects.delete(key); },
    async list(prefix: string) { return [...objects.keys()].filter((k) => k.startsWith(prefix)); },
    async listObjects(prefix: string) {
      return [...objects].filter(([k]) => k.startsWith(prefix)).map(([key, d]) => ({ key, size: d.length, lastModified: new Date() }));
    },
  };
}

/** The KuaiRand-Pure files as one event log (dim 16, Asia/Shanghai: what `data import --format kuairand` stores). */
async function loadKuairand(dir: string): Promise<EventLog> {
  const tally = newCounts();
  const open = (f: string) => linesOf(fs.createReadStream(path.join(dir, f)).pipe(zlib.createGunzip()));
  const items = await parseVideos(open('video_features_basic_pure.csv.gz'), { file: 'video_features_basic_pure.csv.gz', dim: 16, timezone: 'Asia/Shanghai', language: 'zh' }, tally);
  const b = new EventLogBuilder(16, 1 << 20);
  for (const it of items.values()) b.addItem(it);
  const seen = new Set<string>();
  for (const f of fs.readdirSync(dir).filter((x) => /^kuairand_pure_log_.*\.csv\.gz$/.test(x)).sort()) {
    await parseLog(open(f), { file: f, language: 'zh', source: 'kuairand' }, items, tally, (v, key) => {
      if (seen.has(key)) return;
      seen.add(key);
      b.add(v);
    });
  }
  return b.finish();
}

const store = memoryStore();
const datasets = new Map<string, DatasetMeta>();

async function dataset(log: EventLog, window: string, s: Setting): Promise<DatasetMeta> {
  const key = `${window}|${s.label}|${s.task}|${s.buckets}`;
  const have = datasets.get(key);
  if (have) return have;
  const id = `ds-${datasets.size}`;
  const spec: BuildSpec = { window, trainFrac: 0.6, valFrac: 0.1, label: s.label, task: s.task, buckets: s.buckets, timezone: 'Asia/Shanghai', source: 'kuairand' };
  const shards: ShardRef[] = [];
  const itemDays: ItemDayRef[] = [];
  const layout = layoutFor(16);
  const meta = await buildDataset(log, spec, {
    shard: async (split, batch, facts) => {
      const put = await store.put(shardKey(id, shards.length), encodeShard(batch, facts, layout));
      shards.push({ key: put.key, sha256: put.sha256, rows: batch.n, split });
    },
    itemDay: async (header, inputs) => {
      const put = await store.put(itemDayKey(id, header.day), encodeItemDay(inputs, header));
      itemDays.push({ day: header.day, key: put.key, sha256: put.sha256, items: inputs.n });
    },
  });
  const full: DatasetMeta = { id, ...meta, shards, itemDays };
  await store.put(metaKey(id), Buffer.from(JSON.stringify(full)));
  datasets.set(key, full);
  return full;
}

/** A part's rows with a finite label, with what negative sampling needs. */
async function part(meta: DatasetMeta, split: 'train' | 'validation'): Promise<LabelledRows> {
  const parts = await Promise.all(meta.shards.filter((r) => r.split === split).map((r) => loadShard(store, r)));
  const batch = concatBatches(parts.map((p) => p.batch));
  const f = <K extends 'label' | 'lengthS' | 'userIdx' | 'itemIdx' | 'ts'>(k: K) => parts.map((p) => Array.from(p.facts[k] as ArrayLike<number>)).flat();
  const label = f('label'), len = f('lengthS'), user = f('userIdx'), item = f('itemIdx'), ts = f('ts');
  const keep = label.map((y, i) => (Number.isFinite(y) ? i : -1)).filter((i) => i >= 0);
  return { batch: takeRows(batch, keep, meta.layout), label: Float32Array.from(keep, (i) => label[i]), lengthS: Float32Array.from(keep, (i) => len[i]),
    userIdx: Int32Array.from(keep, (i) => user[i]), itemIdx: Int32Array.from(keep, (i) => item[i]), ts: Float64Array.from(keep, (i) => ts[i]) };
}

/** Trains one setting on `window` and returns its catalog-protocol figures against the sanity baselines. */
async function runSetting(log: EventLog, window: string, s: Setting, resamples: number): Promise<Record<string, unknown>> {
  const meta = await dataset(log, window, s);
  const [tr, val] = await Promise.all([part(meta, 'train'), part(meta, 'validation')]);
  const t0 = Date.now();
  const res = await train({
    arch: checkArch(s.arch), task: s.task, layout: meta.layout, train: tr, val: val.batch.n ? val : undefined, patience: s.patience,
    epochs: s.epochs, batchSize: s.batchSize ?? 1024, lr: s.lr, seed: s.seed ?? 42, negatives: s.negatives,
    sizes: { hidden: s.hidden, ...(s.catDim ? { catDim: s.catDim } : {}), ...(s.vectorDim ? { dim: s.vectorDim } : {}), ...(s.grlLambda ? { grlLambda: s.grlLambda } : {}) }, threads: 1,
  });
  const files = { ...exportOnnx(res.params), 'model.json': Buffer.from(JSON.stringify(modelMeta(res.params, res.metrics, res.backend))) };
  const model = await OnnxModel.load(files);
  const target: LabelKind = parseLabel(s.target);
  try {
    const [held, facts] = await Promise.all([loadHeldOut(store, meta, target), loadTrainingFacts(store, meta, target)]);
    const rep = await catalogProtocol({ artifacts: store, meta, held, facts, candidate: model, baseline: null, ks: [10, 50],
      opts: { ks: [10, 50], bootstrap: { resamples, seed: 42 } } });
    const out: Record<string, unknown> = { ...s, window, train_s: +((Date.now() - t0) / 1000).toFixed(1), best_epoch: res.metrics.best_epoch,
      epochs_run: res.metrics.epochs_run, val_auc: res.metrics.val_auc, val_rmse: res.metrics.val_rmse, days: meta.days, lists: rep.users.evaluated };
    for (const m of METRICS) {
      out[m] = rep.overall[m];
      for (const b of SANITY_NAMES) out[`${b}:${m}`] = rep.sanity[b]?.overall[m] ?? null;
    }
    for (const m of ['gauc', 'map', 'recall@50']) {
      const bb = rep.beats_baselines[m];
      out[`beats:${m}`] = bb?.beats ?? null;
      out[`lost_to:${m}`] = bb ? Object.entries(bb.by_baseline).filter(([, v]) => !v).map(([k]) => k) : null;
      out[`by_day:${m}`] = Object.fromEntries(Object.entries(rep.by_day).map(([d, v]) => [d, v[m]]));
      for (const b of SANITY_NAMES) out[`delta_ci:${b}:${m}`] = rep.sanity[b]?.delta.overall[m]?.ci95 ?? null;
    }
    return out;
  } finally {
    await model.release();
  }
}

function flag(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const data = flag('data', '../shared/data/kuairand-pure')!;
  const stage = flag('stage', 'tune');
  const settings = JSON.parse(fs.readFileSync(flag('settings', path.join(__dirname, 'tuning-grid.json'))!, 'utf8')) as Setting[];
  const rows = flag('rows')?.split(',');
  const only = flag('only');
  const out = flag('out', stage === 'test' ? 'test-results.jsonl' : 'tuning-results.jsonl')!;
  const window = stage === 'test' ? REPORT_WINDOW : TUNING_WINDOW;
  const resamples = Number(flag('resamples', stage === 'test' ? '1000' : '200'));
  process.stderr.write(`loading ${data}\n`);
  const log = await loadKuairand(data);
  process.stderr.write(`${log.n} views\n`);
  const picked = settings.filter((s, i) => (!rows || rows.includes(s.row)) && (!only || only.split(',').includes(String(i))));
  for (const [i, s] of picked.entries()) {
    const r = await runSetting(log, window, s, resamples);
    fs.appendFileSync(out, `${JSON.stringify(r)}\n`);
    const lost = (m: string) => (r[`lost_to:${m}`] as string[] | null)?.join('+') || '-';
    process.stderr.write(`[${i + 1}/${picked.length}] ${s.setting ?? ''} ${s.row} ${s.arch} neg=${s.negatives}${s.grlLambda ? ` lambda=${s.grlLambda}` : ''} ep=${s.epochs} lr=${s.lr} h=${s.hidden} `
      + `best=${r.best_epoch} gauc=${(r.gauc as number).toFixed(4)} (pop ${(r['popular:gauc'] as number).toFixed(4)} prior ${(r['item_prior:gauc'] as number).toFixed(4)} short ${(r['shortest:gauc'] as number).toFixed(4)}) `
      + `map=${(r.map as number).toFixed(4)} (pop ${(r['popular:map'] as number).toFixed(4)}) lost gauc:${lost('gauc')} map:${lost('map')} r50:${lost('recall@50')} ${r.train_s}s\n`);
  }
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`${(e as Error).stack}\n`);
    process.exit(1);
  });
}
