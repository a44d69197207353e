// End to end over real gRPC, Postgres and S3: the CLI starts a 90/10 rollout with a guardrail, the scoring
// service (the scoring tests' harness: real ONNX towers, in-memory features) routes many users by the
// rollout's assignment, synthetic outcomes where the treatment watches less are recorded through
// RecordOutcomes, the guardrail stops the rollout by itself (audited with its numbers), and afterwards
// every user is served by production.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { startScoringHarness, type ScoringHarness } from '../scoring/harness';
import { call, clientOf } from '../helpers/platform';
import { cliJson, runCli } from '../helpers/cli';
import type { Target } from '../../cli/client';
import { create as createRollout } from '../../services/rollout/index';
import { accessInterceptor } from '../../services/common/auth';
import { MAX_RECEIVE_BYTES, MAX_SEND_BYTES, roleTable } from '../../services/server';
import { assignArm } from '../../ml/rollout/assignment';
import { createScoring, type ScoringModule } from '../../services/scoring';
import { Metrics } from '../../services/common/metrics';

const M = 'feed-ranker-hi';
const USERS = Array.from({ length: 2000 }, (_, i) => `u${i}`);
const ITEMS = Array.from({ length: 30 }, (_, i) => `v${i}`);

let h: ScoringHarness;
let rolloutServer: grpc.Server;
let rolloutTarget: Target;
let scoreTarget: Target;
// A second scoring replica over the same database (its own caches, its own change listener).
let replica: ScoringModule;
let replicaServer: grpc.Server;
let replicaTarget: Target;

before(async () => {
  h = await startScoringHarness();
  for (const u of USERS) h.features.users.add(u);
  for (const i of ITEMS) h.features.items.add(i);
  await h.register(M, 'prod-p90', 1);
  await h.register(M, 'prod-wtg-2', 2);
  await h.promote(M, 'prod-p90');
  // The RolloutService on the same platform stores, behind the same access interceptor as `modelops serve`.
  const ctx = h.tp.platform.ctx;
  // Evaluate the guardrail on every batch, so the batch that trips it reports the breach (the default
  // interval of 2 s defers evaluations of a busy rollout to a trailing one: rollout-service.test.ts).
  process.env.MODELOPS_GUARDRAIL_INTERVAL_MS = '0';
  // Progressive ramps are checked every 200 ms (the steps in the test last a second).
  process.env.MODELOPS_RAMP_TICK_MS = '200';
  const mod = await createRollout(ctx);
  delete process.env.MODELOPS_GUARDRAIL_INTERVAL_MS;
  delete process.env.MODELOPS_RAMP_TICK_MS;
  await mod.start?.();
  rolloutServer = new grpc.Server({
    'grpc.max_receive_message_length': MAX_RECEIVE_BYTES, 'grpc.max_send_message_length': MAX_SEND_BYTES,
    interceptors: [accessInterceptor({ roles: roleTable([mod]), verifier: ctx.verifier, requireTokenForReads: false, log: ctx.log })],
  });
  rolloutServer.addService(mod.definition, mod.handlers);
  closeRollout = mod.close;
  const port = await new Promise<number>((resolve, reject) => {
    rolloutServer.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
  });
  rolloutTarget = { addr: `127.0.0.1:${port}`, token: (await h.tp.target('operator')).token };
  scoreTarget = { addr: h.addr };
  replica = createScoring({ ...ctx, metrics: new Metrics() }, { features: () => h.features, itemUniverse: () => [...h.features.items], recheckMs: 0 });
  replicaServer = new grpc.Server();
  replicaServer.addService(replica.definition, replica.handlers);
  const rport = await new Promise<number>((resolve, reject) => {
    replicaServer.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
  });
  await replica.start?.();
  replicaTarget = { addr: `127.0.0.1:${rport}` };
});
let closeRollout: (() => Promise<void>) | undefined;
after(async () => {
  await new Promise<void>((r) => rolloutServer?.tryShutdown(() => r()));
  await closeRollout?.();
  await new Promise<void>((r) => replicaServer?.tryShutdown(() => r()));
  await replica?.close?.();
  await h?.stop();
});

type ScoreRes = { arm: string; version_name: string; request_id: string; item_ids: string[] };
const score = (user: string, target = scoreTarget) => call<object, ScoreRes>(target, clientOf('ScoringService', target), 'Score',
  { model: M, user_id: user, item_ids: ITEMS, top_k: 10 });

async function scoreAll(target = scoreTarget): Promise<Map<string, ScoreRes>> {
  const out = new Map<string, ScoreRes>();
  // 8 in flight, like a small caller pool.
  for (let i = 0; i < USERS.length; i += 8) {
    const batch = USERS.slice(i, i + 8);
    const res = await Promise.all(batch.map((u) => score(u, target)));
    batch.forEach((u, k) => out.set(u, res[k]));
  }
  return out;
}

