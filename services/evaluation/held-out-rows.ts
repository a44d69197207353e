// The rows an evaluation scores: a dataset's held-out rows (the Datasets seam of docs/design.md), their relevance under the chosen target
// label, and the facts the watch-time metrics read. Every compared version is scored on exactly these rows.
import type { ArtifactStore } from '../../registry/artifact-store';
import { loadDatasetMeta, loadShard, type DatasetMeta } from '../../ml/features/dataset';
import type { FeatureBatch, FeatureLayout } from '../../ml/features/layout';
import { takeRows } from '../../ml/features/batch-rows';
import { labelOf, P90, PCC98 } from '../../ml/labels/labels';
import { parseLabel, type LabelKind } from '../../ml/labels/spec';
import type { DurationGroups } from '../../ml/labels/groups';
import { lengthQuantileGroups, type EvalRows } from '../../ml/metrics/evaluate';
import { DomainError, failedPrecondition, invalid, notFound } from '../../core/errors';
import { itemPriorsOf, type ItemPriors } from '../../ml/metrics/sanity';

/** Duration groups reported per evaluation: equal-frequency quartiles of video length over the held-out rows. */
export const REPORT_LENGTH_GROUPS = 4;

/** Held-out rows with their features (for scoring) and evaluation columns. */
export interface HeldOutRows {
  meta: DatasetMeta;
  /** Feature batches of the kept rows, one per shard, in row order. */
  batches: FeatureBatch[];
  rows: EvalRows;
  /** Video length in seconds per kept row (NaN unknown): the shortest/longest baselines read it. */
  lengthS: Float64Array;
  /** Event time (epoch ms) per kept row: the catalog protocol takes a user's first view of a day from it. */
  ts: Float64Array;
  /** Held-out rows dropped because the target is undefined for them (unknown length). */
  unlabeled: number;
}

/** Parses a target label name; INVALID_ARGUMENT naming the accepted ones. */
export function checkTarget(target: string): LabelKind {
  try {
    return parseLabel(target);
  } catch (err) {
    throw invalid(`target: ${(err as Error).message}`);
  }
}

/** Reads a dataset's meta.json; NOT_FOUND naming the listing command when it does not exist. */
export async function datasetMeta(artifacts: ArtifactStore, id: string): Promise<DatasetMeta> {
  try {
    return await loadDatasetMeta(artifacts, id);
  } catch (err) {
    if (err instanceof DomainError && err.code === 'NOT_FOUND') throw notFound(`dataset "${id}" not found; list datasets with \`modelops data list\``);
    throw err;
  }
}

/** True when two layouts describe the same inputs. */
export function sameLayout(a: FeatureLayout, b: FeatureLayout): boolean {
  const cats = (x: FeatureLayout['userCat']) => x.map((c) => `${c.name}:${c.size}`).join(',');
  return a.embeddingDim === b.embeddingDim && a.userDenseDim === b.userDenseDim && a.itemDenseDim === b.itemDenseDim &&
    cats(a.userCat) === cats(b.userCat) && cats(a.itemCat) === cats(b.itemCat);
}

/**
 * The relevance of each row under `target`, from the dataset's group statistics: wtg is WTG > 0 (the row's WTG
 * was computed with those statistics at build time), p90 / pcc98 are completion >= 0.9 / 0.98, and wtg:pcc and
 * wtg-quantile recompute the label from the stored completion statistics and quantiles. NaN: undefined.
 */
function relevance(target: LabelKind, meta: DatasetMeta, facts: { wtg: Float32Array; pcc: Float32Array; group: Int32Array; lengthS: Float32Array; timespentS: Float32Array }, i: number): number {
  switch (target) {
    case 'wtg': return Number.isNaN(facts.wtg[i]) ? NaN : facts.wtg[i] > 0 ? 1 : 0;
    case 'p90': return Number.isNaN(facts.pcc[i]) ? NaN : facts.pcc[i] >= P90 ? 1 : 0;
    case 'pcc98': return Number.isNaN(facts.pcc[i]) ? NaN : facts.pcc[i] >= PCC98 ? 1 : 0;
    default: {
      const g = meta.groups;
      const groups: DurationGroups = { scheme: g.scheme ?? meta.spec.buckets, edgesS: g.edgesS ?? [], stats: g.stats, pccStats: g.pccStats ?? [], quantiles: g.quantiles ?? [] };
      return labelOf(target, 'binary', groups, facts.group[i], facts.lengthS[i], facts.timespentS[i]);
    }
  }
}

/**
 * FAILED_PRECONDITION when the dataset lacks what the target needs: wtg:pcc needs the groups' completion
 * statistics and wtg-quantile their watch-time quantiles, which a build stores only for datasets of that label
 * (they come from training rows before the filters, so they cannot be recomputed from the shards).
 */
