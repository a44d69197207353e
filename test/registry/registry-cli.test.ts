// The registry CLI as a new user runs it from the README: `modelops serve` on the embedded default (its own
// Postgres and S3 in MODELOPS_HOME), then the CLI with no token set (it reads $MODELOPS_HOME/admin-token).
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../../services/common/embedded';
import { BIN, runCli, cliJson } from '../helpers/cli';
import { tinyOnnx } from './tiny-onnx';

let child: ChildProcess | undefined;
let home: string;
let env: NodeJS.ProcessEnv;
let serveErr = '';

before(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-reg-cli-'));
  fs.chmodSync(home, 0o755); // the embedded Postgres runs as the postgres user when we are root
  const addr = `127.0.0.1:${await freePort()}`;
  env = { ...process.env, MODELOPS_HOME: home, MODELOPS_ADDR: addr, MODELOPS_LOG_LEVEL: 'warn' };
  for (const k of ['DATABASE_URL', 'S3_ENDPOINT', 'S3_ACCESS_KEY', 'S3_SECRET_KEY', 'S3_BUCKET', 'MODELOPS_TOKEN', 'MODELOPS_ADMIN_TOKEN']) delete env[k];
  child = spawn(process.execPath, [BIN, 'serve', '--services', 'registry', '--metrics-addr', 'off', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.on('data', (d: Buffer) => { serveErr = (serveErr + d.toString()).slice(-5000); });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${serveErr}`)), 120_000);
    child!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('{"ready"')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child!.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited ${code}: ${serveErr}`)); });
  });
});

after(async () => {
  if (child && child.exitCode === null) {
    await new Promise<void>((resolve) => {
      child!.once('exit', () => resolve());
      child!.kill('SIGTERM');
      setTimeout(() => child!.kill('SIGKILL'), 30_000).unref();
    });
  }
  fs.rmSync(home, { recursive: true, force: true });
});

