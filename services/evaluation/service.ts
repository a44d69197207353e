// The evaluation service layer: validates and records an evaluation at once (pending), runs it in the
// background one at a time (load held-out rows, score every version with onnxruntime, compute the report in a
// worker thread), stores progress and the report through the registry store for the promotion gate, and
// answers reads and comparisons from stored evaluations.
import * as crypto from 'node:crypto';
import type { Logger } from 'pino';
import type { ArtifactStore } from '../../registry/artifact-store';
import { COMPLETED_EVALUATION_STATES, type EvaluationRecord } from '../../registry/evaluation-store';
import type { ModelVersion } from '../../registry/version-store';
import type { RegistryStore } from '../../registry/registry-store';
import { Promotions } from '../registry/promotion';
import { OnnxModel } from '../../ml/model/onnx-model';
import { DEFAULT_KS } from '../../ml/metrics/definitions';
import type { EvaluationReport } from '../../ml/metrics/evaluate';
import { DomainError, failedPrecondition, invalid, notFound } from '../../core/errors';
import { checkTarget, checkTargetSupported, datasetMeta, loadHeldOut, loadTrainingFacts, sameLayout, sliceBatch } from './held-out-rows';
import { evaluateInWorker } from './metrics-worker';
import { catalogProtocol } from './catalog-protocol';
import { CATALOG_DEFINITION, VIEWED_DEFINITION, type ProtocolReport } from '../../ml/metrics/protocol-report';
import { SANITY_DEFINITIONS, SANITY_NAMES, sanityScore, type SanityName } from '../../ml/metrics/sanity';
import { exportHeader, exportLine } from '../../ml/metrics/scores-export';
import { ScoresWriter, type KeptScores } from '../../registry/scores-store';
import { groupReport, seedGroupMembers, seedOf } from './seed-group';
import { provenanceOf, type Provenance } from '../../core/provenance';

/** The fixed bootstrap seed: a rerun of the same evaluation gives the same intervals. */
export const BOOTSTRAP_SEED = 42;
/** Rows scored per onnxruntime call. */
const SCORE_CHUNK = 8192;
/** An evaluation whose record has not changed for this long while pending/running belongs to a dead process. */
const STALE_MS = 5 * 60 * 1000;
/** How often this process touches the records of its queued and running evaluations. */
const HEARTBEAT_MS = 30 * 1000;

/** What CreateEvaluation asks for (already decoded). */
export interface CreateInput {
  model: string;
  version: string;
  baseline: string;
  datasetId: string;
  target: string;
  ks: number[];
  resamples: number;
  /** The protocols to rank (default both). */
  protocol?: Protocol;
  /** The protocols whose scores are kept for export (default viewed; the viewed protocol's are always kept). */
  keepScores?: Protocol;
  /** The candidate seed group: one evaluation per seed, pooled (version then empty). */
  group?: string;
  /** The baseline seed group, paired seed by seed; empty means one baseline version for every seed. */
  baselineGroup?: string;
}

/** Which lists an evaluation ranks. */
export type Protocol = 'viewed' | 'catalog' | 'both';

/** The protocols a Protocol value names. */
export function protocolsOf(p: Protocol): ('viewed' | 'catalog')[] {
  return p === 'both' ? ['viewed', 'catalog'] : [p];
}

/** The error a cancelled evaluation stops with. */
class Cancelled extends Error {
  constructor(readonly by: string) { super(`cancelled by ${by}`); }
}

/** Parameters stored with an evaluation (params column). */
export interface EvaluationParams {
  candidateName: string;
  baselineName: string;
  ks: number[];
  resamples: number;
  phase: string;
  /** viewed | catalog | both; absent on evaluations made before protocols existed (= viewed). */
  protocol: Protocol;
  /** The protocols whose scores were asked to be kept. */
  keepScores: Protocol;
  /** The kept scores per protocol (artifact parts), once the evaluation succeeded. */
  exports?: Partial<Record<'viewed' | 'catalog', KeptScores>>;
  /** The candidate seed group of a group evaluation. */
  group?: string;
  /** The baseline seed group of a group evaluation (absent when the baseline is one version). */
  baselineGroup?: string;
  /** The per-seed evaluations a group evaluation pools, in seed order. */
  members?: string[];
  /** What the evaluation was made from (absent on evaluations made before it was recorded). */
  provenance?: Provenance;
}

