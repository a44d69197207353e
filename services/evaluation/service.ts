// The evaluation service layer: validates and records an evaluation at once (pending), queues it to run in the
// background one at a time (run-evaluation.ts), pools a seed group's evaluations once its seeds are done,
// cancels, keeps the records of its queued and running evaluations alive, and answers reads and comparisons
// from stored evaluations (evaluation-record.ts).
import * as crypto from 'node:crypto';
import type { Logger } from 'pino';
import type { ArtifactStore } from '../../registry/artifact-store';
import { COMPLETED_EVALUATION_STATES, type EvaluationRecord, type EvaluationStore } from '../../registry/evaluation-store';
import type { ModelVersion, VersionStore } from '../../registry/version-store';
import type { ModelStore } from '../../registry/model-store';
import type { AliasStore } from '../../registry/alias-store';
import type { GatePolicyStore } from '../../registry/gate-policy-store';
import type { KeptScores } from '../../registry/scores-store';
import { effectivePolicy } from '../registry/promotion';
import { DEFAULT_KS } from '../../ml/metrics/definitions';
import type { EvaluationReport } from '../../ml/metrics/evaluate';
import { exportHeader } from '../../ml/metrics/scores-export';
import { DomainError, failedPrecondition, invalid, notFound } from '../../core/errors';
import { provenanceOf } from '../../core/provenance';
import { checkTarget, checkTargetSupported, datasetMeta } from './held-out-rows';
import { groupReport, seedGroupMembers, seedOf } from './seed-group';
import { evaluationView, protocolsOf, type EvaluationView, type Protocol } from './evaluation-record';
import { BOOTSTRAP_SEED, Cancelled, runEvaluation } from './run-evaluation';

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

/**
 * The registry stores the evaluation service reads and writes: the model and its versions (by name, alias or
 * seed group, and their artifacts to score), the gate policy (whose cut-offs every evaluation computes), and
 * the evaluation records.
 */
export type EvaluationStores = Pick<ModelStore, 'getModel'> & Pick<VersionStore, 'getVersion' | 'versionsTagged' | 'loadAll'>
  & Pick<AliasStore, 'resolveAlias'> & Pick<GatePolicyStore, 'getGatePolicy'>
  & Pick<EvaluationStore, 'getEvaluation' | 'saveEvaluation' | 'listEvaluations'>;

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

  constructor(private readonly store: EvaluationStores, private readonly artifacts: ArtifactStore, private readonly log: Logger) {}

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
    const policy = (await effectivePolicy(this.store, input.model)).policy;
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
    return evaluationView(await this.store.getEvaluation(id));
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
  private run(rec: EvaluationView, cand: ModelVersion, base: ModelVersion | undefined): Promise<void> {
    const ctx = { store: this.store, artifacts: this.artifacts, log: this.log, persist: (r: EvaluationView) => this.persist(r),
      save: (r: EvaluationView, patch: Partial<EvaluationView>, phase?: string) => this.save(r, patch, phase) };
    return runEvaluation(ctx, rec, cand, base, this.aborts.get(rec.id)?.signal);
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
    await this.persist({ ...evaluationView(stored), state: 'cancelled', error: `cancelled by ${actor}` });
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
    const e = evaluationView(await this.store.getEvaluation(id));
    const members = e.params.members ?? [];
    if (members.length && e.state === 'pending') {
      // A waiting group reports its seeds' progress: the mean, and the phase of the one under way.
      const ms = (await Promise.all(members.map((m) => this.store.getEvaluation(m).catch(() => undefined)))).filter((m): m is EvaluationRecord => !!m).map(evaluationView);
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
    return (await this.store.listEvaluations(model, { candidate }, page)).map(evaluationView);
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
      done.push(...page.filter((e) => COMPLETED_EVALUATION_STATES.includes(e.state) && e.report).map(evaluationView));
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
