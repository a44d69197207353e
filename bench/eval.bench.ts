// `npm run bench -- eval [--rows 1000000] [--users 100000] [--items 8000] [--lists 400] [--no-sklearn] [--no-bootstrap] [--no-catalog]`: the metric library
// on synthetic impressions (continuous scores, 4..16 candidates per user, ~30% relevant). It times
//   1. per-user AUC and AP (group, sort, compute) — the workload compared with scikit-learn;
//   2. the full report (every metric at K = 5,10,50,100, per day, global AUC, GAUC) for one version;
//   3. the report for a candidate and a baseline with the paired bootstrap (1,000 resamples over users);
//   4. the catalog protocol (every item ranked per user-day) in user x item pairs per second;
// and, when Debian's python3-sklearn is importable by /usr/bin/python3, a straightforward per-user loop over
// sklearn.metrics.roc_auc_score and average_precision_score on the same rows: the speed ratio and the largest
// difference per user.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { averagePrecision, listAuc } from '../ml/metrics/list-metrics';
import { listOf, rankUnits } from '../ml/metrics/ranked-list';
import { evaluateRanking } from '../ml/metrics/evaluate';
import { mulberry32 } from '../core/rng';
import { Params } from '../ml/model/params';
import { makeSpec } from '../ml/model/spec';
import { exportOnnx } from '../ml/onnx/export';
import { modelMeta } from '../ml/model/model-meta';
import { OnnxModel } from '../ml/model/onnx-model';
import { layoutFor, type FeatureBatch } from '../ml/features/layout';
import { allocItemDay } from '../ml/features/item-day';
import type { DatasetMeta } from '../ml/features/dataset';
import { itemPriorsOf } from '../ml/metrics/sanity';
import { catalogProtocol } from '../services/evaluation/catalog-protocol';
import type { HeldOutRows } from '../services/evaluation/held-out-rows';

const PY = '/usr/bin/python3';

const SKLEARN_SCRIPT = `
import sys, time, numpy as np
from sklearn.metrics import roc_auc_score, average_precision_score
d = sys.argv[1]
score = np.fromfile(d + '/score.f64', dtype='<f8')
label = np.fromfile(d + '/label.u8', dtype=np.uint8)
user = np.fromfile(d + '/user.i32', dtype='<i4')
n_users = int(sys.argv[2])
t0 = time.perf_counter()
order = np.argsort(user, kind='stable')
bounds = np.searchsorted(user[order], np.arange(n_users + 1))
auc = np.full(n_users, np.nan)
ap = np.full(n_users, np.nan)
for u in range(n_users):
    idx = order[bounds[u]:bounds[u + 1]]
    y = label[idx]
    pos = int(y.sum())
    if pos == 0 or pos == len(y):
        continue
    s = score[idx]
    auc[u] = roc_auc_score(y, s)
    ap[u] = average_precision_score(y, s)
t1 = time.perf_counter()
auc.astype('<f8').tofile(d + '/auc.f64')
ap.astype('<f8').tofile(d + '/ap.f64')
print(t1 - t0)
`;

function arg(args: string[], name: string, def: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
}

