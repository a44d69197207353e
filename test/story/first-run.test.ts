// `npm start` on a fresh home: the platform comes up on the embedded default, runs the first-run story end
// to end through the API (smaller data, one epoch), keeps serving, and answers Score with the rollout arms.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../../services/common/embedded';
import { BIN, cliJson } from '../helpers/cli';

test('modelops start runs the first-run story and keeps serving', { timeout: 900_000 }, async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-story-'));
  fs.chmodSync(home, 0o755);
  const addr = `127.0.0.1:${await freePort()}`;
  const env: NodeJS.ProcessEnv = { ...process.env, MODELOPS_HOME: home, MODELOPS_LOG_LEVEL: 'warn',
    MODELOPS_STORY_USERS: '400', MODELOPS_STORY_ITEMS: '60', MODELOPS_STORY_EPOCHS: '1' };
  for (const k of ['DATABASE_URL', 'S3_ENDPOINT', 'MODELOPS_TOKEN']) delete env[k];
  const child = spawn(process.execPath, [BIN, 'start', '--addr', addr, '--metrics-addr', 'off'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (stderr.includes('modelops is serving on')) { clearInterval(timer); resolve(); }
        if (stderr.includes('the first-run story stopped')) { clearInterval(timer); reject(new Error(stderr.slice(-4000))); }
      }, 250);
      child.on('exit', (code) => { clearInterval(timer); reject(new Error(`start exited ${code}: ${stderr.slice(-4000)}`)); });
    });
    for (const step of ['1/7', '2/7', '3/7', '4/7', '5/7', '6/7', '7/7']) assert.ok(stderr.includes(step), `story step ${step}`);
    // The story's output is for people: the server's JSON log lines go to a file under the home, and it says where.
    const logFile = path.join(home, 'logs', 'serve.log');
    assert.ok(stderr.includes(`server logs: ${logFile}`), 'the output names the log file');
    assert.deepEqual(stderr.split('\n').filter((l) => l.startsWith('{"level"')), [], 'no JSON log lines in the story');
    // Every data build ends at 100% with its counts.
    assert.equal((stderr.match(/\] 100% [^\n]*: ready/g) ?? []).length, 4, 'four data builds reach 100%');
    // The summary: the winner with its delta and interval on both protocols, the sanity baselines, the gate's decision.
    const summary = stderr.slice(stderr.indexOf('==== Summary ===='));
    assert.ok(summary.length > 100, `a summary is printed: ${stderr.slice(-3000)}`);
    const winner = /Winner: (prod-wtg-[12]) \(largest viewed-protocol gauc gain over prod-p90\)/.exec(summary);
    assert.ok(winner, summary);
    assert.match(summary, new RegExp(`${winner![1]}, viewed protocol: gauc \\d\\.\\d{4} vs prod-p90 \\d\\.\\d{4}, [+-]\\d\\.\\d{4} \\([+-][\\d.]+%\\) \\[95% [+-]\\d\\.\\d{4}, [+-]\\d\\.\\d{4}\\]`));
    assert.match(summary, /catalog protocol: gauc/);
    assert.match(summary, /higher-is-better/);
    assert.match(summary, /viewed: random \d\.\d{4}, /);
    assert.match(summary, new RegExp(`Gate: (PROMOTED|REFUSED) ${winner![1]}`));
    // The rollout readout: both arms saw simulated views with a positive mean watch time.
    const armLines = summary.split('\n').filter((l) => /^  prod-[\w-]+( \(control\))?: \d+ views/.test(l));
    assert.equal(armLines.length, 2, summary);
    for (const l of armLines) {
      const m = /: (\d+) views, (\d+) users; watch time (\d+\.\d+) s/.exec(l);
      assert.ok(m && Number(m[1]) > 0 && Number(m[2]) > 0 && Number(m[3]) > 0, `non-zero readout: ${l}`);
    }
    assert.match(summary, /Guardrail watch_time<-3%@1000: /);
    const cliEnv = { ...env, MODELOPS_ADDR: addr };
    const versions = await cliJson<{ versions: { name: string }[] }>(['versions', 'list', 'feed-ranker-hi'], cliEnv);
    assert.deepEqual(versions.versions.map((v) => v.name).sort(), ['prod-p90', 'prod-wtg-1', 'prod-wtg-2']);
    const status = await cliJson<{ rollout: { state: string; arms: unknown[] } }>(['rollout', 'status', 'feed-ranker-hi'], cliEnv);
    assert.equal(status.rollout.state, 'active');
    const arms = new Set<string>();
    for (let u = 0; u < 40; u++) {
      const r = await cliJson<{ arm: string; version_name: string; items: unknown[] }>(['score', 'feed-ranker-hi', '--user', `u${u}`, '--items', 'v1,v2,v3,v4', '--top-k', '2'], cliEnv);
      assert.equal(r.items.length, 2);
      assert.equal(r.arm, r.version_name, 'arms are named by their version');
      arms.add(r.arm);
    }
    assert.ok(arms.size >= 1);
  } finally {
    const code = await new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); });
    assert.equal(code, 0, stderr.slice(-2000));
    fs.rmSync(home, { recursive: true, force: true });
  }
});
