// Seed groups end to end over real gRPC, Postgres and S3: `train --seeds` trains a candidate and a baseline group
// of two seeds each on a synthetic dataset (tiny towers, two epochs); a group evaluation pools them against the
// baseline group (gRPC) and against one baseline version (the CLI); the pooled interval is never narrower than
// the user-only one and each seed's delta is that of its own evaluation; the promotion gate reads the group's
// pooled intervals; versions and evaluations carry their provenance (package version, git commit, dataset,
// seeds, full spec).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { startTestPlatform, clientOf, call, rpcError, grpc, type TestPlatform } from '../helpers/platform';
import { cliJson, runCli } from '../helpers/cli';
import { RegistryStore } from '../../registry/registry-store';
import { putSyntheticDataset } from '../training/synthetic-dataset';
import type { Target } from '../../cli/client';
import type { TrainingJob__Output } from '../../proto/gen/modelops/v1/TrainingJob';
import type { Evaluation__Output } from '../../proto/gen/modelops/v1/Evaluation';
import type { ModelVersion__Output } from '../../proto/gen/modelops/v1/ModelVersion';

process.env.MODELOPS_TRAINING_POLL_MS = '300';
const MODEL = 'seed-ranker';
const TINY = { epochs: 2, batch_size: 256, learning_rate: 0.003, hidden: [16], vector_dim: 8, workers: 1 };
const ROOT = path.resolve(__dirname, '../..');
const PACKAGE_VERSION = (require(path.join(ROOT, 'package.json')) as { version: string }).version;

function gitHead(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return ''; // not a checkout: provenance then records no commit
  }
}

