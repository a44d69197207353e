// `modelops serve` as a user runs it: a child process on the embedded default (or an external Postgres),
// health per service, reflection, the local CLI with no setup, SIGTERM leaving nothing behind.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { freePort } from '../../services/common/embedded';
import { SERVICE_NAMES, GRPC_SERVICE } from '../../proto/load';
import { BIN, runCli } from '../helpers/cli';
import { createTestDatabase } from '../helpers/platform';

interface Server {
  child: ChildProcess;
  addr: string;
  ready: Record<string, unknown>;
  stderr: () => string;
}

function baseEnv(home: string): NodeJS.ProcessEnv {
  // mkdtemp makes a 0700 folder; a user's MODELOPS_HOME is normally 0755, which lets the postgres user in.
  fs.chmodSync(home, 0o755);
  const env: NodeJS.ProcessEnv = { ...process.env, MODELOPS_HOME: home, MODELOPS_LOG_LEVEL: 'info' };
  for (const k of ['DATABASE_URL', 'S3_ENDPOINT', 'S3_ACCESS_KEY', 'S3_SECRET_KEY', 'S3_BUCKET', 'MODELOPS_TOKEN', 'MODELOPS_ADMIN_TOKEN']) delete env[k];
  return env;
}

async function startServe(env: NodeJS.ProcessEnv): Promise<Server> {
  const addr = `127.0.0.1:${await freePort()}`;
  const child = spawn(process.execPath, [BIN, 'serve', '--addr', addr, '--metrics-addr', 'off', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 90_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{"ready"'));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { ready: Record<string, unknown> }).ready);
      }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited ${code}: ${stderr}`)); });
  });
  return { child, addr, ready, stderr: () => stderr };
}

function healthClient(addr: string) {
  const def = protoLoader.loadSync(require.resolve('grpc-health-check/proto/health/v1/health.proto'), { keepCase: true, enums: String });
  const pkg = grpc.loadPackageDefinition(def) as any;
  return new pkg.grpc.health.v1.Health(addr, grpc.credentials.createInsecure());
}

function reflectionServices(addr: string): Promise<string[]> {
  const file = path.join(path.dirname(require.resolve('@grpc/reflection')), '../proto/grpc/reflection/v1/reflection.proto');
  const def = protoLoader.loadSync(file, { keepCase: true });
  const pkg = grpc.loadPackageDefinition(def) as any;
  const client = new pkg.grpc.reflection.v1.ServerReflection(addr, grpc.credentials.createInsecure());
  return new Promise((resolve, reject) => {
    const call = client.ServerReflectionInfo();
    call.on('data', (res: { list_services_response?: { service: { name: string }[] } }) => {
      resolve((res.list_services_response?.service ?? []).map((s) => s.name));
      call.end();
      client.close();
    });
    call.on('error', reject);
    call.write({ list_services: '*' });
  });
}

async function checkServing(addr: string): Promise<void> {
  const h = healthClient(addr);
  for (const name of SERVICE_NAMES) {
    const res = await new Promise<{ status: string }>((resolve, reject) =>
      h.Check({ service: GRPC_SERVICE[name] }, (err: Error | null, r: { status: string }) => (err ? reject(err) : resolve(r))));
    assert.equal(res.status, 'SERVING', `${name} health`);
  }
  h.close();
  const listed = await reflectionServices(addr);
  for (const name of SERVICE_NAMES) assert.ok(listed.includes(GRPC_SERVICE[name]), `reflection lists ${GRPC_SERVICE[name]}: ${listed}`);
}

function pidAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

/** Postgres processes whose command line names `dir`. */
function postgresFor(dir: string): string[] {
  const ps = spawnSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).stdout;
  return ps.split('\n').filter((l) => l.includes('postgres') && l.includes(dir));
}

async function stop(s: Server): Promise<number | null> {
  return new Promise((resolve) => {
    s.child.once('exit', (code) => resolve(code));
    s.child.kill('SIGTERM');
  });
}

test('embedded default: six services SERVING, reflection, local CLI, SIGTERM leaves no Postgres or S3 behind', async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-serve-'));
  const env = baseEnv(home);
  const s = await startServe(env);
  try {
    assert.equal(s.ready.database, 'embedded');
    await checkServing(s.addr);
    // The local CLI works with no setup: it finds the admin token the server wrote (0600) under MODELOPS_HOME.
    const tokenFile = path.join(home, 'admin-token');
    assert.equal(fs.statSync(tokenFile).mode & 0o777, 0o600);
    const r = await runCli(['tokens', 'list', '--json'], { ...env, MODELOPS_ADDR: s.addr });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).tokens[0].role, 'admin');
  } finally {
    const code = await stop(s);
    assert.equal(code, 0, s.stderr());
  }
  const pgDir = path.join(home, 'pg');
  assert.deepEqual(postgresFor(pgDir), [], 'no embedded Postgres left running');
  assert.ok(!fs.existsSync(path.join(pgDir, 'postmaster.pid')), 'postmaster.pid removed by a clean shutdown');
  const s3Port = Number(new URL(String(s.ready.artifacts)).port);
  await assert.rejects(fetch(`http://127.0.0.1:${s3Port}/`), 'the embedded S3 server is closed');
  fs.rmSync(home, { recursive: true, force: true });
});

test('a Postgres left running by a SIGKILLed server is stopped and replaced, never duplicated', async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-kill-'));
  const env = baseEnv(home);
  const first = await startServe(env);
  first.child.kill('SIGKILL');
  await new Promise((r) => first.child.once('exit', r));
  const pidFile = path.join(home, 'pg', 'postmaster.pid');
  const stalePid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  assert.ok(pidAlive(stalePid), 'SIGKILL of node leaves its Postgres running (the case to handle)');
  const second = await startServe(env);
  try {
    assert.ok(!pidAlive(stalePid), 'the stale Postgres was stopped');
    assert.equal(postgresFor(path.join(home, 'pg')).filter((l) => / -D /.test(l)).length, 1, 'exactly one postmaster');
    await checkServing(second.addr);
  } finally {
    assert.equal(await stop(second), 0);
  }
  assert.deepEqual(postgresFor(path.join(home, 'pg')), []);
  fs.rmSync(home, { recursive: true, force: true });
});

