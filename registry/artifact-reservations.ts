// Artifact reservations: every key a registration will write is reserved (a unique row) before its upload and
// marked stored after it, so that a key is written once and never reused, and what a crash or a failed clean-up
// leaves behind (reserved, never stored) is found and removed later.
import type { PoolClient } from 'pg';
import type { Database } from './data-source';
import { checkKey, sha256Hex, type ArtifactStore } from './artifact-store';
import { DomainError } from '../core/errors';
import { mapPgError } from './pg-errors';

/** A stored object: its key, sha256 and size. */
export interface StoredObject {
  key: string;
  sha256: string;
  size: number;
}

/** A key reserved but never stored. */
export interface OrphanKey {
  key: string;
  owner: string;
  reserveTime: Date;
}

/** Finding and removing what failed registrations left behind. */
export interface OrphanArtifacts {
  /** Reserved-but-never-stored keys older than `olderThanMs`: left by a crash or a failed cleanup. */
  orphans(olderThanMs?: number): Promise<OrphanKey[]>;
  /** Removes the objects and reservations of orphans older than `olderThanMs`; returns the keys removed. */
  cleanupOrphans(olderThanMs?: number): Promise<string[]>;
}

/** Reservations in `artifact_reservations`, objects in the artifact store. */
export class ArtifactReservations implements OrphanArtifacts {
  constructor(private readonly db: Database, private readonly artifacts: ArtifactStore) {}

  /** Reserves `keys` for `owner` inside the caller's transaction; ALREADY_EXISTS when one is taken. */
  async reserve(c: PoolClient, owner: string, keys: string[]): Promise<void> {
    for (const k of keys) checkKey(k);
    try {
      await c.query(`INSERT INTO artifact_reservations (key, owner, state) SELECT unnest($1::text[]), $2, 'reserved'`, [keys, owner]);
    } catch (err) {
      throw mapPgError(err, { unique: `artifact keys under ${owner}/ are taken already; artifacts are immutable` });
    }
  }

  /** Marks uploaded objects stored (immutable from then on) inside the caller's transaction. */
  async markStored(c: PoolClient, objects: StoredObject[]): Promise<void> {
    for (const r of objects) {
      await c.query(`UPDATE artifact_reservations SET state = 'stored', sha256 = $2, size = $3 WHERE key = $1 AND state = 'reserved'`,
        [r.key, r.sha256, r.size]);
    }
  }

  /** Uploads a reserved key, checking the store's sha256 against the buffer's (DATA_LOSS on a mismatch). */
  async upload(key: string, data: Buffer, contentType?: string): Promise<StoredObject> {
    const stored = await this.artifacts.put(key, data, contentType);
    // The store hashes what it sent; check it against our own hash of the buffer as well.
    const sha = sha256Hex(data);
    if (stored.sha256 !== sha) throw new DomainError('DATA_LOSS', `artifact "${key}": the store reports sha256 ${stored.sha256}, expected ${sha}`);
    return { key, sha256: sha, size: data.length };
  }

  /** Removes the objects and reservations of a failed registration; returns the keys it could not remove. */
  async cleanup(prefix: string, keys: string[]): Promise<string[]> {
    const left: string[] = [];
    for (const k of keys) {
      try {
        await this.artifacts.remove(k);
      } catch {
        if (await this.artifacts.exists(k).catch(() => true)) left.push(k);
      }
    }
    try {
      await this.db.pool.query(`DELETE FROM artifact_reservations WHERE owner = $1 AND state = 'reserved' AND NOT (key = ANY($2::text[]))`,
        [prefix.slice(0, -1), left]);
    } catch {
      // The reservations stay as 'reserved' and are listed by orphans(); nothing else depends on them.
    }
    return left;
  }

  /** Reserved-but-never-stored keys older than `olderThanMs`: left by a crash or a failed cleanup. */
  async orphans(olderThanMs = 60 * 60 * 1000): Promise<OrphanKey[]> {
    const r = await this.db.pool.query<{ key: string; owner: string; reserve_time: Date }>(
      `SELECT key, owner, reserve_time FROM artifact_reservations
       WHERE state = 'reserved' AND reserve_time < now() - ($1::double precision * interval '1 millisecond') ORDER BY key`, [olderThanMs]);
    return r.rows.map((x) => ({ key: x.key, owner: x.owner, reserveTime: x.reserve_time }));
  }

  /** Removes the objects and reservations of orphans older than `olderThanMs`; returns the keys removed. */
  async cleanupOrphans(olderThanMs = 60 * 60 * 1000): Promise<string[]> {
    const done: string[] = [];
    for (const o of await this.orphans(olderThanMs)) {
      try {
        await this.artifacts.remove(o.key);
        await this.db.pool.query(`DELETE FROM artifact_reservations WHERE key = $1 AND state = 'reserved'`, [o.key]);
        done.push(o.key);
      } catch {
        // left for the next run
      }
    }
    return done;
  }
}
