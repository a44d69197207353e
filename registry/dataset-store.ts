// The datasets table: one row per dataset with its spec, state, counts, summary and the checksum of its
// meta.json. Rows map to plain Dataset objects here; nothing else reads the table's columns.
import type { Pool } from 'pg';
import { notFound } from '../core/errors';

/** A dataset as the service layer sees it. */
export interface DatasetRecord {
  id: string;
  state: 'building' | 'ready' | 'failed';
  source: string;
  spec: { window: string; trainFrac: number; label: string; task: string; buckets: string; timezone: string; [k: string]: unknown };
  counts: Record<string, number>;
  summary: Record<string, unknown>;
  progress: { fraction?: number; phase?: string };
  metaKey: string;
  metaSha256: string;
  shardCount: number;
  error: string;
  createdBy: string;
  createTime: Date;
  updateTime: Date;
}

function toRecord(r: Record<string, unknown>): DatasetRecord {
  return {
    id: r.id as string, state: r.state as DatasetRecord['state'], source: r.source as string, spec: r.spec as DatasetRecord['spec'],
    counts: r.counts as Record<string, number>, summary: r.summary as Record<string, unknown>, progress: r.progress as DatasetRecord['progress'],
    metaKey: r.meta_key as string, metaSha256: r.meta_sha256 as string, shardCount: r.shard_count as number, error: r.error as string,
    createdBy: r.created_by as string, createTime: r.create_time as Date, updateTime: r.update_time as Date,
  };
}

/** The advisory-lock class of dataset builds: the process building a dataset holds (BUILD_LOCK_CLASS, hashtext(id)). */
const BUILD_LOCK_CLASS = 7644;

/** Reads and writes dataset rows, and holds the lock that marks a build as alive. */
export class DatasetStore {
  constructor(private readonly pool: Pool) {}

  /**
   * Runs `build` while holding the dataset's advisory lock on a dedicated connection, so another process can tell
   * a live build from one whose server died. `onConnectionError` hears an error of the idle lock connection
   * (Postgres restarting): the build's own next query surfaces it; only the lock is lost.
   */
  async withBuildLock<T>(id: string, build: () => Promise<T>, onConnectionError: (err: Error) => void): Promise<T> {
    const client = await this.pool.connect();
    client.on('error', onConnectionError);
    let broken = false;
    try {
      await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [BUILD_LOCK_CLASS, id]);
      return await build();
    } catch (err) {
      broken = true;
      throw err;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [BUILD_LOCK_CLASS, id]).catch(() => { broken = true; });
      client.removeListener('error', onConnectionError);
      client.release(broken);
    }
  }

  /**
   * Fails the builds whose process died (their lock is free), calling `failed(id)` for each while still holding
   * its lock (to remove what it wrote). A build still queued behind another in a live process holds no lock yet,
   * so a queued one is failed only once it has been quiet for `queuedStaleMs`. Returns the ids failed.
   */
  async failAbandoned(queuedStaleMs: number, failed: (id: string) => Promise<void>): Promise<string[]> {
    const rows = await this.pool.query<{ id: string }>(`SELECT id FROM datasets WHERE state = 'building'
      AND (coalesce(progress->>'phase', 'queued') <> 'queued' OR update_time < now() - ($1 || ' milliseconds')::interval)`, [String(queuedStaleMs)]);
    const ids: string[] = [];
    for (const { id } of rows.rows) {
      const client = await this.pool.connect();
      try {
        const t = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [BUILD_LOCK_CLASS, id]);
        if (!t.rows[0].ok) continue;
        try {
          const u = await client.query(`UPDATE datasets SET state = 'failed', error = 'the build stopped before it finished (its server exited); start it again',
            update_time = now() WHERE id = $1 AND state = 'building'`, [id]);
          if (u.rowCount) {
            await failed(id);
            ids.push(id);
          }
        } finally {
          await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [BUILD_LOCK_CLASS, id]);
        }
      } finally {
        client.release();
      }
    }
    return ids;
  }

  /** Inserts a new dataset in state building. */
  async create(d: { id: string; source: string; spec: DatasetRecord['spec']; createdBy: string }): Promise<DatasetRecord> {
    const r = await this.pool.query(`INSERT INTO datasets (id, state, source, spec, progress, created_by) VALUES ($1, 'building', $2, $3, $4, $5) RETURNING *`,
      [d.id, d.source, JSON.stringify(d.spec), JSON.stringify({ fraction: 0, phase: 'queued' }), d.createdBy]);
    return toRecord(r.rows[0]);
  }

  /** Records progress of a building dataset. */
  async progress(id: string, fraction: number, phase: string): Promise<void> {
    await this.pool.query(`UPDATE datasets SET progress = $2, update_time = now() WHERE id = $1 AND state = 'building'`, [id, JSON.stringify({ fraction, phase })]);
  }

  /** Marks a dataset ready with its outcome. */
  async ready(id: string, o: { counts: Record<string, number>; summary: object; metaKey: string; metaSha256: string; shardCount: number }): Promise<void> {
    await this.pool.query(`UPDATE datasets SET state = 'ready', counts = $2, summary = $3, meta_key = $4, meta_sha256 = $5, shard_count = $6,
      progress = '{"fraction": 1, "phase": "done"}', update_time = now() WHERE id = $1`,
    [id, JSON.stringify(o.counts), JSON.stringify(o.summary), o.metaKey, o.metaSha256, o.shardCount]);
  }

  /** Marks a dataset failed with the reason. */
  async failed(id: string, error: string): Promise<void> {
    await this.pool.query(`UPDATE datasets SET state = 'failed', error = $2, update_time = now() WHERE id = $1`, [id, error.slice(0, 2000)]);
  }

  /** One dataset, or NOT_FOUND. */
  async get(id: string): Promise<DatasetRecord> {
    const r = await this.pool.query('SELECT * FROM datasets WHERE id = $1', [id]);
    if (r.rowCount === 0) throw notFound(`dataset "${id}" not found; see \`modelops data list\``);
    return toRecord(r.rows[0]);
  }

  /** Datasets newest first after the keyset `after` ([create_time ISO, id]). */
  async list(opts: { after?: [string, string]; limit: number }): Promise<DatasetRecord[]> {
    const r = opts.after
      ? await this.pool.query('SELECT * FROM datasets WHERE (create_time, id) < ($1::timestamptz, $2) ORDER BY create_time DESC, id DESC LIMIT $3', [opts.after[0], opts.after[1], opts.limit])
      : await this.pool.query('SELECT * FROM datasets ORDER BY create_time DESC, id DESC LIMIT $1', [opts.limit]);
    return r.rows.map(toRecord);
  }
}
