// The garbage collection of the bucket: objects that no row references, left by a crash between an upload and
// its row (a killed registration, dataset build or evaluation), by a failed build, or by a deletion whose object
// removal failed. Each kind of resource that owns objects is one entry of OBJECT_OWNERS: the prefix its objects
// live under, how to tell the unit (one resource's folder) of a key, and which units the database still holds.
// Keys outside every owner's prefix are never looked at, and objects younger than the grace period are left
// alone, so an upload in flight (whose row is written after it) is never taken.
import type { ArtifactStore, ObjectInfo } from './artifact-store';
import type { Database } from './data-source';
import { datasetPrefix, evaluationPrefix } from './retention';
import { versionPrefix } from './registry-store';
import { EVENT_LOG_PREFIX } from './event-log';

type Query = <R extends object>(sql: string, params?: unknown[]) => Promise<R[]>;

/** One kind of resource whose rows own objects in the bucket. */
export interface ObjectOwner {
  /** The kind's name in reports: `version`, `dataset`, `evaluation`. */
  kind: string;
  /** Every object of this kind is under this prefix. */
  prefix: string;
  /**
   * The unit prefix (one resource's folder, ending in "/") of a key under `prefix`, or undefined for a key of no
   * unit; an owner whose objects are each a resource of their own (the event log's files) returns the key itself.
   */
  unitOf(key: string): string | undefined;
  /** The unit prefixes that rows still reference (including work in flight). */
  liveUnits(q: Query, graceSeconds: number): Promise<Set<string>>;
}

/**
 * A registration's reservations keep its objects for at least this long, whatever the grace period: an upload
 * of up to 1 GiB can outlast a short grace, and the registry's own sweep gives abandoned ones six hours as well.
 */
export const RESERVATION_SECONDS = 6 * 3600;

/** How old a reservation must be before it counts as abandoned. */
function reservationAge(graceSeconds: number): number {
  return Math.max(graceSeconds, RESERVATION_SECONDS);
}

/** Keeps the first `n` path segments of a key as its unit prefix (`datasets/ds-1/shards/0.bin`, 2 -> `datasets/ds-1/`). */
function segments(n: number): (key: string) => string | undefined {
  return (key) => {
    const parts = key.split('/');
    return parts.length > n ? `${parts.slice(0, n).join('/')}/` : undefined;
  };
}

/**
 * The owners of objects in the bucket. A new kind of resource that writes objects adds one entry here (and
 * deletes its own objects with its rows, as retention.ts does).
 */
export const OBJECT_OWNERS: ObjectOwner[] = [
  {
    // models/{model}/versions/{n}/...: a version row, or a registration still under way (its reservations).
    kind: 'version',
    prefix: 'models/',
    unitOf: segments(4),
    async liveUnits(q, graceSeconds) {
      const rows = await q<{ model: string; number: number }>('SELECT model, number FROM model_versions');
      const live = new Set(rows.map((r) => versionPrefix(r.model, r.number)));
      const pending = await q<{ owner: string }>(`SELECT DISTINCT owner FROM artifact_reservations
        WHERE state = 'reserved' AND reserve_time > now() - ($1::double precision * interval '1 second')`, [reservationAge(graceSeconds)]);
      for (const r of pending) live.add(`${r.owner}/`);
      return live;
    },
  },
  {
    // datasets/{id}/...: a ready dataset or one still building; a failed build's objects are garbage.
    kind: 'dataset',
    prefix: 'datasets/',
    unitOf: segments(2),
    async liveUnits(q) {
      const rows = await q<{ id: string }>(`SELECT id FROM datasets WHERE state IN ('ready', 'building')`);
      return new Set(rows.map((r) => datasetPrefix(r.id)));
    },
  },
  {
    // evaluations/{id}/...: the kept scores of an evaluation that did not fail and was not cancelled.
    kind: 'evaluation',
    prefix: 'evaluations/',
    unitOf: segments(2),
    async liveUnits(q) {
      const rows = await q<{ id: string }>(`SELECT id FROM evaluations WHERE lower(state) NOT IN ('failed', 'cancelled')`);
      return new Set(rows.map((r) => evaluationPrefix(r.id)));
    },
  },
  {
    // events/...: each file of the event log is its own unit (registry/event-log.ts): live while a manifest row
    // (a file of views, or a source's current catalogue) names it. A file written just before its row commits is
    // young, so the grace period keeps it; files a compaction replaced and failed to remove are garbage.
    kind: 'event-log',
    prefix: EVENT_LOG_PREFIX,
    unitOf: (key) => key,
    async liveUnits(q) {
      const rows = await q<{ object_key: string }>('SELECT object_key FROM event_log_files UNION ALL SELECT object_key FROM event_log_catalogues');
      return new Set(rows.map((r) => r.object_key));
    },
  },
];

