// The event log: views as immutable Parquet files in the bucket, partitioned by source and market day
// (`events/views/source=<source>/day=<YYYY-MM-DD>/<part>.parquet`, Hive style, so DuckDB, Spark and Trino read
// them), with a manifest in Postgres (event_log_files). A file is written to its final key first and becomes
// visible only when its manifest row commits; an object without a row is garbage that registry/garbage.ts
// collects. Appends are idempotent per batch (event_log_batches), small appends are staged and later compacted
// into one file per source and day, and a reader sees either the staged files or the compacted one, never both.
import * as crypto from 'node:crypto';
import type { Pool } from 'pg';
import type { ArtifactStore } from './artifact-store';
import { DomainError } from '../core/errors';
import type { EventLogBuilder, ItemRecord } from '../ml/data/events';
import { decodeViewFile, encodeItemFile } from '../ml/data/log-file';
import { encodeViewFileOffThread } from '../ml/data/view-file-worker';
import { MarketClock } from '../ml/data/time';
import { mergedRun, sliceRun, splitByDay, ViewRunBuilder, type ViewRun } from '../ml/data/view-run';
import { withTransaction } from './transaction';

/** The bucket prefix of every event-log object. */
export const EVENT_LOG_PREFIX = 'events/';

/**
 * A file with fewer views than this is staged whoever writes it (an IngestEvents batch, or a bulk batch's share
 * of one day): many small files make a slow read, so compaction merges them.
 */
export const SMALL_FILE_ROWS = 65_536;

/** A source name as a Hive partition value (path-safe, reversible). */
export function partitionValue(source: string): string {
  return encodeURIComponent(source);
}

/** The folder of one source's views of one market day. */
export function viewDayPrefix(source: string, day: string): string {
  return `${EVENT_LOG_PREFIX}views/source=${partitionValue(source)}/day=${day}/`;
}

/** The folder of one source's catalogue files. */
export function itemPrefix(source: string): string {
  return `${EVENT_LOG_PREFIX}items/source=${partitionValue(source)}/`;
}

/** A new part name: time first, so a listing is in write order, then randomness, so two writers never collide. */
function partName(): string {
  return `${Date.now().toString(36).padStart(9, '0')}-${crypto.randomBytes(6).toString('hex')}`;
}

/** One file of the manifest. */
export interface LogFile {
  id: number;
  source: string;
  /** The market day (YYYY-MM-DD) of every view in the file. */
  day: string;
  key: string;
  sha256: string;
  rows: number;
  bytes: number;
  minTs: number;
  maxTs: number;
  /** Arrival order: equal times are read in this order (a compacted file takes the first of its inputs'). */
  seq: number;
  /** True for a small append still waiting for compaction. */
  staged: boolean;
}

/** What one append did. */
export interface AppendResult {
  /** Views stored by this call. */
  added: number;
  /** Views of a batch stored before (same batch key): nothing was written. */
  alreadyStored: number;
  /** The files written (one per market day of the batch). */
  files: number;
}

/** Counts of a source's log. */
export interface LogStats {
  files: number;
  stagedFiles: number;
  rows: number;
  bytes: number;
}

/** How `append` stores a batch: staged (merged later), and what its manifest rows wait for. */
export interface AppendOptions {
  staged?: boolean;
  after?: Promise<unknown>;
}

