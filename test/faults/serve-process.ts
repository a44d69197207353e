// `modelops serve` as its own process for the load tests of the fault suite: the compiled server on a fresh
// database of the tests' Postgres, with the embedded S3 under a home of its own, its JSON log (stderr, info
// level, as production runs) fed line by line to a LogWatch, and its memory read from /proc: the peak
// resident set (VmHWM) is the kernel's own high-water mark, so no sample can miss a spike.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../../services/common/embedded';
import { BIN } from '../helpers/cli';
import { createTestDatabase } from '../helpers/platform';
import type { Target } from '../../cli/client';
import type { LogWatch } from './harness';

/** A running server process. */
export interface ServeProcess {
  addr: string;
  pid: number;
  child: ChildProcess;
  /** An admin target (the token the server was started with). */
  admin: Target;
  /** The server's database (for checks that read the tables). */
  databaseUrl: string;
  /** The server's resident set now and its peak since start, in MiB (from /proc/<pid>/status). */
  memory(): { rssMb: number; peakMb: number };
  /** The server's Prometheus text (/metrics). */
  metrics(): Promise<string>;
  /** SIGTERM, then waits for the exit; drops the database and the home. Resolves with the exit code. */
  stop(): Promise<number | null>;
}

function statusKb(pid: number, field: string): number {
  const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
}

/** Starts `modelops serve` (all services) with `env` added; every stderr line goes to `watch`. */
export async function startServeProcess(watch: LogWatch, env: Record<string, string> = {}): Promise<ServeProcess> {
  const db = await createTestDatabase('mo_fault');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-fault-serve-'));
  fs.chmodSync(home, 0o755);
  const adminToken = `fault-admin-${Math.random().toString(36).slice(2)}-secret`;
  watch.secret(adminToken);
  const full: NodeJS.ProcessEnv = {
    ...process.env, MODELOPS_HOME: home, DATABASE_URL: db.url, MODELOPS_ADMIN_TOKEN: adminToken, MODELOPS_LOG_LEVEL: 'info',
    MODELOPS_CONSOLE_ADDR: 'off', ...env,
  };
  for (const k of ['S3_ENDPOINT', 'S3_ACCESS_KEY', 'S3_SECRET_KEY', 'S3_BUCKET', 'MODELOPS_TOKEN']) delete full[k];
  const addr = `127.0.0.1:${await freePort()}`;
  const metricsAddr = `127.0.0.1:${await freePort()}`;
  const child = spawn(process.execPath, [BIN, 'serve', '--addr', addr, '--metrics-addr', metricsAddr, '--json'], { env: full, stdio: ['ignore', 'pipe', 'pipe'] });
  let partial = '';
  child.stderr!.on('data', (d: Buffer) => {
    const parts = (partial + d.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    for (const p of parts) if (p) watch.take(p);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('modelops serve did not start within 120 s')), 120_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.split('\n').some((l) => l.startsWith('{"ready"'))) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`modelops serve exited ${code} before it was ready`)); });
  });
  const pid = child.pid!;
  return {
    addr, pid, child, admin: { addr, token: adminToken }, databaseUrl: db.url,
    metrics: async () => (await fetch(`http://${metricsAddr}/metrics`)).text(),
    memory: () => ({ rssMb: statusKb(pid, 'VmRSS') / 1024, peakMb: statusKb(pid, 'VmHWM') / 1024 }),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await exited;
      await db.drop().catch(() => undefined);
      fs.rmSync(home, { recursive: true, force: true });
      return code;
    },
  };
}