/** An evaluation as the service returns it. */
export interface EvaluationView extends EvaluationRecord {
  params: EvaluationParams & Record<string, unknown>;
}

function view(r: EvaluationRecord): EvaluationView {
  const p = (r.params ?? {}) as Partial<EvaluationParams>;
  if (isAbandoned(r)) r = { ...r, state: 'failed', error: 'the server running this evaluation stopped before it finished; start it again' };
  return { ...r, params: { candidateName: p.candidateName ?? String(r.candidate), baselineName: p.baselineName ?? (r.baseline ? String(r.baseline) : ''),
    ks: p.ks ?? DEFAULT_KS, resamples: p.resamples ?? 1000, phase: p.phase ?? '', protocol: p.protocol ?? 'viewed', keepScores: p.keepScores ?? 'viewed',
    ...(p.exports ? { exports: p.exports } : {}), ...(p.group ? { group: p.group, members: p.members ?? [] } : {}),
    ...(p.baselineGroup ? { baselineGroup: p.baselineGroup } : {}), ...(p.provenance ? { provenance: p.provenance } : {}) } };
}

function checkKs(ks: number[]): number[] {
  if (ks.length === 0) return DEFAULT_KS;
  if (ks.length > 10) throw invalid(`ks: ${ks.length} cut-offs given, at most 10 allowed`);
  for (const k of ks) if (!Number.isInteger(k) || k < 1 || k > 1000) throw invalid(`ks: ${k} is not a whole number from 1 to 1000`);
  return Array.from(new Set(ks)).sort((a, b) => a - b);
}

/** The evaluation service layer. */
export class Evaluations {
  private tail: Promise<void> = Promise.resolve();
  private closed = false;
  /** Queued and running evaluations of this process, by id. */
  private readonly active = new Map<string, EvaluationView>();
  private heartbeat: NodeJS.Timeout | undefined;
  /** Every write of an evaluation record goes through this chain, so a heartbeat cannot land after a final state. */
  private writes: Promise<void> = Promise.resolve();
  /** Per queued or running evaluation of this process, the switch that cancels it. */
  private readonly aborts = new Map<string, AbortController>();

  constructor(private readonly store: RegistryStore, private readonly artifacts: ArtifactStore, private readonly log: Logger) {}

  /** Resolves a version by name, number or alias. */
  private async version(model: string, ref: string): Promise<ModelVersion> {
    const byAlias = /^[a-z][a-z0-9-]*$/.test(ref) ? await this.store.resolveAlias(model, ref).catch(() => undefined) : undefined;
    try {
      return await this.store.getVersion(model, /^\d+$/.test(ref) ? Number(ref) : ref);
    } catch (err) {
      if (byAlias) return byAlias;
      throw err;
    }
  }

