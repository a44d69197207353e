// The rollout log: what Score served and what viewers did, as the scoring replicas and RecordOutcomes append
// it: served records (request -> user and arm), exposures (users per arm, weights and day), explored
// candidates, and outcomes joined to their rollout and arm. Appends are idempotent (a known row is kept).
import type { Database } from './data-source';
import { mapPgError } from './pg-errors';

/** One candidate a Score response moved to a random position (the exploration log). */
export interface ExplorationRecord {
  rolloutId: string;
  /** The Score request. */
  requestId: string;
  /** The arm that served it. */
  arm: string;
  userId: string;
  itemId: string;
  /** Its position in the returned list, 0-based. */
  position: number;
  /** The length of the returned list. */
  listLength: number;
  time: Date;
}

/** One outcome joined to its rollout and arm, ready to insert. */
export interface JoinedOutcome {
  /** The rollout whose arm served the view. */
  rolloutId: string;
  /** The arm (its version's name). */
  arm: string;
  /** The arm's version number. */
  versionNumber: number;
  /** The viewer. */
  userId: string;
  /** The Score request that served it; empty when the caller gave only the user. */
  requestId: string;
  /** The video viewed. */
  itemId: string;
  /** Watch time in seconds. */
  timespentS: number;
  /** Video length in seconds; 0 when unknown (then no WTG or completion). */
  videoLengthS: number;
  /** Whether the viewer liked it. */
  liked: boolean;
  /** Whether the viewer shared it. */
  shared: boolean;
  /** When the view happened (the join picks the weights in force then). */
  time: Date;
  /** The viewer's handset maker; empty when the client did not say. */
  handsetMaker?: string;
}

/** One exposure as a scoring replica counted it: a user served by an arm under given weights on a day. */
export interface ExposureRecord {
  /** The rollout. */
  rolloutId: string;
  /** The weights in force for the replica, canonical `arm=weight,...` sorted by arm (weightsKey). */
  weights: string;
  /** The arm that served the user. */
  arm: string;
  /** The user. */
  userId: string;
  /** The UTC day, YYYY-MM-DD. */
  day: string;
  /** The handset maker of the request; empty when unknown. */
  handsetMaker: string;
  /** When the replica first saw it. */
  time: Date;
}

/** The canonical text of a weight configuration, the key exposures are counted under. */
export function weightsKey(arms: { version: string; weight: number }[]): string {
  return [...arms].sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0)).map((a) => `${a.version}=${a.weight}`).join(',');
}

/** A served record: which user a request was for and which arm served it. */
export interface ServedRecord {
  requestId: string;
  model: string;
  userId: string;
  arm: string;
  time: Date;
}

/** Appending to and reading the rollout log. */
export interface RolloutLog {
  /** Inserts joined outcomes in one statement; a view already stored (rollout, user, item, time) is skipped. */
  insertOutcomes(rows: JoinedOutcome[]): Promise<{ inserted: number; duplicates: number }>;
  /** Records served requests (for outcomes that carry only a request id); a known request id is kept. */
  recordServed(rows: ServedRecord[]): Promise<void>;
  /** Deletes served records older than `before` (retention); returns how many. */
  pruneServed(before: Date): Promise<number>;
  /** The served records of request ids of a model, by request id. */
  served(model: string, requestIds: string[]): Promise<Map<string, ServedRecord>>;
  /** Records exposures; one already counted (same rollout, weights, arm, user, day, maker) is kept. */
  recordExposures(rows: ExposureRecord[]): Promise<void>;
  /** Records explored candidates (never shed: the log of missing-at-random feedback); a known (rollout, request, item) is kept. */
  recordExplorations(rows: ExplorationRecord[]): Promise<void>;
  /** The (user, item, time) of every candidate the exploration slot of any rollout of `model` showed, oldest first. */
  explorationShows(model: string): Promise<{ userId: string; itemId: string; timeMs: number }[]>;
}

/** The rollout log in `rollout_outcomes`, `rollout_served`, `rollout_exposures` and `rollout_explorations`. */
export class PgRolloutLog implements RolloutLog {
  constructor(private readonly db: Database) {}

