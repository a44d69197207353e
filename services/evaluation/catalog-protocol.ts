// The catalog protocol: each user-day list is every item of the dataset's item set, scored on its inputs as of
// 00:00 of that day (the dataset's item-day files), less the items the user viewed before that day; relevant =
// the items viewed that day whose target label is 1. The user's inputs are those of the user's first view that
// day. Item vectors are computed once per day and model, user vectors once per user-day, and each list is scored
// through the model's score function (OnnxModel.combine) and ranked by the sparse rank metrics (only relevant
// items' ranks are counted), one user at a time: a day's users x items scores are never held at once.
import type { ArtifactStore } from '../../registry/artifact-store';
import { loadItemDay, type DatasetMeta } from '../../ml/features/dataset';
import type { ItemDayInputs } from '../../ml/features/item-day';
import type { OnnxModel } from '../../ml/model/onnx-model';
import type { ListSet, ScorerTables } from '../../ml/metrics/evaluate';
import type { UnitTable } from '../../ml/metrics/unit-table';
import { catalogSpecs, protocolReport, type ProtocolReport, type ProtocolReportOptions } from '../../ml/metrics/protocol-report';
import { SANITY_NAMES, itemPrior, randomScore, RANDOM_SEED, UNKNOWN_LENGTH_SCORE, type ItemPriors, type SanityName } from '../../ml/metrics/sanity';
import { sparseListValues, sparseListValuesSorted } from '../../ml/metrics/sparse-list';
import { failedPrecondition } from '../../core/errors';
import type { HeldOutRows, TrainingFacts } from './held-out-rows';

/** One user-day list of the catalog protocol. */
export interface CatalogList {
  user: number;
  day: number;
  /** The held-out row of the user's first view that day (its user inputs and context are used). */
  firstRow: number;
  /** Item indices viewed that day with target 1 / target 0 / undefined target. */
  relevant: number[];
  viewed: number[];
  /** Items left out of the list: viewed before the day (and undefined-target items of the day). */
  excluded: Set<number>;
  /** Per item viewed that day, its held-out row (the export reads its outcomes). */
  rowOf: Map<number, number>;
}

/** The lists of the catalog protocol from the held-out rows and the users' earlier views, ordered by day then user. */
export function catalogLists(held: HeldOutRows, facts: TrainingFacts): CatalogList[] {
  const r = held.rows;
  const byKey = new Map<string, CatalogList>();
  const order = [...Array(r.user.length).keys()].sort((a, b) => r.day![a] - r.day![b] || r.user[a] - r.user[b] || held.ts[a] - held.ts[b]);
  // Views of earlier test days count as "viewed before" for later days.
  const seenInTest = new Map<number, { day: number; item: number }[]>();
  for (const i of order) {
    const key = `${r.day![i]}:${r.user[i]}`;
    let l = byKey.get(key);
    if (!l) {
      const excluded = new Set<number>(facts.seenBefore.get(r.user[i]) ?? []);
      for (const v of seenInTest.get(r.user[i]) ?? []) if (v.day < r.day![i]) excluded.add(v.item);
      l = { user: r.user[i], day: r.day![i], firstRow: i, relevant: [], viewed: [], excluded, rowOf: new Map() };
      byKey.set(key, l);
    }
    const it = r.item![i];
    l.viewed.push(it);
    if (!l.rowOf.has(it)) l.rowOf.set(it, i);
    if (r.label[i] > 0 && !l.relevant.includes(it)) l.relevant.push(it);
    let seen = seenInTest.get(r.user[i]);
    if (!seen) seenInTest.set(r.user[i], (seen = []));
    seen.push({ day: r.day![i], item: it });
  }
  const lists = [...byKey.values()];
  for (const l of lists) l.relevant = l.relevant.filter((it) => !l.excluded.has(it)).sort((a, b) => a - b);
  return lists;
}

/** One scorer's scores of every item of a day for one list (into `out`). */
type ListScorer = ((l: CatalogList, out: Float64Array) => Promise<void> | void) & {
  /** For scores that do not depend on the user: the day's scores and the same ascending (the sorted fast path). */
  fixed?: { score: Float64Array; sorted: Float64Array };
};

