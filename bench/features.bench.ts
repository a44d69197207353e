// `npm run bench -- features [--events 100k|1m,10m,30m] [--pg-cap 10m] [--log-dir DIR] [--no-generate] [--server-prof DIR] [--cli-prof DIR] [--write]`: the event log through the API at
// several sizes. For each size, a synthetic 7-day log (20,000 users and 5,000 items per 1.2M events, views per day
// as the generator's default) goes through a real `modelops serve` process (the compiled CLI, --services feature, on a
// fresh database of the tests' Postgres, its embedded S3 server) and the real CLI:
//   - `data generate --out` writes the log as a modelops-format gzip folder (no server);
//   - ingest: `data import --format modelops` of that folder, then `data generate` of the same log into a second source;
//   - bytes per stored event of the log, read where the log lives: when the server keeps the log in files (a
//     manifest table event_log_files exists), the bytes of the manifest's view files, checked against the bucket's
//     listing of events/views/; else the growth of view_events (table, indexes, TOAST) in Postgres;
//   - build: `data build` over the imported source (last-7d, wtg, equi-quantile:10), the dataset's bytes and a digest
//     of its shards' and item days' SHA-256 (equal digests: the same dataset, byte for byte);
//   - the server's peak resident memory per phase (VmRSS of its process, sampled every 100 ms) and its CPU seconds.
// Baseline, same run: the in-memory build of the same log in this process (the one-pass feature engine with
// labels, filters and shards encoded, ml/features/build.ts), with no database, network or object store.
// A size above --pg-cap (default 10m) runs only the baseline when the server keeps the log in Postgres (a load
// of 30M rows there takes hours on this machine). --log-dir DIR keeps the gzip folders there and reuses them (one
// folder per workload; writing 10M views takes minutes). --no-generate skips the GenerateEvents phase (the build reads
// the imported source only). --ingest-only stops after the two loads (no build, no baseline), for work on the ingest
// path. --server-prof DIR runs the server with --cpu-prof into DIR (one profile per thread); --cli-prof DIR each CLI
// command.
// --write also writes docs/bench-features.md.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { EventLogBuilder, type EventLog } from '../ml/data/events';
import { syntheticViews } from '../ml/data/synthetic';
import { buildDataset, type BuildSpec } from '../ml/features/build';
import { encodeShard } from '../ml/features/shard';
import { layoutFor } from '../ml/features/layout';
import { S3ArtifactStore } from '../registry/artifact-store';
import { EmbeddedS3 } from '../services/common/embedded';
import { createTestDatabase } from '../test/helpers/platform';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'modelops.js');
/** The workload's scale: 20,000 users and 5,000 items per 1.2M events over 7 days, as the Postgres-path measurements used. */
const USERS_PER_EVENT = 20_000 / 1.2e6;
const ITEMS_PER_EVENT = 5_000 / 1.2e6;
/** Targets of the event log (bytes are of the log alone; datasets are reported apart). */
const TARGET = { ingest: 500_000, bytes: 40, build: 300_000 };
const DIM = 16;