  /** Validates the request, records the evaluation as pending and queues it; returns at once. */
  async create(input: CreateInput, actor: string): Promise<EvaluationView> {
    if (this.closed) throw new DomainError('UNAVAILABLE', 'the evaluation service is shutting down; retry on another server');
    if (!input.model) throw invalid('model: the model id is required');
    if (input.group || input.baselineGroup) return this.createGroup(input, actor);
    if (!input.version) throw invalid('version: give the candidate version name or number');
    await this.store.getModel(input.model);
    // The cut-offs the model's promotion gate reads are always computed, so that every evaluation can gate.
    const policy = (await new Promotions(this.store).policyOf(input.model)).policy;
    const gateKs = policy.thresholds.map((t) => /@(\d+)$/.exec(t.metric)).filter((m): m is RegExpExecArray => !!m).map((m) => Number(m[1]));
    // Also with the default cut-offs: a gate on recall@20 must find recall@20 in an evaluation run without --k.
    const ks = Array.from(new Set([...checkKs(input.ks), ...gateKs])).sort((a, b) => a - b);
    const resamples = input.resamples || 1000;
    if (!Number.isInteger(resamples) || resamples < 0 || resamples > 10000) throw invalid(`bootstrap_resamples: ${resamples} is not a whole number from 1 to 10000`);
    const cand = await this.version(input.model, input.version);
    let base: ModelVersion | undefined;
    if (input.baseline) {
      base = await this.version(input.model, input.baseline);
      if (base.number === cand.number) throw invalid(`baseline: "${input.baseline}" is the candidate itself; name another version`);
    } else {
      // As the promotion gate resolves it: the baseline alias unless it is the candidate, else production.
      const alias = await this.store.resolveAlias(input.model, 'baseline');
      base = alias && alias.number !== cand.number ? alias : await this.store.resolveAlias(input.model, 'production');
      if (base && base.number === cand.number) base = undefined;
    }
    for (const v of base ? [cand, base] : [cand]) {
      if (v.source === 'external') {
        throw failedPrecondition(`version ${v.name} is an external ONNX model: the service scores the platform's two-tower versions; score the held-out rows yourself and use \`modelops metrics compute\``);
      }
    }
    const datasetId = (input.datasetId || cand.datasetId).replace(/^datasets\//, '');
    if (!datasetId) throw invalid(`dataset_id: version ${cand.name} names no training dataset; give --dataset`);
    const meta = await datasetMeta(this.artifacts, datasetId);
    const target = checkTarget(input.target || meta.spec.label);
    checkTargetSupported(meta, target);
    const protocol = input.protocol ?? 'both';
    const keepScores = input.keepScores ?? 'viewed';
    if (protocolsOf(keepScores).includes('catalog') && protocol === 'viewed') {
      throw invalid(`keep_scores: catalog scores are asked for, but only the viewed protocol is evaluated; ask for --protocol catalog or both`);
    }
    if (protocol !== 'viewed' && !(meta.itemDays && meta.itemDays.length > 0)) {
      throw failedPrecondition(`protocol ${protocol}: dataset "${meta.id}" has no item inputs per test day (built before the catalog protocol existed); rebuild it with \`modelops data build\`, or evaluate with --protocol viewed`);
    }
    const id = `ev-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${crypto.randomBytes(4).toString('hex')}`;
    const rec: EvaluationView = {
      id, model: input.model, candidate: cand.number, baseline: base?.number ?? null, datasetId, target, state: 'pending', report: null,
      error: null, progress: 0, createdBy: actor,
      params: { candidateName: cand.name, baselineName: base?.name ?? '', ks, resamples, phase: 'queued', protocol, keepScores,
        provenance: provenanceOf({ datasetIds: [datasetId], seeds: [seedOf(cand), base && seedOf(base)].filter((x): x is number => x !== undefined),
          spec: { model: input.model, candidate: { version: cand.name, number: cand.number }, baseline: base ? { version: base.name, number: base.number } : null,
            dataset_id: datasetId, target, ks, bootstrap: { resamples, seed: BOOTSTRAP_SEED }, protocol, keep_scores: keepScores } }) },
    };
    await this.persist(rec);
    this.active.set(id, rec);
    this.aborts.set(id, new AbortController());
    this.tail = this.tail.then(() => this.run(rec, cand, base)).catch(() => undefined).finally(() => { this.active.delete(id); this.aborts.delete(id); });
    return view(await this.store.getEvaluation(id));
  }

  /**
   * A seed-group evaluation: one ordinary evaluation per seed (candidate member i against baseline member i, or
   * against the one baseline version), queued first, and a parent evaluation (candidate and baseline: the first
   * members) that pools them once they are done. All members are validated before any is queued.
   */
  private async createGroup(input: CreateInput, actor: string): Promise<EvaluationView> {
    if (!input.group) throw invalid('group: baseline_group pairs a candidate seed group; give the candidate group too');
    if (input.version) throw invalid(`version: a group evaluation takes its versions from group "${input.group}"; leave version empty`);
    if (input.baselineGroup && input.baseline) throw invalid('baseline: give either a baseline version or a baseline_group, not both');
    if (input.baselineGroup === input.group) throw invalid(`baseline_group: "${input.group}" is the candidate group itself; name another group`);
    await this.store.getModel(input.model);
    const cands = await seedGroupMembers(this.store, input.model, input.group);
    let bases: ModelVersion[];
    if (input.baselineGroup) {
      bases = await seedGroupMembers(this.store, input.model, input.baselineGroup);
      if (bases.length !== cands.length) {
        throw invalid(`baseline_group: group "${input.baselineGroup}" has ${bases.length} versions and group "${input.group}" ${cands.length}; seeds are paired one to one, so the groups need the same size`);
      }
    } else {
      let base: ModelVersion | undefined;
      if (input.baseline) base = await this.version(input.model, input.baseline);
      else {
        const alias = await this.store.resolveAlias(input.model, 'baseline');
        base = alias ?? await this.store.resolveAlias(input.model, 'production');
      }
      if (!base) throw failedPrecondition(`model "${input.model}" has no baseline or production alias; give --baseline VERSION or --baseline-group GROUP`);
      if (cands.some((c) => c.number === base!.number)) throw invalid(`baseline: version ${base.name} is a member of group "${input.group}"; name a version outside it`);
      bases = cands.map(() => base!);
    }
    const members: EvaluationView[] = [];
    try {
      for (let i = 0; i < cands.length; i++) {
        members.push(await this.create({ ...input, group: '', baselineGroup: '', version: String(cands[i].number), baseline: String(bases[i].number) }, actor));
      }
    } catch (err) {
      for (const m of members) await this.cancel(m.id, actor).catch(() => undefined);
      throw err;
    }
    const first = members[0];
    const seeds = cands.map(seedOf).filter((x): x is number => x !== undefined);
    const id = `ev-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${crypto.randomBytes(4).toString('hex')}`;
    const rec: EvaluationView = {
      id, model: input.model, candidate: cands[0].number, baseline: bases[0].number, datasetId: first.datasetId, target: first.target, state: 'pending',
      report: null, error: null, progress: 0, createdBy: actor,
      params: { ...first.params, candidateName: cands[0].name, baselineName: bases[0].name, phase: `waiting for ${members.length} seed evaluations`,
        group: input.group, ...(input.baselineGroup ? { baselineGroup: input.baselineGroup } : {}), members: members.map((m) => m.id),
        provenance: provenanceOf({ datasetIds: [first.datasetId], seeds, spec: { ...(first.params.provenance?.spec as object), group: input.group,
          baseline_group: input.baselineGroup || null, members: cands.map((c, i) => ({ candidate: c.name, baseline: bases[i].name, evaluation: members[i].id })) } }) },
    };
    delete rec.params.exports;
    await this.persist(rec);
    this.active.set(id, rec);
    this.aborts.set(id, new AbortController());
    this.tail = this.tail.then(() => this.runGroup(rec, cands, bases)).catch(() => undefined).finally(() => { this.active.delete(id); this.aborts.delete(id); });
    return this.get(id);
  }

  /** Pools a group evaluation's members once they have ended (they run before it on this process's queue). */
  private async runGroup(rec: EvaluationView, cands: ModelVersion[], bases: ModelVersion[]): Promise<void> {
    const signal = this.aborts.get(rec.id)?.signal;
    if (signal?.aborted) return;
    try {
      await this.save(rec, { state: 'running', progress: 0.99 }, 'pooling the seeds');
      const ids = rec.params.members ?? [];
      const members = await Promise.all(ids.map((m) => this.store.getEvaluation(m)));
      const bad = members.findIndex((m) => m.state !== 'succeeded');
      if (bad >= 0) {
        const m = members[bad];
        throw failedPrecondition(`seed evaluation ${m.id} (version ${cands[bad].name}) ${m.state}${m.error ? `: ${m.error}` : ''}; the group is pooled only when every seed succeeded`);
      }
      const reports = members.map((m) => m.report as Record<string, unknown> & { protocols?: Record<string, never> });
      const group = groupReport({
        group: rec.params.group!, baselineGroup: rec.params.baselineGroup ?? null, baselineVersion: rec.params.baselineGroup ? null : bases[0].name,
        members: cands.map((c, i) => ({ candidate_version: c.name, candidate_number: c.number, seed: seedOf(c) ?? null, baseline_version: bases[i].name,
          baseline_number: bases[i].number, evaluation_id: ids[i] })),
        reports,
      });
      await this.save(rec, { state: 'succeeded', progress: 1, report: { ...reports[0], group } }, 'done');
    } catch (err) {
      const message = err instanceof DomainError ? err.message : `internal error: ${(err as Error).message}`;
      if (!(err instanceof DomainError)) this.log.error({ err, evaluation: rec.id }, 'group evaluation failed');
      await this.save(rec, { state: 'failed', error: message }, 'failed').catch((e: unknown) => this.log.error({ err: e }, 'cannot record a failed evaluation'));
    }
  }

  /** Writes the record as it is when the write runs, after every earlier write of this process. */
  private persist(rec: EvaluationView): Promise<void> {
    const p = this.writes.then(() => this.store.saveEvaluation(rec));
    this.writes = p.catch(() => undefined);
    return p;
  }

  private async save(rec: EvaluationView, patch: Partial<EvaluationView>, phase?: string): Promise<void> {
    Object.assign(rec, patch);
    if (phase !== undefined) rec.params = { ...rec.params, phase };
    await this.persist(rec);
  }

  /** Runs one evaluation to its end state (succeeded, failed or cancelled). */
  private async run(rec: EvaluationView, cand: ModelVersion, base: ModelVersion | undefined): Promise<void> {
    const started = Date.now();
    const signal = this.aborts.get(rec.id)?.signal;
    // Cancelled while queued: CancelEvaluation already recorded it.
    if (signal?.aborted) return;
    const checkpoint = () => { if (signal?.aborted) throw signal.reason instanceof Cancelled ? signal.reason : new Cancelled('an operator'); };
    const models: OnnxModel[] = [];
    const writers: ScoresWriter[] = [];
    try {
      await this.save(rec, { state: 'running', progress: 0.01 }, 'loading held-out rows');
      const meta = await datasetMeta(this.artifacts, rec.datasetId);
      const target = checkTarget(rec.target);
      const protocols = protocolsOf(rec.params.protocol);
      // The viewed protocol's scores are always kept (one row per test view); the catalog's only when asked.
      const keep = ['viewed', ...protocolsOf(rec.params.keepScores)];
      // Progress reaches the record at most once a second (clients poll GetEvaluation).
      let lastSave = Date.now();
      const tick = (progress: number) => {
        checkpoint();
        rec.progress = progress;
        if (Date.now() - lastSave > 1000) { lastSave = Date.now(); void this.persist(rec).catch(() => undefined); }
      };
      const held = await loadHeldOut(this.artifacts, meta, target, (done, total) => tick(0.2 * (done / total)));
      const facts = await loadTrainingFacts(this.artifacts, meta, target);
      checkpoint();
      const versions = base ? [cand, base] : [cand];
      for (const ver of versions) {
        const model = await OnnxModel.load(await this.store.loadAll(ver));
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
          await this.save(rec, { progress: at0 + (0.5 * share * v) / versions.length }, `scoring ${versions[v].name} (viewed)`);
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
        await this.save(rec, { progress: at0 + 0.5 * share }, 'computing metrics (viewed)');
        reports.viewed = await evaluateInWorker({ rows: held.rows, candidate: scores[0], baseline: scores[1] ?? null, sanity, opts }, signal);
        if (keep.includes('viewed')) {
          const w = new ScoresWriter(this.artifacts, `evaluations/${rec.id}/scores/viewed`);
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
        await this.save(rec, { progress: at0 }, 'ranking the catalog');
        const w = keep.includes('catalog') ? new ScoresWriter(this.artifacts, `evaluations/${rec.id}/scores/catalog`) : null;
        if (w) writers.push(w);
        reports.catalog = await catalogProtocol({
          artifacts: this.artifacts, meta, held, facts, candidate: models[0], baseline: models[1] ?? null, ks: rec.params.ks, opts,
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
      await this.save(rec, { state: 'succeeded', progress: 1, report: stored as unknown as Record<string, unknown> }, 'done');
    } catch (err) {
      for (const w of writers) await w.discard().catch(() => undefined);
      if (err instanceof Cancelled) {
        await this.save(rec, { state: 'cancelled', error: err.message }, 'cancelled').catch((e: unknown) => this.log.error({ err: e }, 'cannot record a cancelled evaluation'));
        return;
      }
      const message = err instanceof DomainError ? err.message : `internal error: ${(err as Error).message}`;
      if (!(err instanceof DomainError)) this.log.error({ err, evaluation: rec.id }, 'evaluation failed');
      await this.save(rec, { state: 'failed', error: message }, 'failed').catch((e: unknown) => this.log.error({ err: e }, 'cannot record a failed evaluation'));
    } finally {
      for (const m of models) await m.release().catch(() => undefined);
    }
  }

  /**
   * Cancels a pending or running evaluation: a queued one is recorded cancelled at once; a running one stops at
   * its next checkpoint (between scoring chunks or catalog lists; the metric worker is terminated) and is
   * recorded cancelled by its run. One that this process does not run (its server stopped) is recorded cancelled.
   * An evaluation that already ended is returned as it is.
   */
  async cancel(name: string, actor: string): Promise<EvaluationView> {
    const cur = await this.get(name);
    if (cur.state !== 'pending' && cur.state !== 'running') return cur;
    // A group's seeds are cancelled with it.
    for (const m of cur.params.members ?? []) await this.cancel(m, actor);
    const rec = this.active.get(cur.id);
    const ctl = this.aborts.get(cur.id);
    if (rec && ctl) {
      ctl.abort(new Cancelled(actor));
      if (rec.state === 'pending') await this.save(rec, { state: 'cancelled', error: `cancelled by ${actor}` }, 'cancelled');
      for (const t0 = Date.now(); rec.state !== 'cancelled' && rec.state !== 'failed' && rec.state !== 'succeeded' && Date.now() - t0 < 30_000;) {
        await new Promise((r) => setTimeout(r, 50));
      }
      await this.writes;
      return this.get(cur.id);
    }
    const stored = await this.store.getEvaluation(cur.id);
    await this.persist({ ...view(stored), state: 'cancelled', error: `cancelled by ${actor}` });
    return this.get(cur.id);
  }

  /** The kept scores of an evaluation for `protocol` (viewed, catalog or both), in order; FAILED_PRECONDITION says how to keep them. */
  async keptScores(name: string, protocol: Protocol): Promise<{ header: string; parts: KeptScores['parts']; rows: number; bytes: number }> {
    const e = await this.get(name);
    if (e.state !== 'succeeded') throw failedPrecondition(`evaluation ${e.id} is ${e.state}: scores are exported from a succeeded evaluation`);
    const kept = e.params.exports ?? {};
    const want = protocolsOf(protocol);
    const missing = want.filter((p) => !kept[p]);
    if (missing.length) {
      throw failedPrecondition(`evaluation ${e.id} kept no ${missing.join(' or ')} scores (it kept: ${Object.keys(kept).join(', ') || 'none'}); ` +
        `run \`modelops evaluate ${e.model} ${e.params.candidateName} --export-scores FILE --export-protocol ${protocol}\``);
    }
    const header = exportHeader();
    const parts = want.flatMap((p) => kept[p]!.parts);
    return { header, parts, rows: want.reduce((a, p) => a + kept[p]!.rows, 0), bytes: Buffer.byteLength(header) + want.reduce((a, p) => a + kept[p]!.bytes, 0) };
  }

  /** Reads one part of kept scores. */
  readPart(part: KeptScores['parts'][number]): Promise<Buffer> {
    return this.artifacts.get(part.key, part.sha256);
  }

  /** One evaluation by id or resource name. */
  async get(name: string): Promise<EvaluationView> {
    const id = name.replace(/^models\/[^/]+\/evaluations\//, '');
    if (!id) throw invalid('name: give the evaluation id or models/{model}/evaluations/{id}');
    const e = view(await this.store.getEvaluation(id));
    const members = e.params.members ?? [];
    if (members.length && e.state === 'pending') {
      // A waiting group reports its seeds' progress: the mean, and the phase of the one under way.
      const ms = (await Promise.all(members.map((m) => this.store.getEvaluation(m).catch(() => undefined)))).filter((m): m is EvaluationRecord => !!m).map(view);
      const at = ms.findIndex((m) => m.state === 'pending' || m.state === 'running');
      e.progress = 0.99 * (ms.reduce((a, m) => a + (m.state === 'pending' ? 0 : m.state === 'running' ? m.progress ?? 0 : 1), 0) / members.length);
      if (at >= 0) e.params.phase = `seed ${at + 1}/${members.length} (${ms[at].params.candidateName}): ${ms[at].params.phase}`;
    }
    return e;
  }

  /** A page of a model's evaluations, optionally of one candidate version. */
  async list(model: string, version: string, page: { after?: [string, string]; limit: number }): Promise<EvaluationView[]> {
    if (!model) throw invalid('model: the model id is required');
    await this.store.getModel(model);
    const candidate = version ? (await this.version(model, version)).number : undefined;
    return (await this.store.listEvaluations(model, { candidate }, page)).map(view);
  }

  /**
   * Two or more versions side by side: per version, its newest succeeded evaluation on the dataset and target
   * (as candidate, else as baseline). NOT_FOUND names the version that has none and how to make one.
   */
  async compare(model: string, refs: string[], datasetId: string, target: string): Promise<{ datasetId: string; target: string; metrics: string[];
    versions: { version: ModelVersion; evaluationId: string; asCandidate: boolean; overall: Record<string, number | null>; byDay: Record<string, Record<string, number | null>> }[] }> {
    if (refs.length < 2) throw invalid(`versions: ${refs.length} given; compare needs two or more`);
    if (refs.length > 20) throw invalid(`versions: ${refs.length} given, at most 20 allowed`);
    await this.store.getModel(model);
    const versions = await Promise.all(refs.map((r) => this.version(model, r)));
    const done: EvaluationView[] = [];
    let after: [string, string] | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const page = await this.store.listEvaluations(model, {}, { after, limit: 200 });
      done.push(...page.filter((e) => COMPLETED_EVALUATION_STATES.includes(e.state) && e.report).map(view));
      if (page.length < 200) break;
      const last = page[page.length - 1];
      after = [last.createTime!.toISOString(), last.id];
    }
    let ds = datasetId.replace(/^datasets\//, '');
    let tg = target;
    if (!ds || !tg) {
      // The first version's newest succeeded evaluation that fits what was given fills in what was not.
      const first = done.find((e) => (e.candidate === versions[0].number || e.baseline === versions[0].number) &&
        (!ds || e.datasetId === ds) && (!tg || e.target === tg));
      if (!first) throw notFound(`version ${versions[0].name} has no succeeded evaluation${ds ? ` on dataset ${ds}` : ''}${tg ? ` with target ${tg}` : ''}; run \`modelops evaluate ${model} ${versions[0].name}\``);
      ds ||= first.datasetId;
      tg ||= first.target;
    }
    const metrics: string[] = [];
    const out = versions.map((v) => {
      const match = done.filter((e) => e.datasetId === ds && e.target === tg && (e.report as { overall?: unknown }).overall);
      const asCand = match.find((e) => e.candidate === v.number);
      const asBase = match.find((e) => e.baseline === v.number);
      const e = asCand ?? asBase;
      if (!e) throw notFound(`version ${v.name} has no succeeded evaluation on dataset ${ds} with target ${tg}; run \`modelops evaluate ${model} ${v.name} --dataset ${ds} --target ${tg}\``);
      const r = e.report as unknown as EvaluationReport;
      // Evaluations may differ in their cut-offs: list every metric any of them has, in report order.
      for (const m of r.metrics) if (!metrics.includes(m)) metrics.push(m);
      const src = asCand ? { overall: r.overall, byDay: r.by_day } : { overall: r.baseline!.overall, byDay: r.baseline!.by_day };
      return { version: v, evaluationId: e.id, asCandidate: !!asCand, overall: src.overall, byDay: src.byDay };
    });
    return { datasetId: ds, target: tg, metrics, versions: out };
  }

  /** Starts the heartbeat that keeps queued and running evaluations from looking abandoned. */
  start(): void {
    this.heartbeat = setInterval(() => {
      for (const rec of this.active.values()) void this.persist(rec).catch(() => undefined);
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Stops taking new evaluations and waits for the running one. */
  async close(): Promise<void> {
    this.closed = true;
    await this.tail;
    if (this.heartbeat) clearInterval(this.heartbeat);
  }
}

/** True when a pending/running evaluation has not been updated for STALE_MS (its process died). */
export function isAbandoned(e: EvaluationRecord, now = Date.now()): boolean {
  return (e.state === 'pending' || e.state === 'running') && !!e.updateTime && now - e.updateTime.getTime() > STALE_MS;
}