/** What a catalog run reports to its caller between lists. */
export interface CatalogHooks {
  /** Called after each list with the fraction done; throw to stop (a cancelled evaluation). */
  onProgress?: (fraction: number) => void;
  /** Receives each list's scores per scorer (the export), with the day's item inputs. */
  onList?: (l: CatalogList, member: Uint8Array, scores: Record<string, Float64Array>, inputs: ItemDayInputs) => Promise<void> | void;
}

/** Per-day scorers built from the day's item inputs: the models (vectors cached for the day) and the sanity baselines. */
async function dayScorers(models: { name: string; model: OnnxModel }[], held: HeldOutRows, meta: DatasetMeta, priors: ItemPriors,
  inputs: ItemDayInputs, dayLists: CatalogList[]): Promise<Record<string, ListScorer>> {
  const n = inputs.n;
  const L = meta.layout;
  const uc = L.userCat.length, ud = L.userDenseDim;
  // The first-view user inputs of every list of the day, in one batch per model.
  const userCat = new Int32Array(dayLists.length * uc), userDense = new Float32Array(dayLists.length * ud);
  const where = rowLocator(held);
  dayLists.forEach((l, j) => {
    const [b, k] = where(l.firstRow);
    userCat.set(held.batches[b].userCat.subarray(k * uc, (k + 1) * uc), j * uc);
    userDense.set(held.batches[b].userDense.subarray(k * ud, (k + 1) * ud), j * ud);
  });
  const listIndex = new Map(dayLists.map((l, j) => [l, j]));
  const scorers: Record<string, ListScorer> = {};
  for (const { name, model } of models) {
    const d = model.meta.vectorDim;
    const itemVecs = await model.itemVectors(inputs.itemCat, inputs.itemDense, n);
    const userVecs = await model.userVectors(userCat, userDense, dayLists.length);
    scorers[name] = async (l, out) => {
      const j = listIndex.get(l)!;
      const s = await model.combine(userVecs.subarray(j * d, (j + 1) * d), itemVecs, n, { itemAge: inputs.itemAge, userCat: userCat.subarray(j * uc, (j + 1) * uc) });
      for (let i = 0; i < n; i++) out[i] = s[i];
    };
  }
  const fixed = (f: (i: number) => number): ListScorer => {
    const a = Float64Array.from({ length: n }, (_, i) => f(i));
    return Object.assign((_l: CatalogList, out: Float64Array) => { out.set(a); }, { fixed: { score: a, sorted: Float64Array.from(a).sort() } });
  };
  const len = (i: number) => inputs.lengthS[i];
  scorers.random = (l, out) => { for (let i = 0; i < n; i++) out[i] = randomScore(RANDOM_SEED, l.user, l.day, i); };
  scorers.popular = fixed((i) => priors.views[i] ?? 0);
  scorers.item_prior = fixed((i) => itemPrior(priors, i));
  scorers.shortest = fixed((i) => (Number.isFinite(len(i)) ? -len(i) : UNKNOWN_LENGTH_SCORE));
  scorers.longest = fixed((i) => (Number.isFinite(len(i)) ? len(i) : UNKNOWN_LENGTH_SCORE));
  return scorers;
}

/** Maps a kept held-out row to (batch, row within the batch). */
function rowLocator(held: HeldOutRows): (row: number) => [number, number] {
  const starts: number[] = [];
  let at = 0;
  for (const b of held.batches) { starts.push(at); at += b.n; }
  return (row) => {
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid] <= row) lo = mid; else hi = mid - 1; }
    return [lo, row - starts[lo]];
  };
}