async function until(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('90/10 rollout: scoring routes by assignment, the guardrail stops a worse treatment, then production serves everyone', async () => {
  const env = { ...process.env, MODELOPS_ADDR: rolloutTarget.addr, MODELOPS_TOKEN: rolloutTarget.token, MODELOPS_LOG_LEVEL: 'silent' };
  const started = await cliJson<{ rollout: { id: string; salt: string; state: string; arms: { version: string; weight: number }[] } }>(
    ['rollout', 'start', M, 'prod-p90=90', 'prod-wtg-2=10', '--guardrail', 'watch_time<-3%@300', '--reason', 'e2e'], env);
  assert.equal(started.rollout.state, 'active');
  const spec = { salt: started.rollout.salt, control: 'prod-p90', arms: started.rollout.arms };

  // The change reaches scoring through NOTIFY; a user assigned to treatment shows it.
  const probe = USERS.find((u) => assignArm(spec, u) === 'prod-wtg-2')!;
  await until('scoring to route by the rollout', async () => (await score(probe)).arm === 'prod-wtg-2');
  await until('the second replica to route by the rollout', async () => (await score(probe, replicaTarget)).arm === 'prod-wtg-2');

  const served = await scoreAll();
  let treated = 0;
  for (const [u, r] of served) {
    // Score's arm is the assignment function's arm, and the arm's version served it.
    assert.equal(r.arm, assignArm(spec, u), u);
    assert.equal(r.version_name, r.arm);
    if (r.arm === 'prod-wtg-2') treated++;
  }
  // The same user gets the same arm from the second replica.
  const other = await scoreAll(replicaTarget);
  for (const [u, r] of served) assert.equal(other.get(u)!.arm, r.arm, u);
  // 2000 users at 10%: the binomial sd is 0.67 points; 3 sd either side.
  assert.ok(treated > 2000 * 0.08 && treated < 2000 * 0.12, `treatment share ${treated / 20}%`);

  // Synthetic outcomes: two views per served request; the treatment watches ~15% less (17 s vs 20 s).
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const now = Date.now();
  const outcomes = [...served].flatMap(([u, r], i) => [0, 1].map((k) => ({
    request_id: r.request_id, user_id: u, item_id: r.item_ids[k], video_length_s: 30,
    timespent_s: Math.max(0, (r.arm === 'prod-wtg-2' ? 17 : 20) + (rand() - 0.5) * 10), time: { seconds: Math.floor((now + i) / 1000), nanos: 0 },
  })));
  let breaches: string[] = [];
  let state = 'ROLLOUT_STATE_ACTIVE';
  let sent = 0;
  for (let i = 0; i < outcomes.length && state === 'ROLLOUT_STATE_ACTIVE'; i += 400) {
    const res = await call<object, { accepted: string; breaches: string[]; rollout: { state: string } | null }>(rolloutTarget,
      clientOf('RolloutService', rolloutTarget), 'RecordOutcomes', { model: M, outcomes: outcomes.slice(i, i + 400) });
    sent += Number(res.accepted);
    breaches = res.breaches;
    state = res.rollout?.state ?? 'none';
  }
  // The guardrail stopped the rollout by itself, before all outcomes were in (300 treatment views are needed first).
  assert.equal(state, 'ROLLOUT_STATE_STOPPED');
  assert.ok(sent < outcomes.length, `stopped after ${sent} of ${outcomes.length} views`);
  assert.equal(breaches.length, 1);
  // Values print with 4 significant digits and no trailing zeros: a mean of 17.0003 prints as "17".
  assert.match(breaches[0], /arm prod-wtg-2: watch_time 1\d(\.\d+)? vs control prod-p90 (19|20)(\.\d+)? \(-1\d\.\d+%.*after \d+ views/);

  const audit = await h.store.listAudit(M, { limit: 5, actions: ['rollout-guardrail-stop'] });
  assert.equal(audit.length, 1);
  assert.equal(audit[0].actor, 'guardrail');
  assert.equal(audit[0].reason, breaches[0]);
  const detail = audit[0].detail as { breaches: { relativePct: number; views: number; ci95: number[] }[] };
  assert.ok(detail.breaches[0].relativePct < -3 && detail.breaches[0].ci95[1] < 0 && detail.breaches[0].views >= 300);

  const status = await cliJson<{ rollout: { state: string; stopped_by: string }; arms: { arm: string; views: number }[] }>(['rollout', 'status', M], env);
  assert.equal(status.rollout.state, 'stopped');
  assert.equal(status.rollout.stopped_by, 'guardrail');
  assert.ok(status.arms.find((a) => a.arm === 'prod-wtg-2')!.views >= 300);
  const human = await runCli(['rollout', 'status', M], env);
  assert.equal(human.code, 0);
  assert.match(human.stdout, /guardrail-stop/);

  // After the stop every user is served by production.
  await until('scoring to drop the rollout', async () => (await score(probe)).arm === 'production');
  const after = await scoreAll();
  for (const [u, r] of after) {
    assert.equal(r.arm, 'production', u);
    assert.equal(r.version_name, 'prod-p90', u);
  }
  // Outcomes timed after the stop join to no rollout.
  const late = await call<object, { accepted: string; outside_rollout: string }>(rolloutTarget, clientOf('RolloutService', rolloutTarget),
    'RecordOutcomes', { model: M, outcomes: [{ user_id: probe, item_id: 'v1', timespent_s: 3 }] });
  assert.deepEqual([Number(late.accepted), Number(late.outside_rollout)], [0, 1]);
});

type Report = {
  srm_flagged: boolean;
  srm: { source: string; scope: string; key: string; period: number; flagged: boolean; p_value: number; arms: { arm: string; observed: number }[] }[];
  differences: { arm: string; metric: string; always_valid: { ci_high: number } | null; cuped_absolute: unknown }[];
  effect_by_exposure_day: { arm: string; day: number }[];
};

test('an outcome stream that drops treatment users of one handset maker is flagged as SRM, and ramps then need --force', async () => {
  const env = { ...process.env, MODELOPS_ADDR: rolloutTarget.addr, MODELOPS_TOKEN: rolloutTarget.token, MODELOPS_LOG_LEVEL: 'silent' };
  const started = await cliJson<{ rollout: { id: string; salt: string; arms: { version: string; weight: number }[] } }>(
    ['rollout', 'start', M, 'prod-wtg-2=50', '--salt', 'e2e-srm', '--reason', 'srm e2e'], env);
  const spec = { salt: started.rollout.salt, control: 'prod-p90', arms: started.rollout.arms };
  const probe = USERS.find((u) => assignArm(spec, u) === 'prod-wtg-2')!;
  await until('scoring to route by the rollout', async () => (await score(probe)).arm === 'prod-wtg-2');
  // Every user is served (and counted as exposed by the scoring replica), balanced by the assignment.
  await scoreAll();
  await h.scoring.exposures!.flush();
  // The broken client: users on "brokenphone" (every second user) report no outcomes in the treatment.
  const maker = (i: number) => (i % 2 === 0 ? 'brokenphone' : 'okphone');
  const outcomes = USERS.flatMap((u, i) => (assignArm(spec, u) === 'prod-wtg-2' && maker(i) === 'brokenphone' ? [] : [{
    user_id: u, item_id: 'v1', timespent_s: 20, video_length_s: 30, handset_maker: maker(i) }]));
  for (let i = 0; i < outcomes.length; i += 1000) {
    await call<object, unknown>(rolloutTarget, clientOf('RolloutService', rolloutTarget), 'RecordOutcomes', { model: M, outcomes: outcomes.slice(i, i + 1000) });
  }
  const rep = await cliJson<Report>(['rollout', 'report', M], env);
  assert.equal(rep.srm_flagged, true);
  const check = (source: string, scope: string, key = '') => rep.srm.find((c) => c.source === source && c.scope === scope && c.key === key && c.period === 0)!;
  // Users with outcomes: ~1000 control vs ~500 treatment under 50/50.
  assert.equal(check('outcomes', 'period').flagged, true);
  assert.equal(check('outcomes', 'handset_maker', 'brokenphone').flagged, true);
  assert.equal(check('outcomes', 'handset_maker', 'okphone').flagged, false);
  // Exposed users are balanced: the split itself works, the logging is what broke.
  const exposed = check('exposed', 'period');
  assert.equal(exposed.flagged, false);
  assert.equal(exposed.arms.reduce((a, x) => a + x.observed, 0), USERS.length);
  // Flagged checks come first in the report.
  assert.equal(rep.srm[0].flagged, true);
  const human = await runCli(['rollout', 'status', M], env);
  assert.match(human.stdout, /sample ratio: MISMATCH/);
  assert.match(human.stdout, /handset maker "brokenphone"/);

  const refused = await runCli(['rollout', 'ramp', M, 'prod-wtg-2=60'], env);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /FAILED_PRECONDITION.*sample-ratio mismatch.*--force/s);
  const forced = await cliJson<{ rollout: { arms: { version: string; weight: number }[] } }>(['rollout', 'ramp', M, 'prod-wtg-2=60', '--force', '--reason', 'known client bug'], env);
  assert.equal(forced.rollout.arms.find((a) => a.version === 'prod-wtg-2')!.weight, 60);
  const audit = await h.store.listAudit(M, { limit: 1, actions: ['rollout-ramp'] });
  assert.ok(((audit[0].detail as { forcedPastSrm?: string[] }).forcedPastSrm ?? []).length > 0);
  await runCli(['rollout', 'stop', M, '--reason', 'srm e2e done'], env);
});

test('a progressive ramp advances on its own while the checks pass, then stops on a guardrail breach', async () => {
  const env = { ...process.env, MODELOPS_ADDR: rolloutTarget.addr, MODELOPS_TOKEN: rolloutTarget.token, MODELOPS_LOG_LEVEL: 'silent' };
  const started = await cliJson<{ rollout: { id: string; arms: { version: string; weight: number }[]; progression: { state: string; step: number } } }>(
    ['rollout', 'start', M, 'prod-wtg-2=1', '--steps', '10,25,50', '--step-interval', '1s', '--step-min-views', '20',
      '--guardrail', 'watch_time<-3%@100', '--salt', 'e2e-ramp'], env);
  assert.deepEqual(started.rollout.arms.map((a) => [a.version, a.weight]), [['prod-wtg-2', 10], ['prod-p90', 90]]);
  assert.deepEqual([started.rollout.progression.state, started.rollout.progression.step], ['ramping', 0]);
  const get = () => call<object, { rollout: { state: string; stopped_by: string; arms: { version: string; weight: number }[];
    history: { kind: string; actor: string; reason: string }[]; progression: { state: string; step: number; note: string } } }>(
    rolloutTarget, clientOf('RolloutService', rolloutTarget), 'GetRollout', { model: M });
  const record = (outcomes: object[]) => call<object, { breaches: string[] }>(rolloutTarget, clientOf('RolloutService', rolloutTarget),
    'RecordOutcomes', { model: M, outcomes });
  const armsNow = async () => ({ salt: 'e2e-ramp', control: 'prod-p90', arms: (await get()).rollout.arms });

  // Step 10%: equal watch time in both arms; ~200 treatment users give the 20 views the step needs.
  let spec = await armsNow();
  await record(USERS.map((u, i) => ({ user_id: u, item_id: 'v1', timespent_s: 15 + (i % 11), video_length_s: 30 })));
  await until('the ramp to take its second step', async () => (await get()).rollout.progression.step === 1, 10_000);
  const stepped = (await get()).rollout;
  assert.equal(stepped.arms.find((a) => a.version === 'prod-wtg-2')!.weight, 25);
  const ramp = stepped.history.find((c) => c.kind === 'ramp')!;
  assert.equal(ramp.actor, 'progressive-ramp');
  assert.match(ramp.reason, /10% -> 25% after \d+ s: guardrails and sample ratio pass, views on the step/);
  // Monotone: every user of the treatment at 10% is still in it at 25%.
  const before10 = USERS.filter((u) => assignArm(spec, u) === 'prod-wtg-2');
  spec = await armsNow();
  for (const u of before10) assert.equal(assignArm(spec, u), 'prod-wtg-2', u);

  // Step 25%: the treatment watches 15% less; the guardrail (always-valid) stops the rollout, and the ramp with it.
  const res = await record(USERS.map((u, i) => ({ user_id: u, item_id: 'v2', video_length_s: 30,
    timespent_s: (assignArm(spec, u) === 'prod-wtg-2' ? 17 : 20) + ((i % 11) - 5) / 2 })));
  assert.equal(res.breaches.length, 1);
  assert.match(res.breaches[0], /always-valid 95% CS \[-?[\d.]+, -[\d.]+\]/);
  const stopped = (await get()).rollout;
  assert.equal(stopped.state, 'ROLLOUT_STATE_STOPPED');
  assert.equal(stopped.progression.state, 'stopped');
  assert.equal(stopped.progression.step, 1);
  assert.match(stopped.progression.note, /guardrail watch_time<-3%@100 breached/);
  assert.equal(stopped.history[stopped.history.length - 1].kind, 'guardrail-stop');
  // No step is taken after the stop.
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await get()).rollout.progression.step, 1);
  // The report shows both intervals and the effect by day since exposure.
  const rep = await cliJson<Report>(['rollout', 'report', M], env);
  const wt = rep.differences.find((d) => d.metric === 'watch_time')!;
  assert.ok(wt.always_valid && wt.always_valid.ci_high < 0);
  assert.ok(wt.cuped_absolute);
  assert.deepEqual(rep.effect_by_exposure_day.map((e) => [e.arm, e.day]), [['prod-wtg-2', 0]]);
});
