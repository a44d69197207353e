// The `modelops rollout` CLI against a real server: start, ramp, outcomes from a JSON-lines file, status,
// list, stop, with --json, human output, usage errors (exit 2) and gRPC codes in failures.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTestPlatform, type TestPlatform } from '../helpers/platform';
import { cliJson, runCli } from '../helpers/cli';
import { modelWithVersions } from './fixtures';

let tp: TestPlatform;
let env: NodeJS.ProcessEnv;
const M = 'cli-model';

before(async () => {
  tp = await startTestPlatform({ services: ['rollout'] });
  env = await tp.env('operator');
  await modelWithVersions(tp, M, ['prod-p90', 'prod-wtg-1', 'prod-wtg-2']);
});
after(async () => { await tp?.stop(); });

test('rollout start/ramp/outcomes/status/list/stop through the CLI', async () => {
  const bad = await runCli(['rollout', 'start', M, 'prod-wtg-2:10'], env);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /version=weight/);
  const badRule = await runCli(['rollout', 'start', M, 'prod-wtg-2=10', '--guardrail', 'watch_time>3%'], env);
  assert.equal(badRule.code, 2);
  assert.match(badRule.stderr, /METRIC<-P%@N/);
  // Progressive flags: the interval is a duration with a unit, and needs steps (and the other way round).
  for (const [flags, why] of [[['--steps', '5,10'], /--step-interval is required/], [['--steps', '10,5', '--step-interval', '1h'], /not ascending/],
    [['--steps', '5,10', '--step-interval', '1 hour'], /for example 1h/], [['--step-interval', '1h'], /needs --steps/]] as const) {
    const r = await runCli(['rollout', 'start', M, 'prod-wtg-2=5', ...flags], env);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, why);
  }

  const started = await cliJson(['rollout', 'start', M, 'prod-p90=80', 'prod-wtg-2=10', 'prod-wtg-1=10', '--shadow', 'prod-wtg-1',
    '--guardrail', 'watch_time<-3%@1000', '--reason', 'cli test'], env).catch((e: Error) => e);
  // prod-wtg-1 cannot be both an arm and a shadow version.
  assert.ok(started instanceof Error && /INVALID_ARGUMENT/.test(started.message));
  const ok = await cliJson<{ rollout: { id: string; state: string; guardrails: string[]; arms: { version: string; weight: number }[] } }>(
    ['rollout', 'start', M, 'prod-p90=80', 'prod-wtg-2=20', '--shadow', 'prod-wtg-1', '--guardrail', 'watch_time<-3%@1000'], env);
  assert.equal(ok.rollout.state, 'active');
  assert.deepEqual(ok.rollout.guardrails, ['watch_time<-3%@1000']);

  const dup = await runCli(['rollout', 'start', M, 'prod-wtg-2=20'], env);
  assert.notEqual(dup.code, 0);
  assert.match(dup.stderr, /ALREADY_EXISTS/);

  const ramped = await cliJson<{ rollout: { arms: { version: string; weight: number }[] }; moved_arms: string[] }>(['rollout', 'ramp', M, 'prod-wtg-2=50'], env);
  assert.deepEqual(ramped.rollout.arms.map((a) => `${a.version}=${a.weight}`), ['prod-p90=50', 'prod-wtg-2=50']);

  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mo-rollout-')), 'views.jsonl');
  const now = Date.now();
  fs.writeFileSync(file, Array.from({ length: 50 }, (_, i) => JSON.stringify({ user_id: `u${i % 20}`, item_id: `v${i}`, timespent_s: 10 + (i % 7),
    video_length_s: 20, liked: i % 3 === 0, time: now + i })).join('\n') + '\n');
  const rec = await cliJson<{ accepted: number; duplicates: number; state: string }>(['rollout', 'outcomes', M, '--file', file, '--batch-size', '20'], env);
  assert.deepEqual([rec.accepted, rec.duplicates, rec.state], [50, 0, 'active']);

  const status = await cliJson<{ rollout: { history: { kind: string }[] }; arms: { arm: string; views: number; users: number }[] }>(['rollout', 'status', M], env);
  assert.deepEqual(status.rollout.history.map((h) => h.kind), ['start', 'ramp']);
  assert.equal(status.arms.reduce((s, a) => s + a.views, 0), 50);
  assert.equal(status.arms.reduce((s, a) => s + a.users, 0), 20);
  const human = await runCli(['rollout', 'status', M], env);
  assert.equal(human.code, 0);
  assert.match(human.stdout, /readout \(95% intervals, user-clustered\)/);
  assert.match(human.stdout, /prod-p90 \(control\)/);

  const stopped = await cliJson<{ rollout: { state: string; stop_reason: string } }>(['rollout', 'stop', M, '--reason', 'enough'], env);
  assert.deepEqual([stopped.rollout.state, stopped.rollout.stop_reason], ['stopped', 'enough']);
  const again = await runCli(['rollout', 'stop', M], env);
  assert.match(again.stderr, /FAILED_PRECONDITION/);
  const listed = await cliJson<{ rollouts: { id: string; state: string }[] }>(['rollout', 'list', M], env);
  assert.deepEqual(listed.rollouts.map((r) => [r.id, r.state]), [[ok.rollout.id, 'stopped']]);
  // A reader cannot start one.
  const reader = await runCli(['rollout', 'start', M, 'prod-wtg-2=10'], await tp.env('reader'));
  assert.match(reader.stderr, /PERMISSION_DENIED/);
});
