// A short-lived in-process cache of user feature rows, keyed by user and request context (hour, day,
// handset), so that a user scored several times a minute costs one feature-store round trip. Concurrent
// misses for one key share one lookup. Entries live `ttlMs` (default 30 s): rates move slowly, and a
// user's new views reach the score within that time.
import type { FeatureSource, UserContext } from './sources';
import type { FeatureLayout } from '../../ml/features/layout';

/** One user's model inputs and whether the store knew the user. */
export interface UserRow {
  userCat: Int32Array;
  userDense: Float32Array;
  /** False for a user the store does not know (the row holds cold-start features). */
  found: boolean;
  /**
   * The user vector of this row per serving version: the user tower is a pure function of the row, so it runs
   * once per (row, version) while the row is cached instead of once per call.
   */
  vectors?: Map<object, Float32Array>;
}

/** The cache. */
export class UserFeatureCache {
  private readonly entries = new Map<string, { row: UserRow; until: number }>();
  private readonly pending = new Map<string, Promise<UserRow>>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly features: FeatureSource,
    private readonly layout: FeatureLayout,
    private readonly opts: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
  ) {}

  /** The user's cached row for this context, or undefined; counts nothing (the caller counts the hit it uses). */
  peek(userId: string, ctx: UserContext): UserRow | undefined {
    const hit = this.entries.get(keyOf(userId, ctx));
    return hit && hit.until > (this.opts.now ?? Date.now)() ? hit.row : undefined;
  }

  /**
   * Up to `max` cached rows of known users, the most recently fetched first (the cache is shared by the
   * versions of one layout, so a version loaded into a serving process finds the users being served now):
   * real queries for the retrieval index's recall canary.
   */
  recentRows(max: number): UserRow[] {
    const out: UserRow[] = [];
    const rows = [...this.entries.values()];
    for (let i = rows.length - 1; i >= 0 && out.length < max; i--) if (rows[i].row.found) out.push(rows[i].row);
    return out;
  }

  /** The user's row for this context, from the cache or the store. */
  get(userId: string, ctx: UserContext): Promise<UserRow> | UserRow {
    const key = keyOf(userId, ctx);
    const now = (this.opts.now ?? Date.now)();
    const hit = this.entries.get(key);
    if (hit && hit.until > now) {
      this.hits++;
      return hit.row;
    }
    this.misses++;
    let p = this.pending.get(key);
    if (!p) {
      p = this.load(userId, ctx).then((row) => {
        const max = this.opts.maxEntries ?? 100_000;
        if (this.entries.size >= max) {
          // Drop the oldest tenth (Map keeps insertion order): cheap, and old entries are the stale ones.
          let drop = Math.ceil(max / 10);
          for (const k of this.entries.keys()) {
            if (drop-- <= 0) break;
            this.entries.delete(k);
          }
        }
        this.entries.delete(key);
        this.entries.set(key, { row, until: (this.opts.now ?? Date.now)() + (this.opts.ttlMs ?? 30_000) });
        return row;
      }).finally(() => this.pending.delete(key));
      this.pending.set(key, p);
    }
    return p;
  }

  private async load(userId: string, ctx: UserContext): Promise<UserRow> {
    const { batch, found } = await this.features.userRows([userId], ctx);
    const c = this.layout.userCat.length, d = this.layout.userDenseDim;
    return { userCat: batch.userCat.slice(0, c), userDense: batch.userDense.slice(0, d), found: Boolean(found[0]) };
  }

  /** Forgets everything (tests, and when the feature layout changes). */
  clear(): void {
    this.entries.clear();
  }
}

/** The cache key of a user in a request context. */
function keyOf(userId: string, ctx: UserContext): string {
  return `${userId}\u0001${ctx.hod}\u0001${ctx.dow}\u0001${ctx.handsetMaker ?? ''}`;
}
