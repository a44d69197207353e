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