async function ok(args: string[]): Promise<string> {
  const r = await runCli(args, env);
  assert.equal(r.code, 0, `modelops ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

test('models, versions, promote, refused promote, forced promote, rollback, history, alias, gate, download', async () => {
  const M = 'feed-ranker-hi';
  assert.match(await ok(['models', 'create', M, '--description', 'Hindi feed']), /created model feed-ranker-hi/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-reg-cli-files-'));
  fs.mkdirSync(path.join(dir, 'tfjs'));
  fs.writeFileSync(path.join(dir, 'user_tower.onnx'), 'user tower v1');
  fs.writeFileSync(path.join(dir, 'tfjs', 'model.json'), '{"v":1}');
  const name1 = `prod-p90 "quoted"; ../x ✓`;
  const v1 = await cliJson(['versions', 'register', M, name1, '--dir', dir, '--arch', 'two-tower-base', '--task', 'binary', '--label', 'p90',
    '--metric', 'auc=0.7', '--tag', 'team=feed,hi', '--hyperparameters', '{"lr":0.001}'], env);
  assert.equal(v1.version.name, name1);
  assert.equal(v1.version.number, 1);
  assert.deepEqual(v1.version.tags, { team: 'feed,hi' });
  assert.deepEqual(v1.version.artifacts.map((a: { name: string }) => a.name), ['tfjs/model.json', 'user_tower.onnx', 'manifest.json']);
  fs.writeFileSync(path.join(dir, 'user_tower.onnx'), 'user tower v2');
  await cliJson(['versions', 'register', M, 'prod-wtg-2', '--dir', dir, '--label', 'wtg', '--dataset', 'ds-w'], env);

  const listed = await ok(['versions', 'list', M]);
  assert.match(listed, /NUMBER\s+NAME/);
  assert.match(listed, /prod-wtg-2/);
  assert.equal((await cliJson(['versions', 'show', M, name1], env)).version.number, 1);

  assert.match(await ok(['promote', M, name1]), /production -> .*\(version 1\), done; first promotion/);
  // No evaluation of version 2 against production: refused, non-zero, with the gRPC code and the evaluation to
  // run (the gate's default: the candidate's dataset, its label, the catalog protocol; the odd name quoted).
  const refused = await runCli(['promote', M, 'prod-wtg-2'], env);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /FAILED_PRECONDITION: the promotion gate refused "prod-wtg-2": no succeeded evaluation/);
  assert.ok(refused.stderr.includes(`modelops evaluate feed-ranker-hi prod-wtg-2 --baseline 'prod-p90 "quoted"; ../x ✓' --dataset ds-w --target wtg --protocol catalog`), refused.stderr);
  const dry = await runCli(['promote', M, 'prod-wtg-2', '--dry-run', '--json'], env);
  assert.equal(dry.code, 1);
  const dryOut = JSON.parse(dry.stdout);
  assert.deepEqual([dryOut.outcome, dryOut.evaluation_id, dryOut.target, dryOut.protocol, dryOut.dataset_id], ['checked', null, 'wtg', 'catalog', 'ds-w']);
  const unknown = await runCli(['promote', M, 'prod-wtg-2', '--evaluation', 'ev-none'], env);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /NOT_FOUND: evaluation "ev-none" not found/);
  const noReason = await runCli(['promote', M, 'prod-wtg-2', '--force'], env);
  assert.equal(noReason.code, 2);
  const forced = await cliJson(['promote', M, 'prod-wtg-2', '--force', '--reason', 'evaluated offline'], env);
  assert.equal(forced.outcome, 'forced');
  assert.equal(forced.previous_version, 1);

  const shown = await cliJson(['models', 'show', M], env);
  assert.deepEqual(shown.model.aliases, { previous: { number: 1, name: name1 }, production: { number: 2, name: 'prod-wtg-2' } });

  const rb = await cliJson(['rollback', M, '--reason', 'bad A/B'], env);
  assert.equal(rb.version.name, name1);
  const again = await runCli(['rollback', M], env);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /FAILED_PRECONDITION/);

  const hist = await cliJson(['history', M, '--action', 'promote,rollback'], env);
  assert.deepEqual(hist.events.map((e: { action: string; outcome: string }) => `${e.action}:${e.outcome}`).reverse(),
    ['promote:done', 'promote:refused', 'promote:forced', 'rollback:done']);
  assert.match(await ok(['history', M]), /ACTION\s+OUTCOME/);

  assert.match(await ok(['alias', 'set', M, 'baseline', 'prod-wtg-2']), /baseline -> prod-wtg-2/);
  const denied = await runCli(['alias', 'set', M, 'production', '1'], env);
  assert.equal(denied.code, 1);
  assert.match(denied.stderr, /INVALID_ARGUMENT/);
  await ok(['alias', 'delete', M, 'baseline']);

  const gate = await cliJson(['gate', 'show', M], env);
  assert.equal(gate.is_default, true);
  assert.deepEqual(gate.policy.thresholds.map((t: { rule: string }) => t.rule),
    ['gauc>=baseline-0.005', 'map>=baseline-0.005', 'recall@50>=baseline-0.005']);
  assert.deepEqual([gate.policy.target, gate.policy.protocol, gate.policy.dataset_id, gate.policy.must_beat], [null, 'catalog', null, ['random', 'popular']]);
  assert.match(await ok(['gate', 'show', M]), /evaluation: dataset \(the candidate's training dataset\), target \(the dataset's label\), protocol catalog\n\s+must beat:\s+random, popular/);
  await ok(['gate', 'set', M, '--threshold', 'map>=baseline*0.99', '--threshold', 'gauc>=0.6', '--target', 'pcc98', '--protocol', 'viewed',
    '--dataset', 'ds-w', '--must-beat', 'random,shortest']);
  const shownSet = await ok(['gate', 'show', M]);
  assert.match(shownSet, /map\s+map>=baseline\*0\.99/);
  assert.match(shownSet, /evaluation: dataset ds-w, target pcc98, protocol viewed\n\s+must beat:\s+random, shortest/);
  // No --threshold: the default thresholds; --must-beat none: no sanity baseline.
  const defaults = await cliJson(['gate', 'set', M, '--must-beat', 'none'], env);
  assert.deepEqual([defaults.policy.thresholds.length, defaults.policy.must_beat, defaults.policy.protocol], [3, [], 'catalog']);
  for (const bad of [['--threshold', 'map > 1'], ['--protocol', 'both'], ['--must-beat', 'oracle']]) {
    const r = await runCli(['gate', 'set', M, ...bad], env);
    assert.equal(r.code, 2, `${bad.join(' ')}: ${r.stderr}`);
  }
  assert.match((await runCli(['gate', 'set', M, '--target', 'watch'], env)).stderr, /INVALID_ARGUMENT: policy.target: "watch" is not one of/);

  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-reg-cli-out-'));
  const dl = await cliJson(['versions', 'download', M, '2', '--out', out], env);
  assert.equal(dl.files.length, 3);
  assert.equal(fs.readFileSync(path.join(out, 'user_tower.onnx'), 'utf8'), 'user tower v2');
  assert.equal(fs.readFileSync(path.join(out, 'tfjs', 'model.json'), 'utf8'), '{"v":1}');
  assert.equal(JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')).version, 2);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(out, { recursive: true, force: true });

  assert.match(await ok(['models', 'list']), /feed-ranker-hi\s+production=prod-p90/);
});

test('versions register --onnx: an external model with its declared inputs (dimensions with commas)', async () => {
  const file = path.join(home, 'external.onnx');
  fs.writeFileSync(file, tinyOnnx([{ name: 'x', dtype: 'float32', shape: ['N', 16] }, { name: 'c', dtype: 'int32', shape: ['N', 3] }]));
  const v = await cliJson(['versions', 'register', 'feed-ranker-hi', 'from-sklearn', '--onnx', file,
    '--input', 'x:float32:-1,16', '--input', 'c:int32:N,3', '--task', 'binary', '--origin', 'sklearn-onnx'], env);
  assert.equal(v.version.source, 'external');
  assert.deepEqual(v.version.input_signature, [{ name: 'x', dtype: 'float32', shape: [-1, 16] }, { name: 'c', dtype: 'int32', shape: [-1, 3] }]);
  const wrong = await runCli(['versions', 'register', 'feed-ranker-hi', 'from-sklearn-2', '--onnx', file, '--input', 'x:float32:-1,8'], env);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /INVALID_ARGUMENT: input_signature does not match the ONNX file/);
});