/** The default grace period: objects written in the last hour are never collected. */
export const DEFAULT_GRACE_SECONDS = 3600;

/** One unreferenced object. */
export interface Garbage extends ObjectInfo {
  kind: string;
}

/** What a collection found and did. */
export interface CollectionReport {
  /** Unreferenced objects older than the grace period. */
  garbage: Garbage[];
  /** Objects under the owners' prefixes looked at. */
  scanned: number;
  /** Unreferenced objects younger than the grace period (left alone). */
  young: number;
  graceSeconds: number;
  dryRun: boolean;
  /** Keys whose deletion failed. */
  failed: string[];
  /** Stale reservations (registrations that never finished) removed. */
  reservationsRemoved: number;
}

/** Finds the bucket's unreferenced objects and, unless a dry run, deletes them; audited as a platform-wide `gc`. */
export async function collectGarbage(db: Database, artifacts: ArtifactStore,
  opts: { graceSeconds?: number; dryRun?: boolean; actor: string; owners?: ObjectOwner[] }): Promise<CollectionReport> {
  const graceSeconds = opts.graceSeconds && opts.graceSeconds > 0 ? opts.graceSeconds : DEFAULT_GRACE_SECONDS;
  const q: Query = async (sql, params) => (await db.pool.query(sql, params)).rows;
  const cutoff = Date.now() - graceSeconds * 1000;
  const report: CollectionReport = { garbage: [], scanned: 0, young: 0, graceSeconds, dryRun: !!opts.dryRun, failed: [], reservationsRemoved: 0 };
  for (const owner of opts.owners ?? OBJECT_OWNERS) {
    // The listing comes first: a row committed after it is seen by the query below, so its objects stay.
    const objects = await artifacts.listObjects(owner.prefix);
    const live = await owner.liveUnits(q, graceSeconds);
    report.scanned += objects.length;
    for (const o of objects) {
      const unit = owner.unitOf(o.key);
      if (unit === undefined || live.has(unit)) continue; // a key of no unit is not the platform's to judge
      if (o.lastModified.getTime() > cutoff) {
        report.young++;
        continue;
      }
      report.garbage.push({ ...o, kind: owner.kind });
    }
  }
  if (!opts.dryRun) {
    for (const g of report.garbage) await artifacts.remove(g.key).catch(() => { report.failed.push(g.key); });
    // Reservations of registrations that never finished (abandoned, see RESERVATION_SECONDS): their objects went above.
    const r = await db.pool.query(`DELETE FROM artifact_reservations WHERE state = 'reserved'
      AND reserve_time < now() - ($1::double precision * interval '1 second') AND NOT (key = ANY($2::text[]))`, [reservationAge(graceSeconds), report.failed]);
    report.reservationsRemoved = r.rowCount ?? 0;
    await q(`INSERT INTO audit_events (model, action, actor, outcome, detail) VALUES ('', 'gc', $1, 'done', $2)`, [opts.actor, JSON.stringify({
      objects: report.garbage.length, bytes: report.garbage.reduce((s, g) => s + g.size, 0), failed: report.failed.length,
      reservations: report.reservationsRemoved, graceSeconds })]);
  }
  return report;
}