/** The Postgres path's store load, before and after its last rework (kept in the written report for the record). */
const HISTORY = `
## The Postgres path: store load before and after (2026-11-28, \`view_events\`)

Before (commit 8626c93 and earlier, same command, load average 11.6): the views were COPied straight into
\`view_events\` in batches, one after the other, with every index and the foreign key in place:

\`\`\`
store load (generate + COPY straight into view_events; ON CONFLICT only for stored rows): 1203903 events in 59.67 s: 20,177 events/s
build job path (COPY out of Postgres into typed arrays 4.17 s wall / 1.72 s CPU here + build 4.46 s wall / 2.71 s CPU):
  139,527 events/s wall = 0.70x the target
\`\`\`

Where the time went (1,203,903 synthetic views, measured one part at a time with throw-away scripts on the same
loaded machine, so +-30%):

| part | time |
|---|---|
| generate the views (JS) | 2.2 s |
| row key: md5 per row via \`createHash().update().digest()\` | 7.5 s (3.0 s with the one-shot \`crypto.hash\`, same bytes) |
| COPY text of every row (JS) | ~3 s |
| bare COPY into an unindexed temp table (the limit) | 1.5-2.4 s |
| COPY into \`view_events\` with everything in place | 34.4 s |
| ... of which the per-row foreign-key trigger (\`source\` -> \`event_sources\`) | ~10 s |
| ... the random \`row_key\` unique index / \`(item_id, ts)\` / \`(source, ts)\` / \`(user_id, ts)\` | ~6 / ~6 / ~5 / ~1.3 s |
| staging table + one INSERT ... ON CONFLICT per batch, all indexes | 20-27 s (ordered by row key: 45 s, worse) |
| the same with the three secondary indexes dropped, then rebuilt | 7.4 s + 3.5 s rebuild |
| reloading 1.2M stored rows (ON CONFLICT finds them all) | 5.8 s in one statement |
| online aggregates refreshed from the whole log | 0.8 s |

What changed (services/feature/event-store.ts, migration 17643011000000):
- every batch (50,000 rows) is COPied into a temporary staging table and moved with ONE
  \`INSERT ... SELECT ... ON CONFLICT (row_key) DO NOTHING\` (idempotent within a batch and across loads);
  batches are pipelined: the next is hashed and formatted while the database writes the previous one;
- the foreign key \`view_events.source\` is dropped (every writer creates or looks up the source first);
- a bulk load (import, generate), once it has added 100,000 new rows and at least half the table's size, drops
  the three secondary indexes and rebuilds them at the end with 256 MB of sort memory (the row-key index, which
  makes loads idempotent, stays); they are restored when a load fails and at FeatureService start;
- the row key is the same md5 (stored rows keep their keys), computed with \`crypto.hash\`;
- the writer formats COPY text straight into two reused Buffers (one filling, one being written) instead of
  building a string per batch: the load's own CPU in this process fell from 19.4 s to 7.3 s (heap capped at 200 MB);
- the log read for a build sorts with 256 MB of work memory instead of spilling its sort to disk.

What remains: this process spends about 7 s of CPU on a 1.2M-row load (generate 2 s, md5 row key ~3 s, COPY
text ~2 s) and Postgres about 10-12 s (the \`row_key\` unique index is a hash, so each new row lands on a random
B-tree page; every row goes to the WAL; 128 MB of shared buffers; the index rebuild ~3.5 s), which is now the
longer side. With two cores shared by six jobs (load average 4-7) they overlap only in part. The load is about
0.1x a bare COPY: the gap is the unique index, the WAL and the rebuild, which a durable, idempotent table needs.
Not done: a row key that grows with time (new rows would append to the index instead of landing at random) would
change every stored key, so it needs a migration that rewrites them. The ratio printed as load/baseline compares the whole load (including generation) with a bare COPY
of text made beforehand.
`;
const TIMEZONE = 'Asia/Kolkata';

/** `100k`, `1m`, `1.2m`, `30m` or a plain number of events. */
export function parseEvents(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s.trim());
  if (!m) throw new Error(`--events: "${s}" is not a size; write 100k, 1m, 10m or 30m (comma-separated for several)`);
  const n = Number(m[1]) * (m[2].toLowerCase() === 'm' ? 1e6 : m[2].toLowerCase() === 'k' ? 1e3 : 1);
  if (n < 10_000) throw new Error(`--events: ${s} is below 10k events; the 7-day window needs more views to build a dataset`);
  return n;
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const rate = (n: number, s: number) => Math.round(n / s).toLocaleString('en');

