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

/** Reads and writes dataset rows. */
export class DatasetStore {
  constructor(private readonly pool: Pool) {}

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