/** The event log of every source: appends, reads, compaction, removal. */
export interface EventLogStore {
  /**
   * Stores a batch of views (any order; sorted here) of a source whose market days are in `timezone`: one file
   * per day, all manifest rows in one transaction. A batch whose key was stored before adds nothing. With
   * `staged` (and for every file under SMALL_FILE_ROWS views), the files wait for `compact` to merge them. With
   * `after`, the files are encoded and stored at once but the manifest rows commit only once it resolves (so a
   * writer's batches commit in the order sent while the next is encoded); when it rejects, nothing is committed,
   * the files are removed and the append rejects with its reason.
   */
  append(source: string, timezone: string, run: ViewRun, batchKey: string, opts?: AppendOptions): Promise<AppendResult>;
  /**
   * Reads a source's views with ts < `beforeTs` (all when undefined) into `into`, in time order (equal times in
   * arrival order), streaming file by file; returns how many were read.
   */
  read(source: string, into: Pick<EventLogBuilder, 'addColumns' | 'addMerged'>, beforeTs?: number): Promise<number>;
  /**
   * Calls `onDay` with each market day's views with `fromTs` <= ts < `beforeTs` (either bound optional), a run in
   * time order, day by day in time order; returns how many views it handed out.
   */
  scan(source: string, onDay: (day: string, run: ViewRun) => Promise<void> | void, beforeTs?: number, fromTs?: number): Promise<number>;
  /**
   * Each of `users`' mean time spent per view over fromTs <= ts < beforeTs, over every source's log (users
   * without a view there are absent): the pre-period covariate of a rollout's CUPED estimate.
   */
  watchMeans(users: string[], fromTs: number, beforeTs: number): Promise<Map<string, number>>;
  /** How many views a read with the same arguments returns (from the manifest; no object is read). */
  count(source: string, beforeTs?: number): Promise<number>;
  /** The newest view time of a source, or undefined when it has none. */
  newestTs(source: string): Promise<number | undefined>;
  /** Files, rows and bytes of a source. */
  stats(source: string): Promise<LogStats>;
  /** The sources that have a staged file older than `ageS` seconds (the ones a timed compaction merges). */
  sourcesStagedBefore(ageS: number): Promise<string[]>;
  /** Whether a batch key is stored for a source. */
  hasBatch(source: string, batchKey: string): Promise<boolean>;
  /**
   * Merges a source's staged files, with the day's other small files, into one file per day (days with at least
   * `minFiles` staged files; 1 by default). The manifest swap is one transaction; the replaced objects are
   * removed after it. Compactions of one source run one at a time (a Postgres advisory lock, so across processes
   * too): a second waits for the first. Returns the files merged and written.
   */
  compact(source: string, opts?: { minFiles?: number }): Promise<{ merged: number; written: number }>;
  /**
   * Replaces the source's catalogue file (`events/items/source=<source>/<part>.parquet`) with one holding
   * `items`: a snapshot for engines outside the platform, which keeps its catalogue in Postgres.
   */
  putCatalogue(source: string, items: ItemRecord[]): Promise<{ key: string; rows: number }>;
  /** Deletes every file and batch key of a source (rows first, then objects); returns the objects removed. */
  deleteSource(source: string): Promise<number>;
  /** The object keys the manifest references (for the garbage collection). */
  liveKeys(): Promise<Set<string>>;
}

interface FileRow {
  id: string; source: string; day: Date | string; object_key: string; sha256: string; rows: number; bytes: string;
  min_ts: string; max_ts: string; seq: string; staged: boolean;
}

const FILE_COLUMNS = 'id, source, day::text AS day, object_key, sha256, rows, bytes, min_ts, max_ts, seq, staged';

function fileOf(r: FileRow): LogFile {
  return {
    id: Number(r.id), source: r.source, day: String(r.day), key: r.object_key, sha256: r.sha256, rows: r.rows, bytes: Number(r.bytes),
    minTs: Number(r.min_ts), maxTs: Number(r.max_ts), seq: Number(r.seq), staged: r.staged,
  };
}

/** The advisory-lock class of compactions: the process compacting a source holds (COMPACT_LOCK_CLASS, hashtext(source)). */
const COMPACT_LOCK_CLASS = 7645;

/** A compaction's manifest swap found some of its input files gone: the transaction is rolled back. */
class LostSwap extends Error {}

/** The event log in the bucket with its manifest in Postgres. */
export class PgEventLogStore implements EventLogStore {
  constructor(private readonly pool: Pool, private readonly artifacts: ArtifactStore) {}

  async hasBatch(source: string, batchKey: string): Promise<boolean> {
    const r = await this.pool.query('SELECT 1 FROM event_log_batches WHERE source = $1 AND batch_key = $2', [source, batchKey]);
    return (r.rowCount ?? 0) > 0;
  }

