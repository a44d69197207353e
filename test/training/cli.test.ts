// `modelops train ... --follow` and `modelops jobs list|show|cancel` as a user runs them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform } from '../helpers/platform';
import { cliJson, runCli } from '../helpers/cli';
import { RegistryStore } from '../../registry/registry-store';
import { putSyntheticDataset } from './synthetic-dataset';

test('modelops train --follow shows progress and ends with the registered version; jobs list/show/cancel', async () => {
  const tp = await startTestPlatform({ services: ['training', 'registry'] });
  try {
    await new RegistryStore(tp.platform.ctx.db, tp.platform.ctx.artifacts).createModel({ id: 'feed-ranker-hi', createdBy: 'test' });
    await putSyntheticDataset(tp.platform.ctx.artifacts, 'ds-reg', { n: 2000, seed: 9, task: 'regression' });
    const env = await tp.env('operator');
    const r = await runCli(['train', '--model', 'feed-ranker-hi', '--name', 'wtg-reg-1', '--dataset', 'ds-reg', '--arch', 'two-tower-mod',
      '--epochs', '2', '--batch-size', '256', '--hidden', '16,8', '--vector-dim', '8', '--seed', '3', '--follow', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const { job } = JSON.parse(r.stdout);
    assert.equal(job.state, 'succeeded');
    assert.equal(job.task, 'regression');
    assert.equal(job.version, 1);
    assert.ok(job.metrics.val_rmse > 0);
    assert.match(r.stderr, /epoch \d+\/2 .*loss \d.* ex\/s ETA /);

    const listed = await cliJson(['jobs', 'list', '--model', 'feed-ranker-hi'], env);
    assert.deepEqual(listed.jobs.map((j: { id: string }) => j.id), [job.id]);
    const shown = await cliJson(['jobs', 'show', job.id], env);
    assert.equal(shown.job.version_name, 'wtg-reg-1');
    const cancel = await runCli(['jobs', 'cancel', job.id], env);
    assert.notEqual(cancel.code, 0);
    assert.match(cancel.stderr, /FAILED_PRECONDITION/);
    const usage = await runCli(['train', 'feed-ranker-hi', '--name', 'x'], env);
    assert.notEqual(usage.code, 0);
    assert.match(usage.stderr, /--dataset is required/);
  } finally {
    await tp.stop();
  }
});
