// One evaluation's run: loads the held-out rows, scores every compared version with onnxruntime in chunks,
// computes each protocol's report (the viewed one in a worker thread, the catalog one list by list), keeps the
// asked-for scores in the bucket, and records progress and the end state. The queue that runs evaluations one at a
// time, and cancels them, is the service's (service.ts).
import type { Logger } from 'pino';
import type { ArtifactStore } from '../../registry/artifact-store';
import type { ModelVersion, VersionStore } from '../../registry/version-store';
import { ScoresWriter, type KeptScores } from '../../registry/scores-store';
import { OnnxModel } from '../../ml/model/onnx-model';
import { CATALOG_DEFINITION, VIEWED_DEFINITION, type ProtocolReport } from '../../ml/metrics/protocol-report';
import { SANITY_DEFINITIONS, SANITY_NAMES, sanityScore, type SanityName } from '../../ml/metrics/sanity';
import { exportLine } from '../../ml/metrics/scores-export';
import { DomainError, failedPrecondition } from '../../core/errors';
import { checkTarget, datasetMeta, loadHeldOut, loadTrainingFacts, sameLayout, sliceBatch } from './held-out-rows';
import { evaluateInWorker } from './metrics-worker';
import { catalogProtocol } from './catalog-protocol';
import { protocolsOf, type EvaluationView } from './evaluation-record';

/** The fixed bootstrap seed: a rerun of the same evaluation gives the same intervals. */
export const BOOTSTRAP_SEED = 42;
/** Rows scored per onnxruntime call. */
const SCORE_CHUNK = 8192;

/** The error a cancelled evaluation stops with. */
export class Cancelled extends Error {
  constructor(readonly by: string) { super(`cancelled by ${by}`); }
}

/** What a run reads and how it writes its record: through the service's one chain of record writes. */
export interface RunContext {
  store: Pick<VersionStore, 'loadAll'>;
  artifacts: ArtifactStore;
  log: Logger;
  /** Writes the record as it is when the write runs, after every earlier write. */
  persist(rec: EvaluationView): Promise<void>;
  /** Applies a patch (and a phase) to the record and writes it. */
  save(rec: EvaluationView, patch: Partial<EvaluationView>, phase?: string): Promise<void>;
}

/**
 * Runs one evaluation to its end state (succeeded, failed or cancelled), writing its progress, report and kept
 * scores through `ctx`; `signal` is the switch that cancels it.
 */