/** Runs the catalog protocol for the candidate (and baseline) model and returns its report. */
export async function catalogProtocol(args: {
  artifacts: ArtifactStore; meta: DatasetMeta; held: HeldOutRows; facts: TrainingFacts;
  candidate: OnnxModel; baseline: OnnxModel | null; ks: number[]; opts: ProtocolReportOptions; hooks?: CatalogHooks;
  loadDay?: (day: number) => Promise<ItemDayInputs>;
}): Promise<ProtocolReport> {
  const { meta, held, facts } = args;
  const refs = meta.itemDays;
  if (!args.loadDay && (!refs || refs.length === 0)) {
    throw failedPrecondition(`dataset "${meta.id}" has no item inputs per test day (it was built before the catalog protocol existed); rebuild it with \`modelops data build\`, or evaluate with --protocol viewed`);
  }
  const loadDay = args.loadDay ?? (async (day: number) => {
    const ref = refs!.find((r) => r.day === day);
    if (!ref) throw failedPrecondition(`dataset "${meta.id}" has no item inputs for test day ${meta.days[day] ?? day}; rebuild it with \`modelops data build\``);
    return loadItemDay(args.artifacts, ref);
  });
  const specs = catalogSpecs(args.ks);
  const lists = catalogLists(held, facts);
  const M = specs.length;
  const unitOf = new Map(lists.map((l, u) => [l, u]));
  const names = ['candidate', ...(args.baseline ? ['baseline'] : []), ...SANITY_NAMES];
  const tables: Record<string, UnitTable> = {};
  for (const s of names) {
    tables[s] = { specs, nUnits: lists.length, values: new Float64Array(lists.length * M), impressions: new Int32Array(lists.length),
      eligible: new Uint8Array(lists.length), nRel: new Int32Array(lists.length) };
  }
  const models = [{ name: 'candidate', model: args.candidate }, ...(args.baseline ? [{ name: 'baseline', model: args.baseline }] : [])];
  let done = 0;
  let lastYield = Date.now();
  for (let day = 0; day < meta.days.length; day++) {
    const dayLists = lists.filter((l) => l.day === day);
    if (dayLists.length === 0) continue;
    const inputs = await loadDay(day);
    if (inputs.n !== meta.itemIds.length) throw failedPrecondition(`item inputs of ${meta.days[day]} hold ${inputs.n} items, the dataset has ${meta.itemIds.length}; rebuild the dataset`);
    const scorers = await dayScorers(models, held, meta, facts.priors, inputs, dayLists);
    const n = inputs.n;
    const member = new Uint8Array(n);
    const scores = Object.fromEntries(names.map((s) => [s, new Float64Array(n)]));
    const scratch = new Float64Array(3 * 64);
    const exporting = !!args.hooks?.onList;
    for (const l of dayLists) {
      const u = unitOf.get(l)!;
      member.fill(1);
      for (const it of l.excluded) if (it < n) member[it] = 0;
      const excluded = Int32Array.from([...l.excluded].filter((it) => it < n));
      const rel = Int32Array.from(l.relevant);
      const scr = rel.length * 3 <= scratch.length ? scratch : undefined;
      for (const s of names) {
        const scorer = scorers[s];
        const t = tables[s];
        let len: number;
        if (scorer.fixed) {
          if (exporting) await scorer(l, scores[s]);
          len = sparseListValuesSorted(specs, scorer.fixed.score, scorer.fixed.sorted, excluded, n - excluded.length, rel, t.values, u * M, scr);
        } else {
          await scorer(l, scores[s]);
          len = sparseListValues(specs, scores[s], n, member, rel, t.values, u * M, scr);
        }
        t.impressions[u] = len;
        t.nRel[u] = rel.length;
        t.eligible[u] = rel.length > 0 && rel.length < len ? 1 : 0;
      }
      if (args.hooks?.onList) await args.hooks.onList(l, member, scores, inputs);
      done++;
      args.hooks?.onProgress?.(done / lists.length);
      // Let the server answer other calls now and then (combine of a dot-product model never waits on I/O).
      if (Date.now() - lastYield > 50) { await new Promise((r) => setImmediate(r)); lastYield = Date.now(); }
    }
  }
  const ls: ListSet = {
    specs, unitUser: Int32Array.from(lists, (l) => l.user), unitDay: Int32Array.from(lists, (l) => l.day), dayNames: meta.days,
    rowUnit: null, group: null, label: null,
  };
  const st = (name: string): ScorerTables => ({ day: tables[name], group: null, score: null });
  const sanity = Object.fromEntries(SANITY_NAMES.map((s) => [s, st(s)])) as Record<SanityName, ScorerTables>;
  return protocolReport(ls, st('candidate'), args.baseline ? st('baseline') : null, sanity, args.opts);
}
