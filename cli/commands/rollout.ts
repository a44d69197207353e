// `modelops rollout start|ramp|stop|status|report|list|outcomes`: A/B rollouts of a model's versions.
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { bool, list, need, num, str, UsageError, type Args, type Command, type Io } from '../command';
import { call, clientOf, targetOf, type Target } from '../client';
import { emit, fields, fmtNum, isoTime, table } from '../output';
import { rpc } from '../busy-retry';
import { parseArms } from '../../ml/rollout/assignment';
import { parseGuardrail } from '../../ml/rollout/readout';
import { checkSteps, parseDuration } from '../../ml/rollout/progression';
import type { Rollout__Output } from '../../proto/gen/modelops/v1/Rollout';
import type { RolloutArm__Output } from '../../proto/gen/modelops/v1/RolloutArm';
import type { RolloutEstimate__Output } from '../../proto/gen/modelops/v1/RolloutEstimate';
import type { GetRolloutReportResponse__Output } from '../../proto/gen/modelops/v1/GetRolloutReportResponse';
import type { RecordOutcomesResponse__Output } from '../../proto/gen/modelops/v1/RecordOutcomesResponse';

const armText = (arms: RolloutArm__Output[]) => arms.map((a) => `${a.version}=${a.weight}${a.control ? ' (control)' : ''}`).join(', ');

/** A rollout as the CLI prints it (also its --json shape). */
export function plainRollout(r: Rollout__Output | null) {
  if (!r) return null;
  return {
    id: r.id, model: r.model, state: r.state.replace('ROLLOUT_STATE_', '').toLowerCase(), control: r.control,
    arms: r.arms.map((a) => ({ version: a.version, weight: a.weight, version_number: a.version_number, control: a.control })),
    shadow_versions: r.shadow_versions,
    guardrails: r.guardrails.map((g) => `${g.metric}<-${g.max_drop_percent}%@${g.min_views}`),
    salt: r.salt, created_by: r.created_by, start_time: isoTime(r.start_time), stop_time: isoTime(r.stop_time),
    stop_reason: r.stop_reason, stopped_by: r.stopped_by,
    history: r.history.map((c) => ({ time: isoTime(c.time), kind: c.kind, arms: armText(c.arms), actor: c.actor, reason: c.reason })),
    progression: r.progression ? { treatment: r.progression.treatment, steps: r.progression.steps, step: r.progression.step,
      step_interval_seconds: r.progression.step_interval_seconds, step_min_views: Number(r.progression.step_min_views),
      step_start_time: isoTime(r.progression.step_start_time), state: r.progression.state, note: r.progression.note } : null,
    explore_share: r.explore_share,
  };
}

function printRollout(io: Io, r: ReturnType<typeof plainRollout>): void {
  if (!r) return;
  io.out(fields({ rollout: r.id, model: r.model, state: r.state, control: r.control,
    arms: r.arms.map((a) => `${a.version}=${a.weight}`).join(' '), shadow: r.shadow_versions.join(' ') || '-',
    guardrails: r.guardrails.join(' ') || '-', explore: r.explore_share > 0 ? `${r.explore_share} of user-days` : '-', started: `${r.start_time} by ${r.created_by}`,
    ...(r.stop_time ? { stopped: `${r.stop_time} by ${r.stopped_by}: ${r.stop_reason}` } : {}),
    ...(r.progression ? { progressive: `${r.progression.state} at step ${r.progression.steps[r.progression.step]}% of ${r.progression.steps.join(',')} ` +
      `(every ${r.progression.step_interval_seconds} s, >= ${r.progression.step_min_views} views per arm)${r.progression.note ? `: ${r.progression.note}` : ''}` } : {}) }));
  io.out('\nhistory:');
  io.out(table(r.history as Record<string, unknown>[], ['time', 'kind', 'arms', 'actor', 'reason']));
}

const est = (e: RolloutEstimate__Output | null, pct = false) => {
  if (!e || !Number.isFinite(e.value)) return '-';
  const f = (x: number) => (Number.isFinite(x) ? (pct ? `${(100 * x).toFixed(2)}%` : fmtNum(x)) : '?');
  return `${f(e.value)} [${f(e.ci_low)}, ${f(e.ci_high)}]`;
};