test('external Postgres (DATABASE_URL): the same checks pass, and no embedded Postgres starts', async () => {
  const db = await createTestDatabase('mo_serve');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-ext-'));
  const env = { ...baseEnv(home), DATABASE_URL: db.url, MODELOPS_ADMIN_TOKEN: 'external-admin-token-0123456789' };
  const s = await startServe(env);
  try {
    assert.equal(s.ready.database, 'DATABASE_URL');
    assert.ok(!fs.existsSync(path.join(home, 'pg')), 'no embedded cluster was initialised');
    await checkServing(s.addr);
    // MODELOPS_ADMIN_TOKEN seeded the first admin token.
    const r = await runCli(['tokens', 'list', '--json'], { ...env, MODELOPS_ADDR: s.addr, MODELOPS_TOKEN: 'external-admin-token-0123456789' });
    assert.equal(r.code, 0, r.stderr);
  } finally {
    assert.equal(await stop(s), 0);
    await db.drop();
    fs.rmSync(home, { recursive: true, force: true });
  }
});

test('a bad DATABASE_URL fails at start with one line naming the variable, exit code non-zero', async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-bad-'));
  for (const url of ['not a url', 'mysql://root@127.0.0.1/x', `postgres://postgres@127.0.0.1:${await freePort()}/nothing`]) {
    const r = await runCli(['serve', '--metrics-addr', 'off'], { ...baseEnv(home), DATABASE_URL: url, MODELOPS_LOG_LEVEL: 'silent' });
    assert.notEqual(r.code, 0, url);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line for ${url}: ${r.stderr}`);
    assert.match(lines[0], /DATABASE_URL/);
    assert.match(lines[0], /is not a URL such as postgres:|expected/);
  }
  const r = await runCli(['serve', '--services', 'scoring,nope'], { ...baseEnv(home), MODELOPS_LOG_LEVEL: 'silent' });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /--services: unknown service "nope"/);
  fs.rmSync(home, { recursive: true, force: true });
});
