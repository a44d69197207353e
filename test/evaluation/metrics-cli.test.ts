// `modelops metrics compute` end to end through the real binary: a tiny CSV whose metrics are worked out by
// hand (the same case as ml/metrics/evaluate.test.ts), the report shape, and input errors.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliJson, runCli } from '../helpers/cli';

// day 2022-05-01: u0 candidate ranks b (relevant) 2nd -> RR 1/2; u1 ranks a (relevant) 1st -> RR 1;
// u2 has one non-relevant row (excluded, counted). day 2022-05-02: u0 ranks b over a (relevant) -> RR 1/2.
// baseline_score negates the score: RRs 1/2, 1/3, 1 -> MRR 11/18; candidate MRR 2/3; delta 1/18.
const CSV = `user_id,item_id,score,label,timespent_s,video_length_s,wtg,day,baseline_score
u0,a,3,0,5,10,-0.5,2022-05-01,-3
u0,b,2,1,10,10,1.0,2022-05-01,-2
u0,c,1,0,1,20,-1,2022-05-01,-1
u1,a,3,1,9,10,0.8,2022-05-01,-3
u1,b,2,0,2,10,-0.3,2022-05-01,-2
u1,c,1,0,3,20,-0.9,2022-05-01,-1
u2,d,5,0,3,40,-0.2,2022-05-01,-5
u0,a,1,1,10,10,1.2,2022-05-02,-1
u0,b,2,0,1,10,-1,2022-05-02,-2
`;

function tmpFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-metrics-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

test('metrics compute prints the evaluation shape with hand-checked values', async () => {
  const file = tmpFile('scores.csv', CSV);
  const r = await cliJson(['metrics', 'compute', '--input', file, '--k', '1,2', '--resamples', '200'], process.env);
  for (const key of ['overall', 'by_day', 'by_group', 'delta', 'users', 'definitions']) assert.ok(key in r, key);
  assert.ok(Math.abs(r.overall.mrr - 2 / 3) < 1e-12);
  assert.ok(Math.abs(r.by_day['2022-05-01'].mrr - 0.75) < 1e-12);
  assert.ok(Math.abs(r.delta.overall.mrr.delta - 1 / 18) < 1e-12);
  assert.equal(r.delta.consistent_across_days.mrr, false);
  assert.equal(r.users.evaluated, 3);
  assert.equal(r.users.only_non_relevant, 1);
  // watch_time@1 of the candidate: day 1 tops a(5 s) for u0 and a(9 s) for u1; day 2 tops b(1 s): (5+9+1)/3 = 5.
  assert.ok(Math.abs(r.overall['watch_time@1'] - 5) < 1e-9);
  // pcc = timespent/length: u0 day 2's top row b watched 1 of 10 s -> pcc98_rate@1 = 0 on that day.
  assert.equal(r.by_day['2022-05-02']['pcc98_rate@1'], 0);
  assert.ok(Object.keys(r.by_group).length >= 2);
  assert.ok(r.definitions['recall@2'].includes('|relevant|'));
  assert.equal(r.input.rows, 9);
  const ci = r.delta.overall.mrr.ci95;
  assert.ok(Array.isArray(ci) && ci[0] <= ci[1]);
});

test('metrics compute says which column is missing and exits 2', async () => {
  const file = tmpFile('bad.csv', 'user_id,item_id,label\nu,a,1\n');
  const res = await runCli(['metrics', 'compute', '--input', file], process.env);
  assert.equal(res.code, 2);
  assert.match(res.stderr, /lacks score/);
  const bad = tmpFile('bad2.csv', 'user_id,item_id,score,label\nu,a,x,1\n');
  const res2 = await runCli(['metrics', 'compute', '--input', bad], process.env);
  assert.equal(res2.code, 2);
  assert.match(res2.stderr, /line 2: score "x"/);
});

test('metrics compute reads stdin with --input -; without day and baseline: one list per user, no delta', async () => {
  // u0: a(0.9, relevant) above b(0.1) -> RR 1; u1: c(0.2, relevant) below d(0.8) -> RR 1/2. MRR = 3/4.
  const csv = 'user_id,item_id,score,label\nu0,a,0.9,1\nu0,b,0.1,0\nu1,c,0.2,1\nu1,d,0.8,0\n';
  const res = await runCli(['metrics', 'compute', '--input', '-', '--k', '1', '--json'], process.env, csv);
  assert.equal(res.code, 0, res.stderr);
  const r = JSON.parse(res.stdout);
  assert.equal(r.overall.mrr, 0.75);
  assert.equal(r.delta, null);
  assert.deepEqual(r.by_day, {});
  assert.equal(r.users.lists, 2);
});