export function checkTargetSupported(meta: DatasetMeta, target: LabelKind): void {
  const hint = `evaluate on a dataset built with --label ${target}, or pick --target wtg, p90 or pcc98`;
  if (target === 'wtg:pcc' && !meta.groups.pccStats) throw failedPrecondition(`target wtg:pcc: dataset "${meta.id}" (label ${meta.spec.label}) carries no completion statistics per duration group; ${hint}`);
  if (target === 'wtg-quantile' && !meta.groups.quantiles) throw failedPrecondition(`target wtg-quantile: dataset "${meta.id}" (label ${meta.spec.label}) carries no watch-time quantiles per duration group; ${hint}`);
}

/** Loads the held-out rows of a dataset with relevance under `target`; `onShard` reports progress. */
export async function loadHeldOut(artifacts: ArtifactStore, meta: DatasetMeta, target: LabelKind, onShard?: (done: number, total: number) => void): Promise<HeldOutRows> {
  checkTargetSupported(meta, target);
  const shards = meta.shards.filter((s) => s.split === 'heldout');
  if (shards.length === 0) throw failedPrecondition(`dataset "${meta.id}" has no held-out shards to evaluate on; evaluate on a dataset whose window has views after its training part (see \`modelops data show ${meta.id}\`)`);
  const batches: FeatureBatch[] = [];
  const cols = { user: [] as number[], item: [] as number[], day: [] as number[], label: [] as number[], wtg: [] as number[], ts: [] as number[], pcc: [] as number[], len: [] as number[], time: [] as number[] };
  let unlabeled = 0;
  for (let s = 0; s < shards.length; s++) {
    const { batch, facts } = await loadShard(artifacts, shards[s]);
    const keep: number[] = [];
    for (let i = 0; i < batch.n; i++) {
      if (facts.day[i] < 0) continue;
      const rel = relevance(target, meta, facts, i);
      if (Number.isNaN(rel)) { unlabeled++; continue; }
      keep.push(i);
      cols.user.push(facts.userIdx[i]); cols.item.push(facts.itemIdx[i]); cols.day.push(facts.day[i]); cols.label.push(rel);
      cols.wtg.push(facts.wtg[i]); cols.ts.push(facts.timespentS[i]); cols.pcc.push(facts.pcc[i]); cols.len.push(facts.lengthS[i]); cols.time.push(facts.ts[i]);
    }
    batches.push(keep.length === batch.n ? batch : takeRows(batch, keep, meta.layout));
    onShard?.(s + 1, shards.length);
  }
  if (cols.user.length === 0) throw failedPrecondition(`dataset "${meta.id}" has no held-out rows with a defined "${target}" label; choose another --target or dataset`);
  const groups = lengthQuantileGroups(cols.len, REPORT_LENGTH_GROUPS);
  const rows: EvalRows = {
    user: Int32Array.from(cols.user), nUsers: meta.userIds.length, label: Float64Array.from(cols.label), item: Int32Array.from(cols.item),
    day: Int32Array.from(cols.day), days: meta.days, group: groups.group, groups: groups.names,
    wtg: Float64Array.from(cols.wtg), timespentS: Float64Array.from(cols.ts), pcc: Float64Array.from(cols.pcc),
  };
  return { meta, batches, rows, lengthS: Float64Array.from(cols.len), ts: Float64Array.from(cols.time), unlabeled };
}

/** Rows from..to-1 of a batch as views (no copy). */
export function sliceBatch(b: FeatureBatch, L: FeatureLayout, from: number, to: number): FeatureBatch {
  const uc = L.userCat.length, ud = L.userDenseDim, ic = L.itemCat.length, id = L.itemDenseDim;
  return { n: to - from, userCat: b.userCat.subarray(from * uc, to * uc), userDense: b.userDense.subarray(from * ud, to * ud),
    itemCat: b.itemCat.subarray(from * ic, to * ic), itemDense: b.itemDense.subarray(from * id, to * id), itemAge: b.itemAge.subarray(from, to) };
}

/** What the training part and the days before the test part say: item priors and each user's earlier views. */
export interface TrainingFacts {
  /** Views and relevant views per item in the train shards (the popular and item_prior baselines). */
  priors: ItemPriors;
  /** Per user index, the items viewed in the train and validation shards (all before the first test day). */
  seenBefore: Map<number, Set<number>>;
}

/** Reads the train (and validation) shards for the sanity baselines' item counts and the users' earlier views. */
export async function loadTrainingFacts(artifacts: ArtifactStore, meta: DatasetMeta, target: LabelKind): Promise<TrainingFacts> {
  const items: number[] = [], rel: number[] = [];
  const seenBefore = new Map<number, Set<number>>();
  for (const ref of meta.shards.filter((s) => s.split !== 'heldout')) {
    const { batch, facts } = await loadShard(artifacts, ref);
    for (let i = 0; i < batch.n; i++) {
      const u = facts.userIdx[i];
      let seen = seenBefore.get(u);
      if (!seen) seenBefore.set(u, (seen = new Set()));
      seen.add(facts.itemIdx[i]);
      if (ref.split !== 'train') continue;
      items.push(facts.itemIdx[i]);
      rel.push(relevance(target, meta, facts, i));
    }
  }
  return { priors: itemPriorsOf(meta.itemIds.length, items, rel), seenBefore };
}
