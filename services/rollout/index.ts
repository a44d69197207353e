// The RolloutService of `modelops serve`: thin handlers (decode -> RolloutService -> encode) and the role
// each RPC needs.
import { rolloutName } from '../../core/names';
import { loadProtos } from '../../proto/load';
import type { RolloutServiceHandlers } from '../../proto/gen/modelops/v1/RolloutService';
import type { Rollout as RolloutMsg } from '../../proto/gen/modelops/v1/Rollout';
import type { RolloutArm__Output } from '../../proto/gen/modelops/v1/RolloutArm';
import type { RolloutGuardrail__Output } from '../../proto/gen/modelops/v1/RolloutGuardrail';
import type { RolloutEstimate } from '../../proto/gen/modelops/v1/RolloutEstimate';
import type { ServiceFactory } from '../common/context';
import { unary } from '../common/rpc';
import { decodePageToken, pageOf, pageSize } from '../common/paging';
import type { Rollout, RolloutArmRecord } from '../../registry/rollout-store';
import { checkGuardrail, DEFAULT_GUARDRAIL_MIN_VIEWS, METRICS, type Estimate, type Guardrail, type MetricKey } from '../../ml/rollout/readout';
import type { Arm } from '../../ml/rollout/assignment';
import { RolloutService, rolloutStores } from './service';
import { readVar } from '../../core/config';
import { fromTimestamp, toTimestamp as timestamp } from '../common/timestamp';
import { histQuantile } from './shadow-queue';
import { srmMessage } from '../../ml/rollout/srm';

function armsIn(arms: RolloutArm__Output[]): Arm[] {
  return arms.map((a) => ({ version: a.version, weight: a.weight }));
}

function guardrailsIn(gs: RolloutGuardrail__Output[]): Guardrail[] {
  return gs.map((g) => checkGuardrail({ metric: g.metric as MetricKey, maxDropPct: g.max_drop_percent,
    minViews: Number(g.min_views) || DEFAULT_GUARDRAIL_MIN_VIEWS }));
}

function armMsg(a: RolloutArmRecord, control: string) {
  return { version: a.version, weight: a.weight, version_number: a.number, control: a.version === control };
}

/** Encodes a rollout. */
export function rolloutMsg(r: Rollout): RolloutMsg {
  return {
    name: rolloutName(r.model, r.id), id: r.id, model: r.model,
    state: r.state === 'active' ? 'ROLLOUT_STATE_ACTIVE' : 'ROLLOUT_STATE_STOPPED',
    arms: r.arms.map((a) => armMsg(a, r.control)), control: r.control, salt: r.salt, shadow_versions: r.shadow.map((s) => s.version),
    guardrails: r.guardrails.map((g) => ({ metric: g.metric, max_drop_percent: g.maxDropPct, min_views: g.minViews })),
    created_by: r.createdBy, start_time: timestamp(r.startTime), stop_time: timestamp(r.stopTime), stop_reason: r.stopReason,
    stopped_by: r.stoppedBy,
    history: r.history.map((c) => ({ time: timestamp(c.time), kind: c.kind, arms: c.arms.map((a) => armMsg(a, r.control)), actor: c.actor, reason: c.reason })),
    progression: r.progression ? { treatment: r.progression.treatment, steps: r.progression.steps, step_interval_seconds: r.progression.intervalMs / 1000,
      step_min_views: r.progression.minViews, step: r.progression.step, step_start_time: timestamp(new Date(r.progression.stepStart)),
      state: r.progression.state, note: r.progression.note } : null,
    explore_share: r.exploreShare,
  };
}

// An estimate with too little data has an infinite se and interval (proto doubles carry Infinity and NaN).
function estimateMsg(e: Estimate): RolloutEstimate {
  return { value: e.value, se: e.se, ci_low: e.ci95[0], ci_high: e.ci95[1] };
}