function sklearnAvailable(): string | null {
  const r = spawnSync(PY, ['-c', 'import sklearn; print(sklearn.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Synthetic rows: users with 4..16 candidates (mean 10), score = signal + noise, label ~ Bernoulli. */
function synth(nRows: number, nUsers: number, seed: number) {
  const rand = mulberry32(seed);
  const sizes = new Int32Array(nUsers).fill(4);
  let left = nRows - 4 * nUsers;
  while (left > 0) {
    const u = Math.floor(rand() * nUsers);
    if (sizes[u] < 16) { sizes[u]++; left--; }
  }
  const user = new Int32Array(nRows), label = new Uint8Array(nRows), day = new Int32Array(nRows);
  const score = new Float64Array(nRows), base = new Float64Array(nRows), wtg = new Float32Array(nRows), ts = new Float32Array(nRows);
  for (let u = 0, i = 0; u < nUsers; u++) {
    const d = u % 4;
    for (let j = 0; j < sizes[u]; j++, i++) {
      const signal = rand();
      user[i] = u;
      day[i] = d;
      label[i] = rand() < 0.1 + 0.4 * signal ? 1 : 0;
      score[i] = signal + 0.8 * rand();
      base[i] = signal + 1.2 * rand();
      wtg[i] = (label[i] ? 0.5 : -0.5) + rand() - 0.5;
      ts[i] = 30 * rand();
    }
  }
  // Shuffle rows so that grouping is part of the work.
  const perm = new Int32Array(nRows);
  for (let i = 0; i < nRows; i++) perm[i] = i;
  for (let i = nRows - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); const t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
  const p = <T extends Int32Array | Uint8Array | Float64Array | Float32Array>(a: T): T => {
    const out = new (a.constructor as { new (n: number): T })(nRows);
    for (let i = 0; i < nRows; i++) out[i] = a[perm[i]];
    return out;
  };
  return { user: p(user), label: p(label), day: p(day), score: p(score), base: p(base), wtg: p(wtg), ts: p(ts), item: perm };
}

function timeIt<T>(fn: () => T): { value: T; seconds: number } {
  const t0 = process.hrtime.bigint();
  const value = fn();
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

/**
 * The catalog protocol on `nItems` items and `nLists` user-day lists (one user each, 2 relevant items each) with
 * two two-tower-base models of vector size 32 (untrained weights: the speed does not depend on them): the full
 * protocol (candidate and baseline through OnnxModel.combine, the five sanity baselines, the sparse rank metrics,
 * no bootstrap) in pairs per second, and in the same run the bare score of the same pairs (one dot product per
 * pair, no ranking) as the baseline of the ratio.
 */
async function catalogBench(nItems: number, nLists: number): Promise<void> {
  const layout = layoutFor(32);
  const rand = mulberry32(7);
  const load = async (seed: number) => {
    const p = Params.init(makeSpec('two-tower-base', 'binary', layout, { hidden: [64], dim: 32 }), seed);
    return OnnxModel.load({ ...exportOnnx(p), 'model.json': Buffer.from(JSON.stringify(modelMeta(p, {}, 'init'))) });
  };
  const [cand, base] = [await load(1), await load(2)];
  const inputs = allocItemDay(nItems, layout);
  for (let i = 0; i < inputs.itemDense.length; i++) inputs.itemDense[i] = rand() - 0.5;
  for (let i = 0; i < nItems; i++) { inputs.itemCat[i] = 1 + Math.floor(rand() * 4000); inputs.itemAge[i] = rand(); inputs.lengthS[i] = 5 + 60 * rand(); }
  // Held-out rows: two views per list, both relevant; users 0..nLists-1 on day 0.
  const n = 2 * nLists;
  const batch: FeatureBatch = { n, userCat: new Int32Array(n * layout.userCat.length), userDense: Float32Array.from({ length: n * layout.userDenseDim }, () => rand() - 0.5),
    itemCat: new Int32Array(n * layout.itemCat.length), itemDense: new Float32Array(n * layout.itemDenseDim), itemAge: new Float32Array(n) };
  const user = Int32Array.from({ length: n }, (_, i) => i >> 1);
  const item = Int32Array.from({ length: n }, () => Math.floor(rand() * nItems));
  const held: HeldOutRows = {
    meta: {} as DatasetMeta, batches: [batch], unlabeled: 0, lengthS: new Float64Array(n).fill(30), ts: Float64Array.from({ length: n }, (_, i) => i),
    rows: { user, nUsers: nLists, label: new Float64Array(n).fill(1), item, day: new Int32Array(n), days: ['d0'] },
  };
  const meta = { id: 'bench', layout, itemIds: Array.from({ length: nItems }, (_, i) => `v${i}`), userIds: [], days: ['d0'] } as unknown as DatasetMeta;
  const facts = { priors: itemPriorsOf(nItems, item, new Float64Array(n).fill(1)), seenBefore: new Map<number, Set<number>>() };
  const run = () => catalogProtocol({ artifacts: null as never, meta, held, facts, candidate: cand, baseline: base, ks: [5, 10, 50, 100],
    opts: { bootstrap: false }, loadDay: async () => inputs });
  await run(); // warm-up (JIT, onnxruntime sessions)
  const t0 = process.hrtime.bigint();
  const report = await run();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const pairs = report.users.rows;
  // The baseline: the same pairs scored by one bare dot product each (user vectors and item vectors given).
  const d = 32;
  const uv = Float32Array.from({ length: nLists * d }, () => rand()), iv = Float32Array.from({ length: nItems * d }, () => rand());
  const out = new Float32Array(nItems);
  const t1 = process.hrtime.bigint();
  for (let u = 0; u < nLists; u++) {
    for (let i = 0; i < nItems; i++) { let acc = 0; for (let k = 0; k < d; k++) acc += uv[u * d + k] * iv[i * d + k]; out[i] = acc; }
  }
  const bare = Number(process.hrtime.bigint() - t1) / 1e9;
  const rate = pairs / seconds, bareRate = (nLists * nItems) / bare;
  console.log(`catalog protocol (${nLists} user-day lists x ${nItems} items, candidate + baseline through OnnxModel.combine + 5 sanity baselines, ` +
    `rank metrics, no bootstrap): ${seconds.toFixed(3)} s, ${(rate / 1e6).toFixed(2)} M pairs/s (target >= 1 M pairs/s per core) ${rate >= 1e6 ? 'PASS' : 'FAIL'}`);
  console.log(`bare dot-product scoring of the same pairs (one model, no ranking): ${(bareRate / 1e6).toFixed(2)} M pairs/s; ratio catalog / bare ${(rate / bareRate).toFixed(2)}`);
  await cand.release();
  await base.release();
}

/** Benchmark entry point. */
export async function main(args: string[]): Promise<void> {
  const nRows = arg(args, 'rows', 1_000_000), nUsers = arg(args, 'users', 100_000);
  console.log(`workload: ${nRows} impressions over ${nUsers} users (4..16 candidates each), continuous scores, node ${process.version}, ${os.cpus().length} cpus`);
  const data = synth(nRows, nUsers, 20260428);

  // 1. Per-user AUC and AP.
  const perUser = timeIt(() => {
    const r = rankUnits({ score: data.score, label: data.label, tieKey: data.item }, data.user, nUsers);
    const auc = new Float64Array(nUsers), ap = new Float64Array(nUsers);
    for (let u = 0; u < nUsers; u++) {
      const l = listOf(r, u);
      auc[u] = listAuc(l);
      ap[u] = l.nRel > 0 && l.nRel < l.end - l.start ? averagePrecision(l) : NaN;
    }
    return { auc, ap };
  });
  console.log(`per-user AUC+AP: ${perUser.seconds.toFixed(3)} s, ${(nRows / perUser.seconds / 1e6).toFixed(2)} M rows/s`);

  // 2. Full report, one version.
  const rows = { user: data.user, nUsers, label: data.label, item: data.item, day: data.day, days: ['d0', 'd1', 'd2', 'd3'], wtg: data.wtg, timespentS: data.ts };
  const full = timeIt(() => evaluateRanking(rows, data.score, null, { bootstrap: false }));
  console.log(`full report (${full.value.metrics.length} metrics, overall + 4 days): ${full.seconds.toFixed(3)} s, ${(nRows / full.seconds / 1e6).toFixed(2)} M rows/s`);

  // 3. Candidate vs baseline with the paired bootstrap.
  if (!args.includes('--no-bootstrap')) {
    const paired = timeIt(() => evaluateRanking(rows, data.score, data.base, { bootstrap: { resamples: 1000, seed: 42 } }));
    const e = paired.value.delta!.overall.gauc;
    console.log(`candidate vs baseline + paired bootstrap (1000 resamples over users, every metric, overall + 4 days): ${paired.seconds.toFixed(3)} s ` +
      `(gauc delta ${e.delta?.toFixed(4)} [${e.ci95?.map((x) => x.toFixed(4)).join(', ')}])`);
  }

  // 4. The catalog protocol: every item ranked for each user-day.
  if (!args.includes('--no-catalog')) await catalogBench(arg(args, 'items', 8000), arg(args, 'lists', 400));

  // 5. scikit-learn, same rows.
  const version = args.includes('--no-sklearn') ? null : sklearnAvailable();
  if (!version) {
    console.log(`scikit-learn comparison skipped: ${args.includes('--no-sklearn') ? '--no-sklearn' : `${PY} cannot import sklearn (apt-get install -y python3-sklearn)`}`);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-eval-bench-'));
  try {
    fs.writeFileSync(path.join(dir, 'score.f64'), Buffer.from(data.score.buffer));
    fs.writeFileSync(path.join(dir, 'label.u8'), Buffer.from(data.label.buffer));
    fs.writeFileSync(path.join(dir, 'user.i32'), Buffer.from(data.user.buffer));
    fs.writeFileSync(path.join(dir, 'bench.py'), SKLEARN_SCRIPT);
    console.log(`scikit-learn ${version}: per-user roc_auc_score + average_precision_score loop ...`);
    const skSeconds = Number(execFileSync(PY, [path.join(dir, 'bench.py'), dir, String(nUsers)], { encoding: 'utf8', maxBuffer: 1 << 20 }).trim());
    const read = (f: string) => new Float64Array(new Uint8Array(fs.readFileSync(path.join(dir, f))).buffer);
    const skAuc = read('auc.f64'), skAp = read('ap.f64');
    let maxDiff = 0, compared = 0, mismatchedNaN = 0;
    for (let u = 0; u < nUsers; u++) {
      for (const [a, b] of [[perUser.value.auc[u], skAuc[u]], [perUser.value.ap[u], skAp[u]]]) {
        if (Number.isNaN(a) || Number.isNaN(b)) { if (Number.isNaN(a) !== Number.isNaN(b)) mismatchedNaN++; continue; }
        compared++;
        maxDiff = Math.max(maxDiff, Math.abs(a - b));
      }
    }
    const ratio = skSeconds / perUser.seconds;
    console.log(`scikit-learn: ${skSeconds.toFixed(3)} s, ${(nRows / skSeconds / 1e6).toFixed(3)} M rows/s`);
    console.log(`ratio (sklearn time / ours): ${ratio.toFixed(1)}x (target >= 3x) ${ratio >= 3 ? 'PASS' : 'FAIL'}`);
    console.log(`max |ours - sklearn| over ${compared} per-user values: ${maxDiff.toExponential(2)} (target <= 1e-9) ${maxDiff <= 1e-9 && mismatchedNaN === 0 ? 'PASS' : 'FAIL'}; one-class users disagreeing: ${mismatchedNaN}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