function plainReport(r: GetRolloutReportResponse__Output) {
  return {
    rollout: plainRollout(r.rollout),
    arms: r.arms.map((a) => ({ arm: a.arm, control: a.control, views: Number(a.views), users: Number(a.users), requests: Number(a.requests),
      watch_time: a.watch_time, wtg_rate: a.wtg_rate, completion_rate: a.completion_rate })),
    srm_flagged: r.srm_flagged,
    srm: r.srm.map((c) => ({ source: c.source, scope: c.scope, key: c.key, period: c.period, chi2: c.chi2, df: c.df, p_value: c.p_value,
      flagged: c.flagged, message: c.message, arms: c.arms.map((a) => ({ arm: a.arm, weight: a.weight, observed: Number(a.observed), expected: a.expected })) })),
    differences: r.differences.map((d) => ({ arm: d.arm, metric: d.metric, absolute: d.absolute, relative: d.relative, always_valid: d.always_valid,
      cuped_absolute: d.cuped_absolute, variance_reduction: d.variance_reduction })),
    cuped: r.arms.map((a) => ({ arm: a.arm, watch_time_cuped: a.watch_time_cuped, users_with_covariate: Number(a.users_with_covariate) })),
    effect_by_exposure_day: r.effect_by_exposure_day.map((e) => ({ arm: e.arm, day: e.day, treatment_users: Number(e.treatment_users),
      control_users: Number(e.control_users), absolute: e.absolute, relative: e.relative })),
    shadow: r.shadow.map((s) => ({ ...s, offered: Number(s.offered), scored: Number(s.scored), shed: Number(s.shed), failed: Number(s.failed) })),
    breaches: r.breaches,
    definitions: r.definitions,
  };
}

function printReport(io: Io, r: GetRolloutReportResponse__Output): void {
  // The sample-ratio verdict comes first: with a mismatch no number below can be trusted.
  const flagged = r.srm.filter((c) => c.flagged);
  const periods = r.srm.filter((c) => c.scope === 'period');
  io.out(`\nsample ratio: ${r.srm_flagged ? 'MISMATCH (p < 0.001): the readout cannot be trusted; ramps need --force' : flagged.length ? 'ok per period; flagged for a day or handset maker below' : 'ok'}` +
    ` (${periods.length} period checks, ${r.srm.length} in all)`);
  for (const c of flagged) io.out(`  ${c.message}`);
  io.out('\nreadout (95% intervals, user-clustered):');
  io.out(table(r.arms.map((a) => ({ arm: `${a.arm}${a.control ? ' (control)' : ''}`, views: Number(a.views), users: Number(a.users),
    requests: Number(a.requests), watch_time_s: est(a.watch_time), wtg_rate: est(a.wtg_rate, true), completion_90: est(a.completion_rate, true) }))));
  if (r.differences.length) {
    io.out('\ntreatment - control:');
    io.out(table(r.differences.map((d) => ({ arm: d.arm, metric: d.metric, difference: est(d.absolute, d.metric !== 'watch_time'),
      always_valid: est(d.always_valid, d.metric !== 'watch_time'), relative: est(d.relative, true) }))));
    const cu = r.differences.filter((d) => d.cuped_absolute);
    if (cu.length) {
      io.out('\nwatch time, CUPED (pre-exposure watch time as covariate):');
      io.out(table(cu.map((d) => ({ arm: d.arm, raw: est(d.absolute), adjusted: est(d.cuped_absolute), variance_reduction: `${(100 * d.variance_reduction).toFixed(1)}%`,
        users_with_covariate: Number(r.arms.find((a) => a.arm === d.arm)?.users_with_covariate ?? 0) }))));
    }
  }
  if (r.effect_by_exposure_day.length) {
    io.out('\nwatch-time effect by day since exposure (novelty):');
    io.out(table(r.effect_by_exposure_day.map((e) => ({ arm: e.arm, day: e.day, treatment_users: Number(e.treatment_users),
      control_users: Number(e.control_users), difference: est(e.absolute), relative: est(e.relative, true) }))));
  }
  if (r.shadow.length) {
    io.out('\nshadow:');
    io.out(table(r.shadow.map((s) => ({ version: s.version, offered: Number(s.offered), scored_fraction: s.scored_fraction, shed: Number(s.shed),
      failed: Number(s.failed), [`spearman@${s.top_k}`]: s.mean_spearman, [`kendall@${s.top_k}`]: s.mean_kendall,
      p50_ms: s.latency_p50_ms, p99_ms: s.latency_p99_ms }))));
  }
  for (const b of r.breaches) io.out(`\nguardrail breach: ${b}`);
}