async function waitJobs(op: Target, jobs: TrainingJob__Output[]): Promise<void> {
  const training = clientOf('TrainingService', op);
  for (const job of jobs) {
    for (const t0 = Date.now(); ;) {
      const { job: j } = await call<object, { job: TrainingJob__Output }>(op, training, 'GetTrainingJob', { name: job.name });
      if (j.state === 'TRAINING_JOB_STATE_SUCCEEDED') break;
      assert.ok(!['TRAINING_JOB_STATE_FAILED', 'TRAINING_JOB_STATE_CANCELLED'].includes(j.state), `${j.version_name}: ${j.error}`);
      assert.ok(Date.now() - t0 < 240_000, 'training took too long');
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

async function waitEvaluation(op: Target, id: string): Promise<Evaluation__Output> {
  const ev = clientOf('EvaluationService', op);
  for (const t0 = Date.now(); ;) {
    const { evaluation: e } = await call<object, { evaluation: Evaluation__Output }>(op, ev, 'GetEvaluation', { name: id });
    if (!['EVALUATION_STATE_PENDING', 'EVALUATION_STATE_RUNNING'].includes(e.state)) return e;
    assert.ok(e.progress >= 0 && e.progress <= 1);
    assert.ok(Date.now() - t0 < 240_000, 'evaluation took too long');
    await new Promise((r) => setTimeout(r, 300));
  }
}

type GroupDelta = { candidate_mean: number | null; baseline_mean: number | null; delta: number | null; ci95_user: [number, number] | null;
  ci95_pooled: [number, number] | null; per_seed_delta: (number | null)[]; seeds: number };

/** Checks a group report's pooled deltas against its members' own reports. */
function checkGroup(group: { seeds: number; members: { evaluation_id: string }[]; protocols: { viewed: { overall: Record<string, GroupDelta>; sanity: Record<string, unknown> } } },
  memberReports: { protocols: { viewed: { delta: { overall: Record<string, { delta: number | null }> } } } }[]): void {
  assert.equal(group.seeds, 2);
  const overall = group.protocols.viewed.overall;
  let intervals = 0;
  for (const [m, d] of Object.entries(overall)) {
    assert.equal(d.seeds, 2);
    assert.deepEqual(d.per_seed_delta, memberReports.map((r) => r.protocols.viewed.delta.overall[m].delta), m);
    if (d.delta === null) continue;
    assert.ok(Math.abs(d.delta - (d.per_seed_delta[0]! + d.per_seed_delta[1]!) / 2) < 1e-12, m);
    if (d.ci95_user && d.ci95_pooled) {
      intervals++;
      assert.ok(d.ci95_pooled[1] - d.ci95_pooled[0] >= d.ci95_user[1] - d.ci95_user[0] - 1e-15, `${m}: pooled ${d.ci95_pooled} narrower than users ${d.ci95_user}`);
      assert.ok(d.ci95_pooled[0] <= d.delta && d.delta <= d.ci95_pooled[1], m);
    }
  }
  assert.ok(intervals >= 3, `only ${intervals} metrics have both intervals`);
  assert.ok(Object.keys(group.protocols.viewed.sanity).length > 0, 'the group is pooled against the sanity baselines too');
}

test('train --seeds, evaluate --group against a group and a version, with provenance', async () => {
  let tp: TestPlatform | undefined;
  try {
    tp = await startTestPlatform({ services: ['registry', 'training', 'evaluation'] });
    const ctx = tp.platform.ctx;
    await new RegistryStore(ctx.db, ctx.artifacts).createModel({ id: MODEL, createdBy: 'test' });
    await putSyntheticDataset(ctx.artifacts, 'ds-seeds', { n: 2400, seed: 5, task: 'binary' });
    const op = await tp.target('operator');
    const training = clientOf('TrainingService', op);

    // Two groups of two seeds: one request each returns every job, seeds consecutive, named NAME, NAME-s2.
    const start = (name: string, arch: string, seed: number) => call<object, { job: TrainingJob__Output; jobs: TrainingJob__Output[] }>(op, training, 'StartTrainingJob', {
      model: MODEL, version_name: name, dataset_id: 'ds-seeds', arch, hyperparameters: TINY, seed, seeds: 2,
    });
    const cand = await start('cand', 'two-tower-mod', 7);
    assert.deepEqual(cand.jobs.map((j) => [j.version_name, j.seed, j.seed_group]), [['cand', 7, 'cand'], ['cand-s2', 8, 'cand']]);
    assert.equal(cand.job.id, cand.jobs[0].id);
    const base = await start('base', 'two-tower-base', 1);
    // A group whose names are taken (here by queued jobs) starts nothing.
    const before = (await call<object, { jobs: unknown[] }>(op, training, 'ListTrainingJobs', { model: MODEL })).jobs.length;
    assert.equal((await rpcError(start('cand', 'two-tower-mod', 7))).code, grpc.status.ALREADY_EXISTS);
    assert.equal((await call<object, { jobs: unknown[] }>(op, training, 'ListTrainingJobs', { model: MODEL })).jobs.length, before);
    assert.equal((await rpcError(call(op, training, 'StartTrainingJob', { model: MODEL, version_name: 'x', dataset_id: 'ds-seeds', arch: 'two-tower-base', seeds: 21 }))).code,
      grpc.status.INVALID_ARGUMENT);
    await waitJobs(op, [...cand.jobs, ...base.jobs]);

    // Each version is tagged with its group and seed and records its provenance.
    const registry = clientOf('RegistryService', op);
    const { version: v2 } = await call<object, { version: ModelVersion__Output }>(op, registry, 'GetModelVersion', { model: MODEL, version: 'cand-s2' });
    assert.deepEqual({ ...v2.tags }, { seed_group: 'cand', seed: '8' });
    const prov = v2.provenance!;
    assert.equal(prov.code_version, PACKAGE_VERSION);
    assert.equal(prov.git_commit, gitHead());
    assert.deepEqual(prov.dataset_ids, ['ds-seeds']);
    assert.deepEqual(prov.seeds, [8]);
    const spec = JSON.parse(prov.spec_json);
    assert.equal(spec.arch, 'two-tower-mod');
    assert.equal(spec.seed, 8);
    assert.equal(spec.seed_group, 'cand');
    assert.equal(spec.hyperparameters.epochs, 2);

    // Group against group over gRPC.
    const ev = clientOf('EvaluationService', op);
    const { evaluation: created } = await call<object, { evaluation: Evaluation__Output }>(op, ev, 'CreateEvaluation', {
      model: MODEL, group: 'cand', baseline_group: 'base', protocol: 'EVALUATION_PROTOCOL_VIEWED', bootstrap_resamples: 200, ks: [5, 10],
    });
    assert.equal(created.group, 'cand');
    assert.equal(created.member_evaluations.length, 2);
    const done = await waitEvaluation(op, created.id);
    assert.equal(done.state, 'EVALUATION_STATE_SUCCEEDED', done.error);
    assert.equal(done.candidate_version, 'cand');
    assert.equal(done.baseline_version, 'base');
    assert.equal(done.baseline_group, 'base');
    const report = JSON.parse(done.report_json);
    assert.deepEqual(report.group.members.map((m: { candidate_version: string; baseline_version: string; seed: number }) => [m.candidate_version, m.baseline_version, m.seed]),
      [['cand', 'base', 7], ['cand-s2', 'base-s2', 8]]);
    const members = await Promise.all(done.member_evaluations.map((id) => waitEvaluation(op, id)));
    assert.deepEqual(members.map((m) => [m.candidate_version, m.baseline_version]), [['cand', 'base'], ['cand-s2', 'base-s2']]);
    checkGroup(report.group, members.map((m) => JSON.parse(m.report_json)));
    // The report's ordinary part is the first seed's, so the promotion gate reads the version a promotion names.
    assert.deepEqual(report.delta.overall, JSON.parse(members[0].report_json).delta.overall);
    assert.deepEqual(done.provenance!.seeds, [7, 8]);
    assert.deepEqual(done.provenance!.dataset_ids, ['ds-seeds']);
    assert.equal(done.provenance!.code_version, PACKAGE_VERSION);
    assert.equal(JSON.parse(done.provenance!.spec_json).baseline_group, 'base');
    assert.equal(JSON.parse(members[1].provenance!.spec_json).candidate.version, 'cand-s2');

    // The promotion gate reads the group evaluation's pooled intervals (base is production: its first promotion has no gate).
    await call(op, registry, 'PromoteModelVersion', { model: MODEL, version: 'base' });
    const admin = await tp.target('admin');
    await call(admin, clientOf('RegistryService', admin), 'SetGatePolicy', { model: MODEL, policy: { protocol: 'viewed',
      thresholds: [{ metric: 'gauc', min_absolute_change: -1 }], must_beat: { names: ['random'] } } });
    const gated = await call<object, { gate: { intervals: string; seeds: number; seed_group: string; checks: { condition: string; ci95_low?: number; ci95_high?: number }[] } }>(
      op, registry, 'PromoteModelVersion', { model: MODEL, version: 'cand', evaluation_id: done.id, validate_only: true });
    assert.deepEqual([gated.gate.intervals, gated.gate.seeds, gated.gate.seed_group], ['pooled', 2, 'cand']);
    const beatsRow = gated.gate.checks.find((c) => c.condition === 'beats:random')!;
    assert.deepEqual([beatsRow.ci95_low, beatsRow.ci95_high], report.group.protocols.viewed.sanity.random.overall.gauc.ci95_pooled);

    // Group against one version through the CLI; `evaluations show` and `versions show` print the provenance.
    const env = await tp.env('operator');
    const r = await cliJson(['evaluate', MODEL, '--group', 'cand', '--baseline', 'base', '--protocol', 'viewed', '--resamples', '200', '--k', '5,10'], env);
    assert.equal(r.evaluation.state, 'succeeded', r.evaluation.error);
    assert.equal(r.group.baseline_version, 'base');
    assert.deepEqual(r.group.members.map((m: { baseline_version: string }) => m.baseline_version), ['base', 'base']);
    const cliMembers = await Promise.all((r.evaluation.member_evaluations as string[]).map((id) => waitEvaluation(op, id)));
    checkGroup(r.group, cliMembers.map((m) => JSON.parse(m.report_json)));
    assert.deepEqual(r.evaluation.provenance.seeds, [7, 8]);
    // For people: the pooled table beside the first seed's, and the provenance block.
    const human = await runCli(['evaluations', 'show', done.id], env);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /seed group cand vs group base, protocol viewed: 2 seeds/);
    assert.match(human.stdout, /95% users\+seeds/);
    assert.match(human.stdout, /provenance:\n  code      modelops /);
    assert.match((await runCli(['versions', 'show', MODEL, 'cand-s2'], env)).stdout, /seeds     8\n/);
    const shown = await cliJson(['versions', 'show', MODEL, 'cand'], env);
    assert.deepEqual(shown.version.provenance.seeds, [7]);
    assert.equal(shown.version.provenance.spec.arch, 'two-tower-mod');

    // Bad group requests fail with the right codes.
    assert.equal((await rpcError(call(op, ev, 'CreateEvaluation', { model: MODEL, group: 'nope', baseline: 'base' }))).code, grpc.status.NOT_FOUND);
    assert.equal((await rpcError(call(op, ev, 'CreateEvaluation', { model: MODEL, group: 'cand', version: 'cand', baseline: 'base' }))).code, grpc.status.INVALID_ARGUMENT);
    assert.equal((await rpcError(call(op, ev, 'CreateEvaluation', { model: MODEL, group: 'cand', baseline: 'cand-s2' }))).code, grpc.status.INVALID_ARGUMENT);
    assert.equal((await rpcError(call(op, ev, 'CreateEvaluation', { model: MODEL, group: 'cand', baseline_group: 'cand' }))).code, grpc.status.INVALID_ARGUMENT);
  } finally {
    await tp?.stop();
  }
});