  /** Inserts joined outcomes in one statement; a view already stored (rollout, user, item, time) is skipped. */
  async insertOutcomes(rows: JoinedOutcome[]): Promise<{ inserted: number; duplicates: number }> {
    if (rows.length === 0) return { inserted: 0, duplicates: 0 };
    const col = <K extends keyof JoinedOutcome>(k: K) => rows.map((r) => r[k]);
    try {
      const r = await this.db.pool.query(`
        INSERT INTO rollout_outcomes (rollout_id, arm, version_number, user_id, request_id, item_id, timespent_s, video_length_s, liked, shared, time, handset_maker)
        SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::float8[], $9::bool[], $10::bool[], $11::timestamptz[], $12::text[])
        ON CONFLICT (rollout_id, user_id, item_id, time) DO NOTHING`,
      [col('rolloutId'), col('arm'), col('versionNumber'), col('userId'), col('requestId'), col('itemId'), col('timespentS'),
        col('videoLengthS'), col('liked'), col('shared'), col('time'), rows.map((r) => r.handsetMaker ?? '')]);
      return { inserted: r.rowCount ?? 0, duplicates: rows.length - (r.rowCount ?? 0) };
    } catch (err) {
      throw mapPgError(err, { check: 'outcomes: timespent_s must be >= 0' });
    }
  }

  /** Records served requests (for outcomes that carry only a request id); a known request id is kept. */
  async recordServed(rows: ServedRecord[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.pool.query(`
      INSERT INTO rollout_served (request_id, model, user_id, arm, time)
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) ON CONFLICT (request_id) DO NOTHING`,
    [rows.map((r) => r.requestId), rows.map((r) => r.model), rows.map((r) => r.userId), rows.map((r) => r.arm), rows.map((r) => r.time)]);
  }

  /** Deletes served records older than `before` (retention); returns how many. */
  async pruneServed(before: Date): Promise<number> {
    const r = await this.db.pool.query('DELETE FROM rollout_served WHERE time < $1', [before]);
    return r.rowCount ?? 0;
  }

  /** The served records of request ids of a model, by request id. */
  async served(model: string, requestIds: string[]): Promise<Map<string, ServedRecord>> {
    if (requestIds.length === 0) return new Map();
    const r = await this.db.pool.query<{ request_id: string; user_id: string; arm: string; time: Date }>(
      'SELECT request_id, user_id, arm, time FROM rollout_served WHERE model = $1 AND request_id = ANY($2::text[])', [model, requestIds]);
    return new Map(r.rows.map((x) => [x.request_id, { requestId: x.request_id, model, userId: x.user_id, arm: x.arm, time: x.time }]));
  }

  /** Records exposures; one already counted (same rollout, weights, arm, user, day, maker) is kept. */
  async recordExposures(rows: ExposureRecord[]): Promise<void> {
    if (rows.length === 0) return;
    const col = <K extends keyof ExposureRecord>(k: K) => rows.map((r) => r[k]);
    await this.db.pool.query(`
      INSERT INTO rollout_exposures (rollout_id, weights, arm, user_id, day, handset_maker, first_time)
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::text[], $7::timestamptz[])
      ON CONFLICT DO NOTHING`,
    [col('rolloutId'), col('weights'), col('arm'), col('userId'), col('day'), col('handsetMaker'), col('time')]);
  }

  /** Records explored candidates (never shed: the log of missing-at-random feedback); a known (rollout, request, item) is kept. */
  async recordExplorations(rows: ExplorationRecord[]): Promise<void> {
    if (rows.length === 0) return;
    const col = <K extends keyof ExplorationRecord>(k: K) => rows.map((r) => r[k]);
    await this.db.pool.query(`
      INSERT INTO rollout_explorations (rollout_id, request_id, arm, user_id, item_id, position, list_length, time)
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::timestamptz[])
      ON CONFLICT DO NOTHING`,
    [col('rolloutId'), col('requestId'), col('arm'), col('userId'), col('itemId'), col('position'), col('listLength'), col('time')]);
  }

  async explorationShows(model: string): Promise<{ userId: string; itemId: string; timeMs: number }[]> {
    const r = await this.db.pool.query<{ user_id: string; item_id: string; time: Date }>(`
      SELECT e.user_id, e.item_id, e.time FROM rollout_explorations e JOIN rollouts r ON r.id = e.rollout_id
      WHERE r.model = $1 ORDER BY e.time`, [model]);
    return r.rows.map((x) => ({ userId: x.user_id, itemId: x.item_id, timeMs: x.time.getTime() }));
  }
}
