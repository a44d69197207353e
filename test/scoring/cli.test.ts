// `modelops score` as a user runs it (the real binary, a child process) against a scoring server.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { runCli, cliJson } from '../helpers/cli';
import { startScoringHarness, type ScoringHarness } from './harness';

let h: ScoringHarness;
let env: NodeJS.ProcessEnv;

before(async () => {
  h = await startScoringHarness();
  ['v1', 'v2', 'v3'].forEach((i) => h.features.items.add(i));
  h.features.users.add('u1');
  await h.register('feed-ranker-hi', 'prod-p90', 5);
  await h.promote('feed-ranker-hi', 'prod-p90');
  env = { ...process.env, MODELOPS_ADDR: h.addr, MODELOPS_LOG_LEVEL: 'silent', MODELOPS_TOKEN: '' };
});
after(async () => { await h?.stop(); });

test('score --model ... --json: ranked items with version, arm, unknown items and request id', async () => {
  const out = await cliJson<{ model_version: string; version_name: string; arm: string; request_id: string; cold_start_user: boolean;
    unknown_item_ids: string[]; items: { rank: number; item_id: string; score: number }[] }>(
    ['score', '--model', 'feed-ranker-hi', '--user', 'u1', '--items', 'v1,v2,ghost,v3', '--top-k', '2', '--request-id', 'cli-1'], env);
  assert.equal(out.model_version, 'models/feed-ranker-hi/versions/1');
  assert.equal(out.version_name, 'prod-p90');
  assert.equal(out.arm, 'production');
  assert.equal(out.request_id, 'cli-1');
  assert.equal(out.cold_start_user, false);
  assert.deepEqual(out.unknown_item_ids, ['ghost']);
  assert.deepEqual(out.items.map((i) => i.rank), [1, 2]);
  assert.ok(out.items[0].score >= out.items[1].score);
});

test('the model as first argument; human output; errors exit non-zero with the gRPC code', async () => {
  const r = await runCli(['score', 'feed-ranker-hi', '--user', 'newbie', '--items', 'v1,v2'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /models\/feed-ranker-hi\/versions\/1 \(prod-p90\)/);
  assert.match(r.stdout, /cold_start_user\s+true/);
  assert.match(r.stdout, /RANK\s+ITEM_ID\s+SCORE/);
  const missing = await runCli(['score', 'nope', '--user', 'u1', '--items', 'v1'], env);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /NOT_FOUND/);
  const usage = await runCli(['score', 'feed-ranker-hi', '--items', 'v1'], env);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--user is required/);
});

test('score status: the serving version per model', async () => {
  const st = await cliJson<{ models: { model: string; production_version: string; production_version_name: string; arms: unknown[]; shadow: unknown[] }[]; failures: unknown[];
    retrieval_indexes: { model_version: string; search: string; min_items: number }[] }>(['score', 'status'], env);
  assert.deepEqual(st.models, [{ model: 'feed-ranker-hi', production_version: 'models/feed-ranker-hi/versions/1', production_version_name: 'prod-p90', arms: [], shadow: [] }]);
  assert.deepEqual(st.failures, []);
  // A catalog of a few items: below the index's threshold, so Retrieve searches exactly.
  assert.deepEqual(st.retrieval_indexes.map((x) => [x.model_version, x.search, x.min_items]), [['models/feed-ranker-hi/versions/1', 'exact', 2000000]]);
});

test('retrieve --json: the catalog\'s best items for the user, exclusions left out', async () => {
  const out = await cliJson<{ model_version: string; arm: string; request_id: string; items: { rank: number; item_id: string; score: number }[] }>(
    ['retrieve', 'feed-ranker-hi', '--user', 'u1', '--top-k', '2', '--exclude', 'v1', '--request-id', 'cli-r'], env);
  assert.equal(out.model_version, 'models/feed-ranker-hi/versions/1');
  assert.equal(out.arm, 'production');
  assert.equal(out.request_id, 'cli-r');
  assert.deepEqual(out.items.map((i) => i.item_id).sort(), ['v2', 'v3']);
  const usage = await runCli(['retrieve', 'feed-ranker-hi', '--user', 'u1', '--top-k', '5000'], env);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--top-k: 5000/);
});
