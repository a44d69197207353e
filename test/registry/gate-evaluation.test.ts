// The promotion gate tied to a named evaluation, through real gRPC, Postgres and the S3 protocol: which
// evaluation it reads (target, protocol, dataset, or --evaluation), what it skips (uninformative metrics,
// days that are not gated) and what it refuses, a seed group's evaluation decided on its pooled intervals and a
// policy's min_seeds, with evaluation records written through the registry store as the evaluation service
// writes them.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import { startTestPlatform, rpcError, call, clientOf, type TestPlatform } from '../helpers/platform';
import { upload, type Target } from '../../cli/client';
import { RegistryStore } from '../../registry/registry-store';
import { evaluationReport, everyDay, withGroup, type GroupSpec, type SectionSpec } from '../../ml/metrics/report-fixtures';

let tp: TestPlatform;
let op: Target;
let admin: Target;
let store: RegistryStore;
const M = 'gate-ranker';
const DAYS = ['2022-05-02', '2022-05-03', '2022-05-04'];
// The candidate is 0.02 better than the baseline on every metric and day.
const BASE = { gauc: 0.6, map: 0.3, 'recall@50': 0.5 };
const GOOD = { gauc: 0.62, map: 0.32, 'recall@50': 0.52 };
const BAD = { gauc: 0.5, map: 0.2, 'recall@50': 0.4 };

const rpc = <Res = any>(method: string, req: object, t: Target = op) => call<object, Res>(t, clientOf('RegistryService', t), method, req);

function register(name: string, datasetId: string, label: string, tags: Record<string, string> = {}) {
  return upload<object, any>(op, clientOf('RegistryService', op), 'CreateModelVersion', [
    { header: { model: M, version_name: name, arch: 'two-tower-base', task: 'binary', label, buckets: 'equi-quantile:10', dataset_id: datasetId, tags } },
    { chunk: { file_name: 'user_tower.onnx', data: Buffer.from(name) } }]);
}

const section = (o: Partial<SectionSpec> = {}): SectionSpec => ({ candidate: everyDay(DAYS, GOOD), baseline: everyDay(DAYS, BASE), ...o });

/** Stores a succeeded evaluation of version 2 (cand) against version 1 (prod-p90), as the evaluation service does. */
async function evaluation(id: string, o: { target?: string; datasetId?: string; protocol?: string; report: Record<string, unknown>; candidate?: number;
  group?: string }) {
  const params = { ...(o.protocol ? { protocol: o.protocol } : {}), ...(o.group ? { group: o.group, candidateName: o.group, members: [] } : {}) };
  await store.saveEvaluation({ id, model: M, candidate: o.candidate ?? 2, baseline: 1, datasetId: o.datasetId ?? 'ds-w', target: o.target ?? 'wtg',
    state: 'succeeded', report: o.report, params: Object.keys(params).length ? params : null, createdBy: 'evaluation' });
}

before(async () => {
  tp = await startTestPlatform({ services: ['registry'] });
  op = await tp.target('operator');
  admin = await tp.target('admin');
  store = new RegistryStore(tp.platform.ctx.db, tp.platform.ctx.artifacts);
  // A dataset the feature service built with the pcc98 label: a policy naming it takes its label as the target.
  await tp.platform.ctx.db.pool.query(`INSERT INTO datasets (id, state, source, spec, created_by) VALUES ('ds-c', 'ready', 'test', $1, 'test')`,
    [JSON.stringify({ label: 'pcc98', window: '2022-04-25..2022-05-04', trainFrac: 0.6, task: 'binary', buckets: 'equi-quantile:10', timezone: 'Asia/Kolkata' })]);
  await rpc('CreateModel', { model_id: M });
  await register('prod-p90', 'ds-p', 'p90');
  await register('cand', 'ds-w', 'wtg');
  await register('cand-2', 'ds-w', 'wtg');
  assert.equal((await rpc<any>('PromoteModelVersion', { model: M, version: 'prod-p90' })).note, 'first promotion of the model: no gate');
});
after(async () => { await tp?.stop(); });

