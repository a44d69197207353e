import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Starts `sh -c 'node watcher; echo'` (the shell stays, as npm's does) and returns the shell and the file the watcher writes. */
function shellWithWatcher(env: NodeJS.ProcessEnv) {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mo-launcher-')), 'gone');
  const script = `require('tsx/cjs'); const { watchLauncher } = require(${JSON.stringify(path.join(__dirname, 'launcher.ts'))});
    watchLauncher((pid) => { require('fs').writeFileSync(${JSON.stringify(out)}, String(pid)); process.exit(0); }, 100);
    require('fs').writeFileSync(${JSON.stringify(`${out}.ready`)}, String(process.pid)); setTimeout(() => process.exit(3), 20000);`;
  // The trailing `echo` keeps the shell from exec'ing node, so node's parent is the shell as under npm.
  const sh = spawn('sh', ['-c', `"${process.execPath}" -e "$0"; echo`, script], { env, stdio: 'ignore' });
  return { sh, out };
}

async function waitFile(file: string, ms: number): Promise<string | undefined> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    // writeFileSync creates the file before it writes: an empty file is not written yet.
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (text) return text;
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}

test('under npm, the end of the launching shell is noticed within a second, with its pid', async () => {
  const { sh, out } = shellWithWatcher({ ...process.env, npm_lifecycle_event: 'start' });
  const node = await waitFile(`${out}.ready`, 30_000);
  assert.ok(node, 'the watcher started');
  sh.kill('SIGKILL');
  const gone = await waitFile(out, 5000);
  assert.equal(gone, String(sh.pid));
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
});

test('outside npm nothing is watched: a server started with nohup outlives its shell', async () => {
  const env = { ...process.env };
  delete env.npm_lifecycle_event;
  const { sh, out } = shellWithWatcher(env);
  const node = Number(await waitFile(`${out}.ready`, 30_000));
  assert.ok(node > 0, 'the watcher started');
  sh.kill('SIGKILL');
  assert.equal(await waitFile(out, 1500), undefined, 'no stop was asked for');
  process.kill(node, 'SIGKILL');
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
});