/** Resident memory of a process, sampled; `peak()` gives the highest sample since the last `reset()`. */
class RssSampler {
  private max = 0;
  private readonly timer: NodeJS.Timeout;
  constructor(private readonly pid: number) {
    this.timer = setInterval(() => this.sample(), 100);
  }
  private sample(): void {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(this.status())?.[1] ?? 0);
    if (kb * 1024 > this.max) this.max = kb * 1024;
  }
  private status(): string {
    try {
      return fs.readFileSync(`/proc/${this.pid}/status`, 'utf8');
    } catch {
      return '';
    }
  }
  /** The highest sample (bytes) since the last reset. */
  peak(): number {
    this.sample();
    return this.max;
  }
  reset(): void {
    this.max = 0;
  }
  /**
   * The process's CPU seconds (user + system) so far; with `mainThread`, those of its main thread alone (its
   * task whose id is the pid), which bounds the wall time of a load whatever the worker threads do.
   */
  cpuSeconds(mainThread = false): number {
    try {
      const f = fs.readFileSync(mainThread ? `/proc/${this.pid}/task/${this.pid}/stat` : `/proc/${this.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(f[11]) + Number(f[12])) / 100; // utime and stime, in clock ticks of 1/100 s
    } catch {
      return 0;
    }
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

/** Where each CLI command writes its CPU profile (--cli-prof), if anywhere. */
let cliProf: string | undefined;

/**
 * Runs `modelops ...args --json` and returns its parsed output, failing with its stderr. `usage.cpu` gets the CLI
 * process's CPU seconds, sampled every 50 ms from /proc (the last sample before it exits).
 */
function cli<T = Record<string, any>>(args: string[], env: NodeJS.ProcessEnv, usage?: { cpu: number }): Promise<T> {
  return new Promise((resolve, reject) => {
    const prof = cliProf ? ['--cpu-prof', '--cpu-prof-dir', cliProf] : [];
    const child = spawn(process.execPath, [...prof, BIN, ...args, '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    if (usage) {
      const timer = setInterval(() => {
        try {
          const f = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
          usage.cpu = (Number(f[11]) + Number(f[12])) / 100;
        } catch {
          // exited between two samples
        }
      }, 50);
      child.once('exit', () => clearInterval(timer));
    }
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as T) : reject(new Error(`modelops ${args.join(' ')} exited ${code}: ${err.slice(-2000)}`))));
  });
}

/** A `modelops serve` process of its own (database, home, embedded S3) and what the bench needs to talk to it. */
interface Server {
  child: ChildProcess;
  env: NodeJS.ProcessEnv;
  rss: RssSampler;
  db: Client;
  artifacts: S3ArtifactStore;
  stop(): Promise<void>;
}

async function startServer(nodeArgs: string[] = []): Promise<Server> {
  const tdb = await createTestDatabase('mo_bench');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-bench-home-'));
  const token = `bench-admin-${Math.random().toString(36).slice(2)}-secret`;
  const serverEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: tdb.url, MODELOPS_HOME: home, MODELOPS_ADMIN_TOKEN: token, MODELOPS_CONSOLE_ADDR: 'off',
    MODELOPS_LOG_LEVEL: 'warn' };
  delete serverEnv.S3_ENDPOINT; // the server's own embedded S3, as `modelops serve` starts it by default
  const child = spawn(process.execPath, [...nodeArgs, BIN, 'serve', '--services', 'feature', '--addr', '127.0.0.1:0', '--metrics-addr', 'off', '--json'],
    { env: serverEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const logFile = path.join(home, 'serve.log');
  const log = fs.createWriteStream(logFile);
  child.stderr!.pipe(log);
  const ready = await new Promise<{ addr: string; artifacts: string }>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{"ready"'));
      if (line) resolve((JSON.parse(line) as { ready: { addr: string; artifacts: string } }).ready);
    });
    child.on('exit', (code) => reject(new Error(`modelops serve exited ${code} before it listened; see ${logFile}`)));
  });
  const db = new Client({ connectionString: tdb.url });
  await db.connect();
  const artifacts = new S3ArtifactStore({ endpoint: ready.artifacts, accessKey: EmbeddedS3.ACCESS_KEY, secretKey: EmbeddedS3.SECRET_KEY, bucket: 'modelops', region: 'us-east-1' });
  const env = { ...process.env, MODELOPS_ADDR: ready.addr, MODELOPS_TOKEN: token, MODELOPS_LOG_LEVEL: 'silent', MODELOPS_HOME: home, MODELOPS_CONSOLE_ADDR: 'off' };
  const rss = new RssSampler(child.pid!);
  return {
    child, env, rss, db, artifacts,
    async stop() {
      rss.stop();
      await db.end();
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      await tdb.drop().catch(() => undefined);
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Where the server keeps the view log: files with a manifest, or rows of view_events. */
async function logPath(db: Client): Promise<'files' | 'postgres'> {
  const r = await db.query<{ t: string | null }>(`SELECT to_regclass('event_log_files')::text AS t`);
  return r.rows[0].t ? 'files' : 'postgres';
}

/**
 * Bytes the view log takes now: on the file path, the manifest's view files (event_log_files: files, rows, bytes of
 * every source) checked against the bucket's listing of events/views/; on the Postgres path, view_events with its
 * indexes and TOAST.
 */
async function logBytes(s: Server, where: 'files' | 'postgres'): Promise<{ bytes: number; objects: number; rows: number }> {
  if (where === 'files') {
    const m = await s.db.query<{ files: string; rows: string; bytes: string }>(
      'SELECT count(*) AS files, coalesce(sum(rows), 0) AS rows, coalesce(sum(bytes), 0) AS bytes FROM event_log_files');
    const listed = await s.artifacts.listObjects('events/views/');
    const listedBytes = listed.reduce((a, o) => a + o.size, 0);
    if (listedBytes !== Number(m.rows[0].bytes)) {
      console.log(`  (the bucket holds ${listed.length} view objects, ${listedBytes} bytes; the manifest ${m.rows[0].files} files, ${m.rows[0].bytes} bytes: ` +
        'objects not in the manifest are staged files being replaced or garbage)');
    }
    return { bytes: Number(m.rows[0].bytes), objects: Number(m.rows[0].files), rows: Number(m.rows[0].rows) };
  }
  const r = await s.db.query<{ b: string; n: string }>(`SELECT pg_total_relation_size('view_events') AS b, (SELECT count(*) FROM view_events) AS n`);
  return { bytes: Number(r.rows[0].b), objects: 0, rows: Number(r.rows[0].n) };
}

/** One timed phase on the server: wall seconds, the server's CPU seconds (all threads; its main thread) and its peak resident memory. */
async function phase<T>(s: Server, run: () => Promise<T>): Promise<{ out: T; seconds: number; cpu: number; mainCpu: number; peak: number }> {
  s.rss.reset();
  const c0 = s.rss.cpuSeconds();
  const m0 = s.rss.cpuSeconds(true);
  const t0 = performance.now();
  const out = await run();
  return { out, seconds: (performance.now() - t0) / 1000, cpu: s.rss.cpuSeconds() - c0, mainCpu: s.rss.cpuSeconds(true) - m0, peak: s.rss.peak() };
}

/** The in-memory build of the same log (the baseline): generation into typed arrays, then the one-pass build. */
async function inMemory(p: Parameters<typeof syntheticViews>[0], spec: BuildSpec): Promise<{ log: EventLog; genS: number; seconds: number; cpu: number; rows: number; bytes: number }> {
  const tg = performance.now();
  const b = new EventLogBuilder(p.dim ?? DIM, 1 << 20);
  for (const v of syntheticViews(p, (it) => b.addItem(it))) {
    b.addView(v.user_id, v.item_id, v.creator_id, v.ts, v.video_length_s ?? Number.NaN, v.timespent_s, (v.liked ? 1 : 0) | (v.shared ? 2 : 0) | (v.downloaded ? 4 : 0), v.handset_maker);
  }
  const log = b.finish();
  const genS = (performance.now() - tg) / 1000;
  const layout = layoutFor(log.items.dim);
  let rows = 0;
  let bytes = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await buildDataset(log, spec, async (_split, batch, facts) => {
    bytes += encodeShard(batch, facts, layout).length;
    rows += batch.n;
  });
  const c = process.cpuUsage(c0);
  return { log, genS, seconds: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6, rows, bytes };
}

/** The figures of one size, for the summary table. */
interface Row {
  events: number;
  where: string;
  importEps?: number;
  /** Events per CPU-second of the server process (steadier than wall time on a shared machine; Postgres not counted). */
  importCpuEps?: number;
  generateEps?: number;
  bytesPerEvent?: number;
  buildEps?: number;
  buildCpuEps?: number;
  peakMb?: number;
  /** The server's peak resident memory during the build alone. */
  buildPeakMb?: number;
  memEps?: number;
  memCpuEps?: number;
  memPeakMb?: number;
}

/**
 * What runSize does besides the build: --no-generate skips the GenerateEvents phase, --ingest-only stops after the
 * loads, --server-prof DIR writes the server's CPU profiles there.
 */
interface SizeOpts {
  pgCap: number;
  logDir?: string;
  generate: boolean;
  ingestOnly: boolean;
  serverProf?: string;
}

/**
 * One digest of a source's stored view files: SHA-256 over the SHA-256 of every file in the manifest's order (day,
 * then arrival), so two imports of the same log compare with one line (object keys, which are random, left out).
 */
async function logDigest(s: Server, source: string): Promise<string> {
  const r = await s.db.query<{ sha256: string }>('SELECT sha256 FROM event_log_files WHERE source = $1 ORDER BY day, seq, id', [source]);
  const h = crypto.createHash('sha256');
  for (const x of r.rows) h.update(x.sha256);
  return `${h.digest('hex').slice(0, 16)} (${r.rows.length} files)`;
}

/**
 * One digest of a dataset's content: SHA-256 over the SHA-256 of every shard and item-day file in meta.json's order
 * (the dataset id, which is random, is left out), so two builds of the same log compare with one line.
 */
async function datasetDigest(s: Server, id: string): Promise<string> {
  const meta = JSON.parse((await s.artifacts.get(`datasets/${id}/meta.json`)).toString()) as { shards: { sha256: string }[]; itemDays: { sha256: string }[] };
  const h = crypto.createHash('sha256');
  for (const x of [...meta.shards, ...meta.itemDays]) h.update(x.sha256);
  return `${h.digest('hex').slice(0, 16)} (${meta.shards.length} shards, ${meta.itemDays.length} item days)`;
}

async function runSize(target: number, o: SizeOpts, say: (s: string) => void): Promise<Row> {
  const { pgCap, logDir } = o;
  const users = Math.round(target * USERS_PER_EVENT);
  const items = Math.round(target * ITEMS_PER_EVENT);
  const p = { users, items, days: 7, seed: 1, dim: DIM, timezone: TIMEZONE };
  const spec: BuildSpec = { window: 'last-7d', trainFrac: 0.6, valFrac: 0.1, label: 'wtg', task: 'binary', buckets: 'equi-quantile:10', timezone: TIMEZONE, source: 'imported' };
  say(`\n== ${(target / 1e6).toString()}M events: synthetic ${users} users x ${items} items x 7 days, dim ${DIM}, seed 1 (load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')})`);
  const row: Partial<Row> = { events: target };

  const s = await startServer(o.serverProf ? ['--cpu-prof', '--cpu-prof-dir', o.serverProf] : []);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-bench-log-'));
  try {
    const where = await logPath(s.db);
    row.where = where === 'files' ? 'files (Parquet + manifest)' : 'Postgres (view_events)';
    say(`server pid ${s.child.pid}: the view log lives in ${row.where}`);
    if (where === 'postgres' && target > pgCap) {
      say(`  skipped through the API: above --pg-cap ${pgCap / 1e6}M on the Postgres path`);
    } else {
      const tf = performance.now();
      // --log-dir keeps the gzip folders between runs (writing 10M views takes minutes), one folder per workload.
      const folder = logDir ? path.join(logDir, `${users}u-${items}i-7d-seed1-dim${DIM}`) : dir;
      let reused = false;
      if (logDir && fs.existsSync(path.join(folder, 'source.json'))) {
        reused = true;
      } else {
        fs.mkdirSync(folder, { recursive: true });
        await cli(['data', 'generate', '--users', String(users), '--items', String(items), '--days', '7', '--seed', '1', '--dim', String(DIM),
          '--timezone', TIMEZONE, '--out', folder], s.env);
      }
      const gz = fs.readdirSync(folder).reduce((a, f) => a + fs.statSync(path.join(folder, f)).size, 0);
      say(`modelops-format log (data generate --out, no server): ${mb(gz)} gzip, ${reused ? `reused from ${folder}` : `written in ${((performance.now() - tf) / 1000).toFixed(1)} s`}`);

      const before = await logBytes(s, where);
      const client = { cpu: 0 };
      const imp = await phase(s, () => cli(['data', 'import', '--format', 'modelops', folder, '--source', 'imported'], s.env, client));
      const n = Number(imp.out.counts.views_inserted);
      const after = await logBytes(s, where);
      const importEps = n / imp.seconds;
      const stored = after.rows - before.rows;
      const perEvent = (after.bytes - before.bytes) / stored;
      if (stored !== n) say(`  MISMATCH: the import answered ${n} views inserted, the log holds ${stored} more than before it`);
      row.importEps = importEps;
      row.importCpuEps = n / imp.cpu;
      row.bytesPerEvent = perEvent;
      say(`ingest, data import (gzip CSV streamed to ImportEvents): ${n} views in ${imp.seconds.toFixed(1)} s = ${rate(n, imp.seconds)} events/s ` +
        `(${(importEps / TARGET.ingest).toFixed(2)}x the ${TARGET.ingest / 1000}k target); server ${imp.cpu.toFixed(1)} CPU s (${imp.mainCpu.toFixed(1)} on its main thread), peak RSS ${mb(imp.peak)}; the CLI ${client.cpu.toFixed(1)} CPU s`);
      say(`  stored log: ${mb(after.bytes - before.bytes)}${where === 'files' ? ` in ${after.objects - before.objects} files of the manifest` : ' (table + indexes + TOAST)'} for ${stored} stored views = ` +
        `${perEvent.toFixed(1)} bytes per event (target <= ${TARGET.bytes}); the gzip CSV is ${(gz / n).toFixed(1)} bytes per event` +
        `${where === 'files' ? `; view files digest ${await logDigest(s, 'imported')}` : ''}`);

      if (o.generate) {
        const gen = await phase(s, () => cli(['data', 'generate', '--users', String(users), '--items', String(items), '--days', '7', '--seed', '1', '--dim', String(DIM),
          '--timezone', TIMEZONE, '--source', 'generated'], s.env));
        const g = Number(gen.out.counts.views_inserted);
        const afterGen = await logBytes(s, where);
        if (afterGen.rows - after.rows !== g) say(`  MISMATCH: generate answered ${g} views inserted, the log holds ${afterGen.rows - after.rows} more than before it`);
        row.generateEps = g / gen.seconds;
        say(`ingest, data generate (GenerateEvents, the same log): ${g} views in ${gen.seconds.toFixed(1)} s = ${rate(g, gen.seconds)} events/s; ` +
          `server ${gen.cpu.toFixed(1)} CPU s (${gen.mainCpu.toFixed(1)} on its main thread), peak RSS ${mb(gen.peak)}` +
          `${where === 'files' ? `; view files digest ${await logDigest(s, 'generated')}` : ''}`);
        row.peakMb = gen.peak / 1e6;
      }

      if (o.ingestOnly) return row as Row;
      const bld = await phase(s, () => cli(['data', 'build', '--source', 'imported', '--window', 'last-7d', '--train-frac', '0.6', '--val-frac', '0.1',
        '--label', 'wtg', '--task', 'binary', '--buckets', 'equi-quantile:10'], s.env));
      const objs = await s.artifacts.listObjects(`datasets/${bld.out.id}/`);
      const dsBytes = objs.reduce((a, o) => a + o.size, 0);
      const buildEps = stored / bld.seconds;
      row.buildEps = buildEps;
      row.buildCpuEps = stored / bld.cpu;
      row.peakMb = Math.max(imp.peak, row.peakMb ?? 0, bld.peak) / 1e6;
      row.buildPeakMb = bld.peak / 1e6;
      say(`build (data build over the imported log, to a ready dataset): ${stored} events (the imported log as stored) -> ${bld.out.counts.rows_kept} rows in ${bld.seconds.toFixed(1)} s = ` +
        `${rate(stored, bld.seconds)} events/s (${(buildEps / TARGET.build).toFixed(2)}x the ${TARGET.build / 1000}k target); server ${bld.cpu.toFixed(1)} CPU s, peak RSS ${mb(bld.peak)}`);
      say(`  dataset: ${objs.length} objects, ${mb(dsBytes)} (${(dsBytes / Number(bld.out.counts.rows_kept)).toFixed(0)} bytes per row); content digest ${await datasetDigest(s, String(bld.out.id))}`);
    }
  } finally {
    await s.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  // Baseline: the same log built in memory, after the server has stopped (the two never share the cores).
  const mem = await inMemory(p, spec);
  row.memEps = mem.log.n / mem.seconds;
  row.memCpuEps = mem.log.n / mem.cpu;
  row.memPeakMb = process.resourceUsage().maxRSS / 1024;
  say(`baseline, in-memory build of the same log in this process: ${mem.log.n} events (generated into typed arrays in ${mem.genS.toFixed(1)} s) -> ${mem.rows} rows, ` +
    `${mb(mem.bytes)} of shards encoded in ${mem.seconds.toFixed(1)} s wall, ${mem.cpu.toFixed(1)} s CPU = ${rate(mem.log.n, mem.seconds)} events/s; bench process peak RSS ${row.memPeakMb.toFixed(0)} MB`);
  if (row.buildEps) say(`  build through the API / in-memory build = ${(row.buildEps / row.memEps).toFixed(2)}`);
  return row as Row;
}

/** Runs the benchmark. */
export async function main(args: string[]): Promise<void> {
  const sizes = (flag(args, 'events') ?? '100k').split(',').map(parseEvents);
  const pgCap = parseEvents(flag(args, 'pg-cap') ?? '10m');
  const logDir = flag(args, 'log-dir');
  // The server and CLI are the compiled ones, as users run them: build dist/ first when a source changed.
  const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.js'), '--if-stale'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed: the bench runs the compiled server and CLI in dist/');
  const lines: string[] = [];
  const say = (s: string) => { console.log(s); lines.push(s); };
  say(`workload: synthetic 7-day logs, ${Math.round(USERS_PER_EVENT * 1.2e6)} users and ${Math.round(ITEMS_PER_EVENT * 1.2e6)} items per 1.2M events; ` +
    `node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${mb(os.totalmem())} RAM`);
  const rows: Row[] = [];
  const serverProf = flag(args, 'server-prof');
  cliProf = flag(args, 'cli-prof');
  for (const n of sizes) {
    rows.push(await runSize(n, { pgCap, logDir, generate: !args.includes('--no-generate'), ingestOnly: args.includes('--ingest-only'),
      ...(serverProf ? { serverProf } : {}) }, say));
  }
  const f = (x: number | undefined, d = 0) => (x === undefined ? 'skipped' : x.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d }));
  say('\nevents/s are wall-clock; in parentheses, events per CPU-second of the server process (of this process for the in-memory build)');
  say('| events | log lives in | import events/s | generate events/s | bytes/event (log) | build events/s | server peak RSS MB | in-memory build events/s | build / in-memory |');
  say('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const cpu = (x: number | undefined) => (x === undefined ? '' : ` (${f(x)})`);
    say(`| ${(r.events / 1e6).toString()}M | ${r.where} | ${f(r.importEps)}${cpu(r.importCpuEps)} | ${f(r.generateEps)} | ${f(r.bytesPerEvent, 1)} | ` +
      `${f(r.buildEps)}${cpu(r.buildCpuEps)} | ${f(r.peakMb)} | ${f(r.memEps)}${cpu(r.memCpuEps)} | ${r.buildEps && r.memEps ? (r.buildEps / r.memEps).toFixed(2) : 'skipped'} |`);
  }
  say(`targets: ingest >= ${TARGET.ingest.toLocaleString('en')} events/s, <= ${TARGET.bytes} bytes per stored event, build >= ${TARGET.build.toLocaleString('en')} events/s; load average at the end ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  if (args.includes('--write')) {
    const out = path.join(ROOT, 'docs', 'bench-features.md');
    fs.writeFileSync(out, `# Benchmark: the event log and the dataset build, through the API\n\nCommand: \`npm run bench -- features ${args.join(' ')}\` (${new Date().toISOString().slice(0, 10)})\n\n` +
      `\`\`\`\n${lines.join('\n')}\n\`\`\`\n\n` +
      'Every figure but the baseline is measured through a real `modelops serve` process (the compiled CLI, on the tests\' Postgres and\n' +
      'its own embedded S3 server) driven by the real CLI, as a user would: wall seconds from the command\'s start to its answer.\n' +
      'Peak RSS is the server process\'s (Postgres\'s own memory is not in it); the server CPU seconds leave out Postgres too.\n' +
      'The machine is shared (2 cores, other work running; see the load average): wall-clock figures vary by run.\n' +
      'The baseline is the one-pass build of the same log in memory, in the bench process, after the server has stopped.\n' + HISTORY);
    console.log(`wrote ${out}`);
  }
}