  async append(source: string, timezone: string, run: ViewRun, batchKey: string, opts: AppendOptions = {}): Promise<AppendResult> {
    // The batch before may fail before this one reaches it: its rejection is this append's, not an unhandled one.
    opts.after?.catch(() => undefined);
    if (run.n === 0) {
      await opts.after;
      return { added: 0, alreadyStored: 0, files: 0 };
    }
    if (await this.hasBatch(source, batchKey)) {
      await opts.after;
      return { added: 0, alreadyStored: run.n, files: 0 };
    }
    const sorted = isSorted(run) ? run : resort(run);
    const days = splitByDay(sorted, new MarketClock(timezone));
    const written: { day: string; key: string; sha256: string; rows: number; bytes: number; minTs: number; maxTs: number }[] = [];
    try {
      for (const { day, run: part } of days) {
        const bytes = wrap(await encodeViewFileOffThread(part));
        const put = await this.artifacts.put(`${viewDayPrefix(source, day)}${partName()}.parquet`, bytes);
        written.push({ day, key: put.key, sha256: put.sha256, rows: part.n, bytes: put.size, minTs: part.ts[0], maxTs: part.ts[part.n - 1] });
      }
      await opts.after;
      const stored = await withTransaction(this.pool, async (c) => {
        const b = await c.query('INSERT INTO event_log_batches (source, batch_key, rows) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [source, batchKey, run.n]);
        if (!b.rowCount) return false; // a concurrent append of the same batch won
        const seq = Number((await c.query("SELECT nextval('event_log_seq') AS s")).rows[0].s);
        for (const w of written) {
          await c.query(`INSERT INTO event_log_files (source, day, object_key, sha256, rows, bytes, min_ts, max_ts, seq, staged)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, [source, w.day, w.key, w.sha256, w.rows, w.bytes, w.minTs, w.maxTs, seq,
            !!opts.staged || w.rows < SMALL_FILE_ROWS]);
        }
        return true;
      });
      if (!stored) {
        await this.removeQuietly(written.map((w) => w.key));
        return { added: 0, alreadyStored: run.n, files: 0 };
      }
      return { added: run.n, alreadyStored: 0, files: written.length };
    } catch (err) {
      // Objects without a manifest row are invisible; removing them now saves the garbage collection the work.
      await this.removeQuietly(written.map((w) => w.key));
      throw err;
    }
  }

  private async removeQuietly(keys: string[]): Promise<void> {
    for (const k of keys) await this.artifacts.remove(k).catch(() => undefined);
  }

  private async files(source: string, beforeTs?: number, fromTs?: number): Promise<LogFile[]> {
    const r = await this.pool.query<FileRow>(`SELECT ${FILE_COLUMNS} FROM event_log_files WHERE source = $1 AND min_ts < $2 AND max_ts >= $3
      ORDER BY day, seq, id`, [source, beforeTs ?? Number.MAX_SAFE_INTEGER, fromTs ?? Number.MIN_SAFE_INTEGER]);
    return r.rows.map(fileOf);
  }

  async count(source: string, beforeTs?: number): Promise<number> {
    // Exact only when beforeTs falls between files; a reader uses it to size its columns, never as a result.
    const files = await this.files(source, beforeTs);
    return files.reduce((s, f) => s + f.rows, 0);
  }

  async read(source: string, into: Pick<EventLogBuilder, 'addColumns' | 'addMerged'>, beforeTs?: number): Promise<number> {
    // A day of several files is merged straight into the builder, stretch by stretch: merging into a run first
    // (as scan does) interned every id twice and was a third of a 10M-view build's time on the server's thread.
    return this.eachDay(source, (_day, runs) => {
      if (runs.length === 1) into.addColumns(runs[0]);
      else into.addMerged(runs);
    }, beforeTs);
  }

  async scan(source: string, onDay: (day: string, run: ViewRun) => Promise<void> | void, beforeTs?: number, fromTs?: number): Promise<number> {
    return this.eachDay(source, (day, runs) => onDay(day, runs.length === 1 ? runs[0] : mergedRun(runs)), beforeTs, fromTs);
  }

  /**
   * Calls `onDay` with each market day's files as runs, each cut to fromTs <= ts < beforeTs, in the manifest's
   * order (day, then arrival); days without such views are skipped. Returns how many views it handed out.
   */
  private async eachDay(source: string, onDay: (day: string, runs: ViewRun[]) => Promise<void> | void, beforeTs?: number, fromTs?: number): Promise<number> {
    const files = await this.files(source, beforeTs, fromTs);
    const days: [string, LogFile[]][] = [];
    for (const f of files) {
      if (days.length === 0 || days[days.length - 1][0] !== f.day) days.push([f.day, []]);
      days[days.length - 1][1].push(f);
    }
    // The next day's objects are fetched while a day is decoded.
    const fetchDay = (fs: LogFile[]) => {
      const p = Promise.all(fs.map((f) => this.artifacts.get(f.key, f.sha256)));
      p.catch(() => undefined);
      return p;
    };
    let ahead = days.length ? fetchDay(days[0][1]) : undefined;
    let total = 0;
    for (let d = 0; d < days.length; d++) {
      const [day] = days[d];
      let bytes: Buffer[];
      try {
        bytes = await ahead!;
      } catch (err) {
        if (!(err instanceof DomainError && err.code === 'NOT_FOUND')) throw err;
        // A compaction replaced this day's files after the listing: the day's new files hold the same views.
        bytes = await fetchDay(await this.dayFiles(source, day, beforeTs));
      }
      ahead = d + 1 < days.length ? fetchDay(days[d + 1][1]) : undefined;
      const runs: ViewRun[] = [];
      let n = 0;
      for (const b of bytes) {
        // Every file is in time order, so the views in [fromTs, beforeTs) are one stretch of it.
        let run = await decodeViewFile(b);
        let end = run.n;
        if (beforeTs !== undefined) while (end > 0 && !(run.ts[end - 1] < beforeTs)) end--;
        let start = 0;
        if (fromTs !== undefined) while (start < end && run.ts[start] < fromTs) start++;
        if (start > 0 || end < run.n) run = sliceRun(run, start, end);
        if (run.n) {
          runs.push(run);
          n += run.n;
        }
      }
      total += n;
      if (n) await onDay(day, runs);
    }
    return total;
  }

  private async dayFiles(source: string, day: string, beforeTs?: number): Promise<LogFile[]> {
    const r = await this.pool.query<FileRow>(`SELECT ${FILE_COLUMNS} FROM event_log_files WHERE source = $1 AND day = $2 AND min_ts < $3 ORDER BY seq, id`,
      [source, day, beforeTs ?? Number.MAX_SAFE_INTEGER]);
    return r.rows.map(fileOf);
  }

  async watchMeans(users: string[], fromTs: number, beforeTs: number): Promise<Map<string, number>> {
    const want = new Set(users);
    const sum = new Map<string, number>();
    const count = new Map<string, number>();
    const sources = await this.pool.query<{ source: string }>('SELECT DISTINCT source FROM event_log_files WHERE min_ts < $1 AND max_ts >= $2 ORDER BY 1',
      [beforeTs, fromTs]);
    for (const { source } of sources.rows) {
      await this.scan(source, (_day, run) => {
        const hit = run.userIds.map((u) => want.has(u));
        for (let k = 0; k < run.n; k++) {
          if (!hit[run.user[k]]) continue;
          const u = run.userIds[run.user[k]];
          sum.set(u, (sum.get(u) ?? 0) + run.timespentS[k]);
          count.set(u, (count.get(u) ?? 0) + 1);
        }
      }, beforeTs, fromTs);
    }
    return new Map([...sum].map(([u, s]) => [u, s / count.get(u)!]));
  }

  async newestTs(source: string): Promise<number | undefined> {
    const r = await this.pool.query('SELECT max(max_ts) AS t FROM event_log_files WHERE source = $1', [source]);
    return r.rows[0].t === null ? undefined : Number(r.rows[0].t);
  }

  async stats(source: string): Promise<LogStats> {
    const r = await this.pool.query(`SELECT count(*)::int AS files, count(*) FILTER (WHERE staged)::int AS staged, coalesce(sum(rows), 0)::bigint AS rows,
      coalesce(sum(bytes), 0)::bigint AS bytes FROM event_log_files WHERE source = $1`, [source]);
    const row = r.rows[0];
    return { files: row.files, stagedFiles: row.staged, rows: Number(row.rows), bytes: Number(row.bytes) };
  }

  async sourcesStagedBefore(ageS: number): Promise<string[]> {
    const r = await this.pool.query<{ source: string }>(`SELECT DISTINCT source FROM event_log_files
      WHERE staged AND create_time < now() - ($1::double precision * interval '1 second')`, [ageS]);
    return r.rows.map((row) => row.source);
  }

  async compact(source: string, opts: { minFiles?: number } = {}): Promise<{ merged: number; written: number }> {
    const lock = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await lock.query('SELECT pg_advisory_lock($1, hashtext($2))', [COMPACT_LOCK_CLASS, source]);
      try {
        return await this.compactLocked(source, opts);
      } finally {
        await lock.query('SELECT pg_advisory_unlock($1, hashtext($2))', [COMPACT_LOCK_CLASS, source]).catch((err: Error) => { broken = err; });
      }
    } finally {
      // A connection whose unlock failed is closed, which releases the lock with it.
      lock.release(broken);
    }
  }

  private async compactLocked(source: string, opts: { minFiles?: number }): Promise<{ merged: number; written: number }> {
    const minFiles = Math.max(1, opts.minFiles ?? 1);
    // A day's small files that are not staged (an earlier compaction of a few batches) are merged again with it.
    const byDay = new Map<string, LogFile[]>();
    for (const f of await this.files(source)) {
      if (!f.staged && f.rows >= SMALL_FILE_ROWS) continue;
      let list = byDay.get(f.day);
      if (!list) byDay.set(f.day, (list = []));
      list.push(f);
    }
    let merged = 0;
    let written = 0;
    for (const [day, fs] of byDay) {
      if (fs.filter((f) => f.staged).length < minFiles || (fs.length < 2 && !fs[0].staged)) continue;
      if (fs.length === 1) {
        // One file alone needs no rewrite: it just stops waiting.
        await this.pool.query('UPDATE event_log_files SET staged = false WHERE id = $1', [fs[0].id]);
        continue;
      }
      const runs: ViewRun[] = [];
      try {
        for (const f of fs) runs.push(await decodeViewFile(await this.artifacts.get(f.key, f.sha256)));
      } catch (err) {
        if (err instanceof DomainError && err.code === 'NOT_FOUND') continue; // another process compacted this day
        throw err;
      }
      const run = mergedRun(runs);
      const bytes = wrap(await encodeViewFileOffThread(run));
      const put = await this.artifacts.put(`${viewDayPrefix(source, day)}${partName()}.parquet`, bytes);
      const swapped = await withTransaction(this.pool, async (c) => {
        const d = await c.query('DELETE FROM event_log_files WHERE id = ANY($1)', [fs.map((f) => f.id)]);
        // Someone else swapped some of them: roll the partial delete back (their views are in no other file
        // of ours) and leave the day to them.
        if (d.rowCount !== fs.length) throw new LostSwap();
        await c.query(`INSERT INTO event_log_files (source, day, object_key, sha256, rows, bytes, min_ts, max_ts, seq, staged)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, false)`,
        [source, day, put.key, put.sha256, run.n, put.size, run.ts[0], run.ts[run.n - 1], Math.min(...fs.map((f) => f.seq))]);
        return true;
      }).catch(async (err: unknown) => {
        await this.removeQuietly([put.key]);
        if (err instanceof LostSwap) return false;
        throw err;
      });
      if (!swapped) continue;
      await this.removeQuietly(fs.map((f) => f.key));
      merged += fs.length;
      written++;
    }
    return { merged, written };
  }

  async putCatalogue(source: string, items: ItemRecord[]): Promise<{ key: string; rows: number }> {
    const bytes = Buffer.from(await encodeItemFile(items));
    const put = await this.artifacts.put(`${itemPrefix(source)}${partName()}.parquet`, bytes);
    const old = await withTransaction(this.pool, async (c) => {
      const prev = await c.query<{ object_key: string }>('SELECT object_key FROM event_log_catalogues WHERE source = $1 FOR UPDATE', [source]);
      await c.query(`INSERT INTO event_log_catalogues (source, object_key, sha256, rows, bytes) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (source) DO UPDATE SET object_key = EXCLUDED.object_key, sha256 = EXCLUDED.sha256, rows = EXCLUDED.rows, bytes = EXCLUDED.bytes,
          update_time = now()`, [source, put.key, put.sha256, items.length, put.size]);
      return prev.rows.map((r) => r.object_key);
    }).catch(async (err: unknown) => {
      await this.removeQuietly([put.key]);
      throw err;
    });
    await this.removeQuietly(old);
    return { key: put.key, rows: items.length };
  }

  async deleteSource(source: string): Promise<number> {
    const keys = await withTransaction(this.pool, async (c) => {
      const r = await c.query<{ object_key: string }>('DELETE FROM event_log_files WHERE source = $1 RETURNING object_key', [source]);
      const cat = await c.query<{ object_key: string }>('DELETE FROM event_log_catalogues WHERE source = $1 RETURNING object_key', [source]);
      await c.query('DELETE FROM event_log_batches WHERE source = $1', [source]);
      return [...r.rows, ...cat.rows].map((x) => x.object_key);
    });
    await this.removeQuietly(keys);
    return keys.length;
  }

  async liveKeys(): Promise<Set<string>> {
    const r = await this.pool.query<{ object_key: string }>('SELECT object_key FROM event_log_files UNION ALL SELECT object_key FROM event_log_catalogues');
    return new Set(r.rows.map((x) => x.object_key));
  }
}

function isSorted(run: ViewRun): boolean {
  for (let k = 1; k < run.n; k++) if (run.ts[k] < run.ts[k - 1]) return false;
  return true;
}

/** A run in time order (stable). */
function resort(run: ViewRun): ViewRun {
  const b = new ViewRunBuilder(run.n);
  b.addRows(run);
  return b.take();
}

/** Bytes as a Buffer over the same memory (Buffer.from of a Uint8Array copies a whole file). */
function wrap(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