function armsOf(args: Args, from: number, cmd: string) {
  const tokens = args.positional.slice(from);
  if (tokens.length === 0) throw new UsageError(`give arms as version=weight, for example: modelops ${cmd} feed-ranker-hi prod-wtg-2=10`);
  try {
    return parseArms(tokens).map((a) => ({ version: a.version, weight: a.weight }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

const rollout = (target: Target) => clientOf('RolloutService', target);

async function report(target: Target, model: string, id: string): Promise<GetRolloutReportResponse__Output> {
  return call<object, GetRolloutReportResponse__Output>(target, rollout(target), 'GetRolloutReport', { model, rollout_id: id });
}

/** Parses a time field of an outcome line: ISO text, epoch ms, or absent. */
function timeOf(v: unknown, line: number): { seconds: number; nanos: number } | null {
  if (v === undefined || v === null || v === '') return null;
  const ms = typeof v === 'number' ? v : Date.parse(String(v));
  if (!Number.isFinite(ms)) throw new UsageError(`line ${line}: time "${String(v)}" is neither ISO 8601 nor epoch ms`);
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}

/** The CLI commands `rollout start|ramp|stop|status|report|list|outcomes` (found by folder by cli/main.ts). */
export const commands: Command[] = [
  {
    name: 'rollout start',
    summary: 'Start an A/B rollout: version=weight arms (production is the control and takes the rest); arms may be omitted with --shadow or --explore.',
    usage: '<model> [<version=weight>...]',
    flags: {
      shadow: { type: 'list', description: 'A version to shadow-score without serving it (repeatable).', placeholder: 'VERSION' },
      guardrail: { type: 'list', description: 'Stop automatically, e.g. watch_time<-3%@1000: mean watch time of an arm below control by more than 3% (95% interval excluding zero) after >= 1000 views.', placeholder: 'RULE' },
      reason: { type: 'string', description: 'Why (audited).', placeholder: 'TEXT' },
      salt: { type: 'string', description: 'The assignment salt (default: random, reshuffling users).', placeholder: 'TEXT' },
      steps: { type: 'string', description: 'Ramp the one treatment by itself through these weights, e.g. 5,10,25,50, while guardrails and the sample-ratio check pass; holds at the last.', placeholder: 'LIST' },
      'step-interval': { type: 'string', description: 'The least time on a step before the next, e.g. 1h, 30m or 2s (required with --steps).', placeholder: 'DURATION' },
      'step-min-views': { type: 'number', description: 'Views each arm needs on a step before the next (default 1000).' },
      explore: { type: 'number', description: 'The exploration share, 0..1 (e.g. 0.05): that share of user-days get 3 candidates at uniformly random positions, logged for unbiased evaluation (`data build --exploration-of`).' },
    },
    async run(args, io) {
      const model = need(args, 0, '<model>', 'rollout start <model> <version=weight>...');
      const explore = num(args, 'explore') ?? 0;
      if (!(explore >= 0 && explore <= 1)) throw new UsageError(`--explore: ${explore} is not a share between 0 and 1 (for example 0.05)`);
      // Shadow- or exploration-only: no arms, production serves everyone while the shadow versions are measured
      // or the exploration slot collects feedback.
      const arms = args.positional.length > 1 || (list(args, 'shadow').length === 0 && explore === 0) ? armsOf(args, 1, 'rollout start') : [];
      let guardrails;
      try {
        guardrails = list(args, 'guardrail').map(parseGuardrail).map((g) => ({ metric: g.metric, max_drop_percent: g.maxDropPct, min_views: g.minViews }));
      } catch (err) {
        throw new UsageError(`--guardrail: ${(err as Error).message}`);
      }
      let steps: number[] = [];
      let interval = 0;
      if (str(args, 'steps') !== undefined) {
        try {
          steps = checkSteps(str(args, 'steps')!.split(',').map((x) => x.trim()).filter(Boolean).map(Number));
          const text = str(args, 'step-interval');
          if (!text) throw new Error('--step-interval is required with --steps, for example --step-interval 1h');
          interval = parseDuration(text);
        } catch (err) {
          throw new UsageError(`--steps: ${(err as Error).message}`);
        }
      } else if (str(args, 'step-interval') !== undefined) {
        throw new UsageError('--step-interval needs --steps, for example --steps 5,10,25,50 --step-interval 1h');
      }
      const minViews = num(args, 'step-min-views') ?? 0;
      if (!Number.isInteger(minViews) || minViews < 0) throw new UsageError(`--step-min-views: ${minViews} must be a whole number >= 1`);
      const target = targetOf(args);
      const res = await call<object, { rollout: Rollout__Output }>(target, rollout(target), 'StartRollout', {
        model, arms, shadow_versions: list(args, 'shadow'), guardrails, reason: str(args, 'reason') ?? '', salt: str(args, 'salt') ?? '',
        steps, step_interval_seconds: interval / 1000, step_min_views: minViews, explore_share: explore });
      const r = plainRollout(res.rollout);
      emit(io, { rollout: r }, () => printRollout(io, r));
    },
  },
  {
    name: 'rollout ramp',
    summary: 'Change treatment weights of the active rollout; the control absorbs the difference.',
    usage: '<model> <version=weight>...',
    flags: {
      reason: { type: 'string', description: 'Why (audited).', placeholder: 'TEXT' },
      force: { type: 'boolean', description: 'Ramp although the sample-ratio check is flagged (audited with the checks it overrode).' },
    },
    async run(args, io) {
      const model = need(args, 0, '<model>', 'rollout ramp <model> <version=weight>...');
      const arms = armsOf(args, 1, 'rollout ramp');
      const target = targetOf(args);
      const res = await call<object, { rollout: Rollout__Output; moved_arms: string[] }>(target, rollout(target), 'RampRollout',
        { model, arms, reason: str(args, 'reason') ?? '', force: bool(args, 'force') });
      const r = plainRollout(res.rollout);
      emit(io, { rollout: r, moved_arms: res.moved_arms }, () => {
        printRollout(io, r);
        if (res.moved_arms.length) io.out(`\nnote: users of ${res.moved_arms.join(', ')} moved too (an inner treatment shifted)`);
      });
    },
  },
  {
    name: 'rollout stop',
    summary: 'Stop the active rollout: production serves every user again.',
    usage: '<model>',
    flags: { reason: { type: 'string', description: 'Why (audited).', placeholder: 'TEXT' } },
    async run(args, io) {
      const model = need(args, 0, '<model>', 'rollout stop <model>');
      const target = targetOf(args);
      const res = await call<object, { rollout: Rollout__Output }>(target, rollout(target), 'StopRollout', { model, reason: str(args, 'reason') ?? '' });
      const r = plainRollout(res.rollout);
      emit(io, { rollout: r }, () => printRollout(io, r));
    },
  },
  {
    name: 'rollout status',
    summary: 'Show the active (else newest) rollout with its per-arm readout.',
    usage: '<model>',
    flags: { rollout: { type: 'string', description: 'A rollout id (default: the active one, else the newest).', placeholder: 'ID' } },
    async run(args, io) {
      const model = need(args, 0, '<model>', 'rollout status <model>');
      const target = targetOf(args);
      const rep = await report(target, model, str(args, 'rollout') ?? '');
      const plain = plainReport(rep);
      emit(io, plain, () => {
        printRollout(io, plain.rollout);
        printReport(io, rep);
      });
    },
  },
  {
    name: 'rollout report',
    summary: 'The per-arm readout of a rollout: views, users, watch time, WTG rate, completion, differences, shadow.',
    usage: '<model>',
    flags: { rollout: { type: 'string', description: 'A rollout id (default: the active one, else the newest).', placeholder: 'ID' } },
    async run(args, io) {
      const model = need(args, 0, '<model>', 'rollout report <model>');
      const target = targetOf(args);
      const rep = await report(target, model, str(args, 'rollout') ?? '');
      emit(io, plainReport(rep), () => printReport(io, rep));
    },
  },
  {
    name: 'rollout list',
    summary: 'List the rollouts of a model, newest first.',
    usage: '<model>',
    flags: {
      'page-size': { type: 'number', description: 'Rollouts per page (default 50, max 500).' },
      'page-token': { type: 'string', description: 'Continue from a previous page.' },
    },
    async run(args, io) {
      const model = need(args, 0, '<model>', 'rollout list <model>');
      const target = targetOf(args);
      const res = await call<object, { rollouts: Rollout__Output[]; next_page_token: string }>(target, rollout(target), 'ListRollouts',
        { model, page_size: num(args, 'page-size') ?? 0, page_token: str(args, 'page-token') ?? '' });
      const rows = res.rollouts.map(plainRollout);
      emit(io, { rollouts: rows, next_page_token: res.next_page_token }, () => {
        io.out(table(rows.map((r) => ({ id: r!.id, state: r!.state, arms: r!.arms.map((a) => `${a.version}=${a.weight}`).join(' '),
          started: r!.start_time, stopped: r!.stop_time ?? '', stopped_by: r!.stopped_by }))));
        if (res.next_page_token) io.out(`more: --page-token ${res.next_page_token}`);
      });
    },
  },
  {
    name: 'rollout outcomes',
    summary: 'Record views from a JSON-lines file (user_id, item_id, timespent_s, video_length_s, liked, shared, time) in batches; a batch the server refuses as busy (RESOURCE_EXHAUSTED) is retried with backoff.',
    usage: '<model>',
    flags: {
      file: { type: 'string', description: 'The JSON-lines file ("-" for stdin).', placeholder: 'PATH' },
      'batch-size': { type: 'number', description: 'Views per RecordOutcomes call (default 5000, max 10000).' },
    },
    async run(args, io) {
      const model = need(args, 0, '<model>', 'rollout outcomes <model> --file views.jsonl');
      const file = str(args, 'file');
      if (!file) throw new UsageError('--file is required (a JSON-lines file, or - for stdin)');
      const size = num(args, 'batch-size') ?? 5000;
      if (!Number.isInteger(size) || size < 1 || size > 10_000) throw new UsageError(`--batch-size: ${size} must be 1..10000`);
      const target = targetOf(args);
      const input = file === '-' ? process.stdin : fs.createReadStream(file);
      const totals = { accepted: 0, duplicates: 0, outside_rollout: 0, unmatched: 0, breaches: [] as string[], state: '' };
      let batch: object[] = [];
      const send = async () => {
        if (!batch.length) return;
        const res = await rpc<RecordOutcomesResponse__Output>(target, 'RolloutService', 'RecordOutcomes', { model, outcomes: batch },
          (attempt, ms) => io.err(`the server is busy (RESOURCE_EXHAUSTED); retry ${attempt} of this batch in ${(ms / 1000).toFixed(1)} s\n`));
        batch = [];
        totals.accepted += Number(res.accepted);
        totals.duplicates += Number(res.duplicates);
        totals.outside_rollout += Number(res.outside_rollout);
        totals.unmatched += Number(res.unmatched);
        totals.breaches.push(...res.breaches);
        totals.state = res.rollout ? res.rollout.state.replace('ROLLOUT_STATE_', '').toLowerCase() : 'none';
        io.err(`recorded ${totals.accepted} views\n`);
      };
      let n = 0;
      for await (const line of readline.createInterface({ input, crlfDelay: Infinity })) {
        n++;
        if (!line.trim()) continue;
        let o: Record<string, unknown>;
        try {
          o = JSON.parse(line) as Record<string, unknown>;
        } catch {
          throw new UsageError(`line ${n}: not JSON`);
        }
        batch.push({ request_id: String(o.request_id ?? ''), user_id: String(o.user_id ?? ''), item_id: String(o.item_id ?? ''),
          timespent_s: Number(o.timespent_s ?? 0), video_length_s: Number(o.video_length_s ?? 0), liked: !!o.liked, shared: !!o.shared,
          time: timeOf(o.time, n), handset_maker: String(o.handset_maker ?? '') });
        if (batch.length >= size) await send();
      }
      await send();
      emit(io, totals, () => {
        io.out(fields({ accepted: totals.accepted, duplicates: totals.duplicates, outside_rollout: totals.outside_rollout,
          unmatched: totals.unmatched, rollout_state: totals.state }));
        for (const b of totals.breaches) io.out(`guardrail breach: ${b}`);
      });
    },
  },
];