/** Builds the RolloutService: its handlers, the role of each RPC, and its background work (start/close). */
export const create: ServiceFactory = (ctx) => {
  const env = { log: ctx.log, metrics: ctx.metrics };
  const stores = rolloutStores(ctx.db, ctx.registry, ctx.stores);
  const tickMs = readVar('MODELOPS_RAMP_TICK_MS');
  const service = new RolloutService(stores, ctx.log.child({ service: 'rollout' }),
    { guardIntervalMs: readVar('MODELOPS_GUARDRAIL_INTERVAL_MS'), cupedLookbackDays: readVar('MODELOPS_CUPED_LOOKBACK_DAYS'),
      events: ctx.stores.eventLog });
  const handlers: RolloutServiceHandlers = {
    StartRollout: unary(env, 'StartRollout', async (req, call) => {
      const r = await service.start({ model: req.model, arms: armsIn(req.arms), shadow: req.shadow_versions,
        guardrails: guardrailsIn(req.guardrails), salt: req.salt || undefined, actor: call.principal.actor, reason: req.reason,
        steps: req.steps, stepIntervalMs: req.step_interval_seconds * 1000, stepMinViews: Number(req.step_min_views),
        exploreShare: req.explore_share });
      return { rollout: rolloutMsg(r) };
    }),
    RampRollout: unary(env, 'RampRollout', async (req, call) => {
      const { rollout, movedArms } = await service.ramp(req.model, armsIn(req.arms), call.principal.actor, req.reason, req.force);
      return { rollout: rolloutMsg(rollout), moved_arms: movedArms };
    }),
    StopRollout: unary(env, 'StopRollout', async (req, call) => ({ rollout: rolloutMsg(await service.stop(req.model, call.principal.actor, req.reason)) })),
    GetRollout: unary(env, 'GetRollout', async (req) => ({ rollout: rolloutMsg(await service.get(req.model, req.rollout_id)) })),
    ListRollouts: unary(env, 'ListRollouts', async (req) => {
      const size = pageSize(req.page_size);
      const scope = `rollouts:${req.model}`;
      const key = decodePageToken(req.page_token, scope) as [string, string] | undefined;
      const rows = await service.list(req.model, { after: key, limit: size + 1 });
      const page = pageOf(rows, size, (r) => [r.startTime.toISOString(), r.id], scope);
      return { rollouts: page.items.map(rolloutMsg), next_page_token: page.nextPageToken };
    }),
    RecordOutcomes: unary(env, 'RecordOutcomes', async (req) => {
      const res = await service.recordOutcomes(req.model, req.outcomes.map((o) => ({
        requestId: o.request_id, userId: o.user_id, itemId: o.item_id, timespentS: o.timespent_s, videoLengthS: o.video_length_s,
        liked: o.liked, shared: o.shared, time: fromTimestamp(o.time), handsetMaker: o.handset_maker,
      })));
      return { accepted: res.accepted, duplicates: res.duplicates, outside_rollout: res.outsideRollout, unmatched: res.unmatched,
        rollout: res.rollout ? rolloutMsg(res.rollout) : null, breaches: res.breaches.map((b) => b.message) };
    }),
    GetRolloutReport: unary(env, 'GetRolloutReport', async (req) => {
      const rep = await service.report(req.model, req.rollout_id);
      const ro = rep.readout;
      return {
        rollout: rolloutMsg(rep.rollout),
        arms: ro.arms.map((a, i) => ({ arm: a.arm, views: a.views, users: a.users, requests: a.requests, control: a.arm === ro.control,
          watch_time: estimateMsg(a.metrics.watch_time), wtg_rate: estimateMsg(a.metrics.wtg_rate), completion_rate: estimateMsg(a.metrics.completion_rate),
          watch_time_cuped: estimateMsg(rep.cuped[i].estimate.adjusted), users_with_covariate: rep.cuped[i].usersWithCovariate })),
        differences: ro.differences.flatMap((d) => METRICS.map((m) => {
          const cu = m === 'watch_time' ? rep.cupedDifferences.find((c) => c.arm === d.arm)?.difference : undefined;
          return { arm: d.arm, metric: m, absolute: estimateMsg(d.metrics[m].absolute), relative: estimateMsg(d.metrics[m].relative),
            always_valid: estimateMsg(d.metrics[m].alwaysValid), cuped_absolute: cu ? estimateMsg(cu.adjusted) : null,
            variance_reduction: cu ? cu.varianceReduction : 0 };
        })),
        srm_flagged: rep.srmFlagged,
        srm: rep.srm.map((c) => ({ source: c.source, scope: c.scope, key: c.key, period: c.period, chi2: c.chi2, df: c.df, p_value: c.pValue,
          flagged: c.flagged, message: srmMessage(c),
          arms: Object.keys(c.observed).map((arm) => ({ arm, weight: c.weights[arm] ?? 0, observed: c.observed[arm], expected: c.expected[arm] })) })),
        effect_by_exposure_day: rep.byExposureDay.map((e) => ({ arm: e.arm, day: e.day, treatment_users: e.treatmentUsers, control_users: e.controlUsers,
          absolute: estimateMsg(e.difference.absolute), relative: estimateMsg(e.difference.relative) })),
        shadow: rep.shadow.map((s) => ({ version: s.version, offered: s.offered, scored: s.scored, shed: s.shed, failed: s.failed,
          scored_fraction: s.offered ? s.scored / s.offered : 0, mean_spearman: s.corrCount ? s.sumSpearman / s.corrCount : 0,
          mean_kendall: s.corrCount ? s.sumKendall / s.corrCount : 0, latency_mean_ms: s.scored ? s.sumLatencyMs / s.scored : 0,
          latency_p50_ms: histQuantile(s.latencyHist, 0.5), latency_p99_ms: histQuantile(s.latencyHist, 0.99), top_k: s.topK })),
        definitions: ro.definitions,
        breaches: rep.breaches.map((b) => b.message),
      };
    }),
  };
  // Served records exist only to join request-id-only outcomes; keep them for a retention window.
  const retentionDays = readVar('MODELOPS_SERVED_RETENTION_DAYS');
  let pruner: NodeJS.Timeout | undefined;
  let ramper: NodeJS.Timeout | undefined;
  let ticking = false;
  const tick = () => {
    if (ticking) return;
    ticking = true;
    service.tick().catch((err: unknown) => ctx.log.warn({ err }, 'rollout: progressive ramp pass failed')).finally(() => { ticking = false; });
  };
  const prune = () => stores.log.pruneServed(new Date(Date.now() - retentionDays * 86_400_000))
    .catch((err: unknown) => ctx.log.warn({ err }, 'rollout: pruning served records failed'));
  return {
    definition: loadProtos().v1.RolloutService.service,
    handlers,
    async start() {
      pruner = setInterval(() => { void prune(); }, 3_600_000);
      pruner.unref();
      ramper = setInterval(tick, tickMs);
      ramper.unref();
    },
    async close() {
      if (pruner) clearInterval(pruner);
      if (ramper) clearInterval(ramper);
      service.close();
    },
    // Outcome batches a client can send many of at once.
    backPressured: ['RecordOutcomes'],
    roles: {
      StartRollout: 'operator', RampRollout: 'operator', StopRollout: 'operator', RecordOutcomes: 'operator',
      GetRollout: 'reader', ListRollouts: 'reader', GetRolloutReport: 'reader',
    },
  };
};