export async function runEvaluation(ctx: RunContext, rec: EvaluationView, cand: ModelVersion, base: ModelVersion | undefined,
  signal: AbortSignal | undefined): Promise<void> {
  const started = Date.now();
  // Cancelled while queued: CancelEvaluation already recorded it.
  if (signal?.aborted) return;
  const checkpoint = () => { if (signal?.aborted) throw signal.reason instanceof Cancelled ? signal.reason : new Cancelled('an operator'); };
  const models: OnnxModel[] = [];
  const writers: ScoresWriter[] = [];
  try {
    await ctx.save(rec, { state: 'running', progress: 0.01 }, 'loading held-out rows');
    const meta = await datasetMeta(ctx.artifacts, rec.datasetId);
    const target = checkTarget(rec.target);
    const protocols = protocolsOf(rec.params.protocol);
    // The viewed protocol's scores are always kept (one row per test view); the catalog's only when asked.
    const keep = ['viewed', ...protocolsOf(rec.params.keepScores)];
    // Progress reaches the record at most once a second (clients poll GetEvaluation).
    let lastSave = Date.now();
    const tick = (progress: number) => {
      checkpoint();
      rec.progress = progress;
      if (Date.now() - lastSave > 1000) { lastSave = Date.now(); void ctx.persist(rec).catch(() => undefined); }
    };
    const held = await loadHeldOut(ctx.artifacts, meta, target, (done, total) => tick(0.2 * (done / total)));
    const facts = await loadTrainingFacts(ctx.artifacts, meta, target);
    checkpoint();
    const versions = base ? [cand, base] : [cand];
    for (const ver of versions) {
      const model = await OnnxModel.load(await ctx.store.loadAll(ver));
      models.push(model);
      if (!sameLayout(model.meta.layout, meta.layout)) {
        throw failedPrecondition(`version ${ver.name} was trained on another feature layout (content vectors of ${model.meta.layout.embeddingDim}) than dataset ${meta.id} (${meta.layout.embeddingDim}); evaluate on a dataset with its layout`);
      }
    }
    const opts = { ks: rec.params.ks, bootstrap: { resamples: rec.params.resamples, seed: BOOTSTRAP_SEED } };
    const reports: { viewed?: ProtocolReport; catalog?: ProtocolReport } = {};
    // Not named `exports`: compiled to CommonJS, a local of that name shadows the module's own (BOOTSTRAP_SEED above).
    const kept: Partial<Record<'viewed' | 'catalog', KeptScores>> = {};
    const share = protocols.length === 2 ? 0.4 : 0.8;
    let at0 = 0.2;

    if (protocols.includes('viewed')) {
      const n = held.rows.user.length;
      const scores: Float64Array[] = [];
      for (let v = 0; v < versions.length; v++) {
        await ctx.save(rec, { progress: at0 + (0.5 * share * v) / versions.length }, `scoring ${versions[v].name} (viewed)`);
        const out = new Float64Array(n);
        let at = 0;
        for (const batch of held.batches) {
          for (let from = 0; from < batch.n; from += SCORE_CHUNK) {
            const s = await models[v].scoreBatch(sliceBatch(batch, meta.layout, from, Math.min(batch.n, from + SCORE_CHUNK)));
            out.set(s, at);
            at += s.length;
            tick(at0 + (0.5 * share * (v + at / n)) / versions.length);
          }
        }
        for (let i = 0; i < n; i++) {
          if (!Number.isFinite(out[i])) throw failedPrecondition(`version ${versions[v].name} gave a non-finite score (${out[i]}) on held-out row ${i}`);
        }
        scores.push(out);
      }
      const r = held.rows;
      const sanity = Object.fromEntries(SANITY_NAMES.map((s) => [s, Float64Array.from({ length: n }, (_, i) =>
        sanityScore(s, facts.priors, r.user[i], r.day![i], r.item![i], held.lengthS[i]))])) as Record<SanityName, Float64Array>;
      await ctx.save(rec, { progress: at0 + 0.5 * share }, 'computing metrics (viewed)');
      reports.viewed = await evaluateInWorker({ rows: held.rows, candidate: scores[0], baseline: scores[1] ?? null, sanity, opts }, signal);
      if (keep.includes('viewed')) {
        const w = new ScoresWriter(ctx.artifacts, `evaluations/${rec.id}/scores/viewed`);
        writers.push(w);
        for (let i = 0; i < n; i++) {
          await w.write(exportLine({
            user: meta.userIds[r.user[i]], day: meta.days[r.day![i]], item: meta.itemIds[r.item![i]], itemIndex: r.item![i], protocol: 'viewed', label: r.label[i],
            wtg: r.wtg![i], timespentS: r.timespentS![i], lengthS: held.lengthS[i], score: scores[0][i], baseline: scores[1]?.[i] ?? NaN,
            sanity: Object.fromEntries(SANITY_NAMES.map((s) => [s, sanity[s][i]])) as Record<SanityName, number>,
          }));
        }
        kept.viewed = await w.close();
      }
      at0 += share;
    }

    if (protocols.includes('catalog')) {
      await ctx.save(rec, { progress: at0 }, 'ranking the catalog');
      const w = keep.includes('catalog') ? new ScoresWriter(ctx.artifacts, `evaluations/${rec.id}/scores/catalog`) : null;
      if (w) writers.push(w);
      reports.catalog = await catalogProtocol({
        artifacts: ctx.artifacts, meta, held, facts, candidate: models[0], baseline: models[1] ?? null, ks: rec.params.ks, opts,
        hooks: {
          onProgress: (f) => tick(at0 + 0.9 * share * f),
          onList: w ? async (l, member, sc, inputs) => {
            for (let i = 0; i < inputs.n; i++) {
              if (!member[i]) continue;
              const row = l.rowOf.get(i);
              await w.write(exportLine({
                user: meta.userIds[l.user], day: meta.days[l.day], item: meta.itemIds[i], itemIndex: i, protocol: 'catalog', label: l.relevant.includes(i) ? 1 : 0,
                wtg: row === undefined ? NaN : held.rows.wtg![row], timespentS: row === undefined ? NaN : held.rows.timespentS![row],
                lengthS: inputs.lengthS[i], score: sc.candidate[i], baseline: sc.baseline ? sc.baseline[i] : NaN,
                sanity: Object.fromEntries(SANITY_NAMES.map((s) => [s, sc[s][i]])) as Record<SanityName, number>,
              }));
            }
          } : undefined,
        },
      });
      if (w) kept.catalog = await w.close();
    }
    checkpoint();

    const top = reports.viewed;
    const definitions: Record<string, string> = {
      ...(reports.catalog?.definitions ?? {}), ...(top?.definitions ?? {}),
      ...(reports.viewed ? { 'protocol:viewed': VIEWED_DEFINITION } : {}), ...(reports.catalog ? { 'protocol:catalog': CATALOG_DEFINITION } : {}),
      ...SANITY_DEFINITIONS,
    };
    const stored = {
      ...(top ? { ks: top.ks, metrics: top.metrics, overall: top.overall, by_day: top.by_day, by_group: top.by_group, baseline: top.baseline,
        delta: top.delta, users: top.users } : {}),
      protocols: reports, definitions, bootstrap: (top ?? reports.catalog)!.bootstrap,
      compared: { candidate: { version: cand.name, number: cand.number }, baseline: base ? { version: base.name, number: base.number } : null },
      dataset_id: meta.id, target: rec.target, protocol: rec.params.protocol, rows_without_target: held.unlabeled, seconds: (Date.now() - started) / 1000,
    };
    rec.params = { ...rec.params, exports: kept };
    await ctx.save(rec, { state: 'succeeded', progress: 1, report: stored as unknown as Record<string, unknown> }, 'done');
  } catch (err) {
    for (const w of writers) await w.discard().catch(() => undefined);
    if (err instanceof Cancelled) {
      await ctx.save(rec, { state: 'cancelled', error: err.message }, 'cancelled').catch((e: unknown) => ctx.log.error({ err: e }, 'cannot record a cancelled evaluation'));
      return;
    }
    const message = err instanceof DomainError ? err.message : `internal error: ${(err as Error).message}`;
    if (!(err instanceof DomainError)) ctx.log.error({ err, evaluation: rec.id }, 'evaluation failed');
    await ctx.save(rec, { state: 'failed', error: message }, 'failed').catch((e: unknown) => ctx.log.error({ err: e }, 'cannot record a failed evaluation'));
  } finally {
    for (const m of models) await m.release().catch(() => undefined);
  }
}