test('the gate refuses evaluations of another target or protocol and names the evaluation to run; --evaluation picks a named one', async () => {
  const both = evaluationReport({ viewed: section(), catalog: section(), target: 'wtg', datasetId: 'ds-w' });
  await evaluation('ev-viewed', { protocol: 'viewed', report: evaluationReport({ viewed: section(), target: 'wtg', datasetId: 'ds-w' }) });
  await evaluation('ev-pcc', { target: 'pcc98', protocol: 'both', report: both });
  // The default policy: the candidate's dataset (ds-w), its label (wtg, from the version: ds-w is not in this
  // database's datasets table), protocol catalog. Neither evaluation is one.
  const none = await rpcError(rpc('PromoteModelVersion', { model: M, version: 'cand' }));
  assert.equal(none.code, status.FAILED_PRECONDITION);
  assert.match(none.details, /no succeeded evaluation of "cand" \(version 2\) against version 1 on dataset ds-w, target wtg, protocol catalog/);
  assert.match(none.details, /the newest evaluation of the two, "ev-pcc", is of dataset ds-w, target pcc98, protocol both/);
  assert.ok(none.details.includes('run `modelops evaluate gate-ranker cand --baseline prod-p90 --dataset ds-w --target wtg --protocol catalog`'), none.details);

  // Named, each says what differs.
  const pcc = await rpcError(rpc('PromoteModelVersion', { model: M, version: 'cand', evaluation_id: 'ev-pcc' }));
  assert.equal(pcc.code, status.FAILED_PRECONDITION);
  assert.match(pcc.details, /evaluation "ev-pcc" does not match the gate: its target is pcc98, the gate's is wtg;/);
  assert.doesNotMatch(pcc.details, /protocol is/); // "both" serves the catalog protocol
  const viewed = await rpcError(rpc('PromoteModelVersion', { model: M, version: 'cand', evaluation_id: 'ev-viewed' }));
  assert.match(viewed.details, /evaluation "ev-viewed" does not match the gate: its protocol is viewed, the gate's is catalog/);
  const other = await rpcError(rpc('PromoteModelVersion', { model: M, version: 'cand-2', evaluation_id: 'ev-viewed' }));
  assert.match(other.details, /its candidate is version 2, the promotion's is version 3 \("cand-2"\); its protocol is viewed/);
  assert.equal((await rpcError(rpc('PromoteModelVersion', { model: M, version: 'cand', evaluation_id: 'no-such-evaluation' }))).code, status.NOT_FOUND);
  assert.equal((await rpcError(rpc('PromoteModelVersion', { model: M, version: 'cand', evaluation_id: '' }))).code, status.INVALID_ARGUMENT);

  // A matching good one, then a newer matching bad one: the gate reads the newest, unless told otherwise.
  await evaluation('ev-good', { protocol: 'catalog', report: evaluationReport({ catalog: section(), target: 'wtg', datasetId: 'ds-w' }) });
  await evaluation('ev-bad', { protocol: 'both', report: evaluationReport({ viewed: section(), catalog: section({ candidate: everyDay(DAYS, BAD) }), target: 'wtg', datasetId: 'ds-w' }) });
  const newest = await rpc<any>('PromoteModelVersion', { model: M, version: 'cand', validate_only: true });
  assert.deepEqual([newest.outcome, newest.evaluation_id, newest.gate.passed], ['checked', 'ev-bad', false]);
  const named = await rpc<any>('PromoteModelVersion', { model: M, version: 'cand', evaluation_id: 'ev-good' });
  assert.deepEqual([named.outcome, named.evaluation_id, named.target, named.protocol, named.dataset_id], ['done', 'ev-good', 'wtg', 'catalog', 'ds-w']);
  // 3 metrics x 3 days + 3 metrics x 2 sanity baselines, all passing.
  assert.equal(named.gate.checks.length, 15);
  const events = (await rpc<any>('ListAuditEvents', { model: M, actions: ['promote'], page_size: 100 })).events;
  const done = JSON.parse(events[0].detail_json);
  assert.deepEqual([done.evaluationId, done.target, done.protocol, done.datasetId], ['ev-good', 'wtg', 'catalog', 'ds-w']);
  assert.equal(events.filter((e: any) => e.outcome === 'refused').length, 4);
  // Back to prod-p90 for the next test.
  await rpc('RollbackModel', { model: M });
});

test('uninformative metrics are skipped, a policy of only uninformative metrics refuses, a partial day is skipped', async () => {
  // cand-2 (3) vs prod-p90 (1). recall@50 is worse than the baseline everywhere, but uninformative.
  const reason = 'K=50 >= the median evaluated list length (3)';
  await evaluation('ev-uninf', { candidate: 3, protocol: 'both', report: evaluationReport({ viewed: section(), target: 'wtg', datasetId: 'ds-w',
    catalog: section({ candidate: everyDay(DAYS, { ...GOOD, 'recall@50': 0.1 }), uninformative: { 'recall@50': reason } }) }) });
  const dry = await rpc<any>('PromoteModelVersion', { model: M, version: 'cand-2', validate_only: true });
  assert.equal(dry.gate.passed, true);
  const skipped = dry.gate.checks.filter((c: any) => c.skipped);
  assert.deepEqual(skipped.map((c: any) => `${c.metric}|${c.scope}|${c.note}`), [`recall@50|every day|not informative: ${reason}`]);
  assert.match(dry.note, /gate passed: all 10 counted checks on 3 gated test day\(s\), 1 skipped/);

  // Only recall@50 in the policy: nothing left to count, refused saying why.
  await rpc('SetGatePolicy', { model: M, policy: { thresholds: [{ metric: 'recall@50', min_absolute_change: -0.005 }] } }, admin);
  const refused = await rpcError(rpc('PromoteModelVersion', { model: M, version: 'cand-2' }));
  assert.equal(refused.code, status.FAILED_PRECONDITION);
  assert.match(refused.details, /every metric of the gate policy is uninformative in this evaluation: recall@50 \(K=50 >= the median evaluated list length \(3\)\)/);
  assert.match(refused.details, /recall@50\s+every day\s+0\.1000\s+0\.5000\s+-\s+skipped \(not informative/);

  // A partial first day (120 lists, not gated) where the candidate is far worse: skipped, the rest passes.
  await rpc('SetGatePolicy', { model: M, policy: { thresholds: [{ metric: 'gauc', min_absolute_change: -0.005 }, { metric: 'map', min_absolute_change: -0.005 }] } }, admin);
  await evaluation('ev-partial', { candidate: 3, protocol: 'catalog', report: evaluationReport({ target: 'wtg', datasetId: 'ds-w',
    catalog: section({ candidate: { ...everyDay(DAYS, GOOD), [DAYS[0]]: BAD }, notGated: { [DAYS[0]]: { lists: 120, reason: '120 evaluated lists, fewer than 200: reported, not gated' } } }) }) });
  const partial = await rpc<any>('PromoteModelVersion', { model: M, version: 'cand-2' });
  assert.equal(partial.outcome, 'done');
  assert.equal(partial.evaluation_id, 'ev-partial');
  assert.deepEqual(partial.gate.days, DAYS.slice(1));
  const day0 = partial.gate.checks.filter((c: any) => c.scope === DAYS[0]);
  assert.equal(day0.length, 1);
  assert.equal(day0[0].skipped, true);
  assert.equal(day0[0].note, 'day not gated: 120 evaluated lists, fewer than 200: reported, not gated');
  await rpc('RollbackModel', { model: M });
});

test('a policy naming dataset and protocol: the target follows the dataset, and an old viewed evaluation serves it with a note', async () => {
  await rpc('SetGatePolicy', { model: M, policy: { thresholds: [{ metric: 'map', min_absolute_change: -0.005 }], dataset_id: 'ds-c', protocol: 'viewed',
    must_beat: { names: ['random'] } } }, admin);
  const shown = await rpc<any>('GetGatePolicy', { model: M });
  assert.deepEqual([shown.policy.dataset_id, shown.policy.protocol, shown.policy.target, shown.policy.must_beat.names], ['ds-c', 'viewed', '', ['random']]);
  // ds-c was built with pcc98: the gate asks for a pcc98 evaluation on it.
  const none = await rpcError(rpc('PromoteModelVersion', { model: M, version: 'cand' }));
  assert.ok(none.details.includes('`modelops evaluate gate-ranker cand --baseline prod-p90 --dataset ds-c --target pcc98 --protocol viewed`'), none.details);
  // An evaluation made before protocols (no params.protocol, no `protocols` in the report) is a viewed one.
  await evaluation('ev-old', { datasetId: 'ds-c', target: 'pcc98', report: { overall: GOOD, by_day: everyDay(DAYS, GOOD), baseline: { overall: BASE, by_day: everyDay(DAYS, BASE) } } });
  const old = await rpc<any>('PromoteModelVersion', { model: M, version: 'cand', validate_only: true });
  assert.equal(old.evaluation_id, 'ev-old');
  assert.equal(old.gate.passed, true);
  assert.match(old.note, /made before saturation checks/);
  assert.deepEqual(old.gate.checks.filter((c: any) => c.skipped).map((c: any) => c.condition), ['beats:random']);
  // The catalog protocol cannot be served by it.
  await rpc('SetGatePolicy', { model: M, policy: { thresholds: [{ metric: 'map', min_absolute_change: -0.005 }], dataset_id: 'ds-c' } }, admin);
  const catalog = await rpcError(rpc('PromoteModelVersion', { model: M, version: 'cand', evaluation_id: 'ev-old' }));
  assert.match(catalog.details, /evaluation "ev-old" does not match the gate: its protocol is viewed, the gate's is catalog/);
  await assert.rejects(rpc('SetGatePolicy', { model: M, policy: { thresholds: [{ metric: 'map', min_value: 0 }], protocol: 'both' } }, admin),
    (e: any) => e.code === status.INVALID_ARGUMENT);
});

test('a seed group\'s evaluation is decided on its pooled intervals; min_seeds asks for one and names the group\'s first version', async () => {
  await rpc('SetGatePolicy', { model: M, policy: { thresholds: [{ metric: 'gauc', min_absolute_change: -0.005 }, { metric: 'map', min_absolute_change: -0.005 }] } }, admin);
  // Group "grp": versions 4 and 5 (seeds 42, 43). Its first seed beats every sanity baseline on user-only intervals;
  // pooled over users and seeds, the interval against each sanity baseline reaches below 0.
  await register('grp', 'ds-w', 'wtg', { seed_group: 'grp', seed: '42' });
  await register('grp-s2', 'ds-w', 'wtg', { seed_group: 'grp', seed: '43' });
  const first = evaluationReport({ catalog: section(), target: 'wtg', datasetId: 'ds-w' });
  const wide: GroupSpec = { candidate: everyDay(DAYS, GOOD), baseline: everyDay(DAYS, BASE), sanityCi: { user: [0.01, 0.05], pooled: [-0.01, 0.07] } };
  await evaluation('ev-grp-seed1', { candidate: 4, protocol: 'catalog', report: first });
  await evaluation('ev-grp', { candidate: 4, protocol: 'catalog', group: 'grp', report: withGroup(first, { group: 'grp', seeds: 2, catalog: wide }) });
  const seed1 = await rpc<any>('PromoteModelVersion', { model: M, version: 'grp', evaluation_id: 'ev-grp-seed1', validate_only: true });
  assert.deepEqual([seed1.gate.passed, seed1.gate.intervals, seed1.gate.seeds, seed1.gate.seed_group], [true, 'user', 1, '']);
  const refused = await rpcError(rpc('PromoteModelVersion', { model: M, version: 'grp', evaluation_id: 'ev-grp' }));
  assert.equal(refused.code, status.FAILED_PRECONDITION);
  assert.match(refused.details, /pooled 95% intervals \(users \+ 2 seeds of group grp\)/);
  assert.match(refused.details, /gauc\s+overall\s+0\.6200\s+0\.1000\s+beats random \(ci95 -0\.0100\.\.0\.0700\)\s+FAIL/);
  const dry = await rpc<any>('PromoteModelVersion', { model: M, version: 'grp', evaluation_id: 'ev-grp', validate_only: true });
  assert.deepEqual([dry.gate.passed, dry.gate.intervals, dry.gate.seeds, dry.gate.seed_group], [false, 'pooled', 2, 'grp']);
  const beats = dry.gate.checks.filter((c: any) => c.condition.startsWith('beats:'));
  assert.equal(beats.length, 4);
  for (const c of beats) assert.deepEqual([c.passed, c.ci95_low, c.ci95_high], [false, -0.01, 0.07]);
  // A group is promoted as its first version: its evaluation does not serve a later seed.
  const later = await rpcError(rpc('PromoteModelVersion', { model: M, version: 'grp-s2', evaluation_id: 'ev-grp' }));
  assert.match(later.details, /it is the evaluation of seed group "grp", which is promoted as its first version \("grp", version 4\), not "grp-s2"/);

  // min_seeds 2: the gate reads the newest group evaluation, passing over a newer single one.
  await rpc('SetGatePolicy', { model: M, policy: { thresholds: [{ metric: 'gauc', min_absolute_change: -0.005 }], min_seeds: 2 } }, admin);
  assert.equal((await rpc<any>('GetGatePolicy', { model: M })).policy.min_seeds, 2);
  assert.equal((await rpcError(rpc('SetGatePolicy', { model: M, policy: { thresholds: [{ metric: 'gauc', min_value: 0 }], min_seeds: 21 } }, admin))).code,
    status.INVALID_ARGUMENT);
  await evaluation('ev-grp-narrow', { candidate: 4, protocol: 'catalog', group: 'grp',
    report: withGroup(first, { group: 'grp', seeds: 2, catalog: { ...wide, sanityCi: { user: [0.01, 0.05], pooled: [0.002, 0.058] } } }) });
  await evaluation('ev-grp-seed1-again', { candidate: 4, protocol: 'catalog', report: first });
  const done = await rpc<any>('PromoteModelVersion', { model: M, version: 'grp' });
  assert.deepEqual([done.outcome, done.evaluation_id, done.gate.intervals], ['done', 'ev-grp-narrow', 'pooled']);
  assert.deepEqual(done.gate.checks.filter((c: any) => c.condition === 'min_seeds').map((c: any) => [c.passed, c.candidate, c.threshold]), [[true, 2, 2]]);
  await rpc('RollbackModel', { model: M });
  // A later seed finds no group evaluation of its own, and is told to promote the group's first version.
  const s2 = await rpcError(rpc('PromoteModelVersion', { model: M, version: 'grp-s2' }));
  assert.match(s2.details, /no succeeded seed-group evaluation of "grp-s2" \(version 5\)/);
  assert.ok(s2.details.includes('"grp-s2" is a later seed of group "grp", and a seed group is promoted as its first version: run '
    + '`modelops evaluate gate-ranker --group grp --baseline prod-p90 --dataset ds-w --target wtg --protocol catalog`, then promote "grp"'), s2.details);
  // One version's evaluation, named, is refused by the min_seeds row.
  const single = await rpcError(rpc('PromoteModelVersion', { model: M, version: 'grp', evaluation_id: 'ev-grp-seed1-again' }));
  assert.match(single.details, /\*\s+evaluation\s+-\s+-\s+>= 2\.0000\s+FAIL \(the evaluation is of one version; the gate policy asks for a seed-group evaluation of at least 2 seeds\)/);
});
