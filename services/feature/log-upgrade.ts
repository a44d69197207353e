// The move of an older store's views from the Postgres table view_events into the event log's files, run by the
// feature service at its start. Each (source, market day) becomes one batch whose key names them, so a move cut
// short (the process killed) starts again where it stopped and never stores a day twice; the table is dropped
// once every day is stored. Views keep their order (ts, then the order they were inserted).
import type { Pool } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { MarketClock } from '../../ml/data/time';
import { ViewRunBuilder } from '../../ml/data/view-run';
import type { EventLogStore } from '../../registry/event-log';
import { withTransaction } from '../../registry/transaction';

/** What a move did. */
export interface MoveReport {
  /** Views stored in files by this move. */
  moved: number;
  /** Market days stored (new batches). */
  days: number;
  /** Market days a previous, interrupted move had stored already. */
  daysAlreadyStored: number;
  /** Whether there was a view_events table to move. */
  found: boolean;
}

const unesc = (v: string) => (v.includes('\\') ? v.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r' }[c] ?? c)) : v);

/** The batch key of one moved market day. */
export function movedDayKey(source: string, day: string): string {
  return `view_events:${source}:${day}`;
}

/**
 * Moves every row of view_events into the event log and drops the table; does nothing when the table is gone.
 * Serialised by an advisory lock, so two services starting together move once.
 */
export async function moveViewEvents(pool: Pool, events: EventLogStore): Promise<MoveReport> {
  const report: MoveReport = { moved: 0, days: 0, daysAlreadyStored: 0, found: false };
  const lock = await pool.connect();
  try {
    await lock.query("SELECT pg_advisory_lock(hashtext('modelops.view_events.move'))");
    const exists = (await lock.query("SELECT to_regclass('view_events') IS NOT NULL AS e")).rows[0].e as boolean;
    if (!exists) return report;
    report.found = true;
    const sources = (await lock.query<{ source: string; timezone: string | null }>(`SELECT v.source, s.timezone FROM (SELECT DISTINCT source FROM view_events) v
      LEFT JOIN event_sources s ON s.source = v.source ORDER BY v.source`)).rows;
    for (const { source, timezone } of sources) await moveSource(pool, events, source, timezone ?? 'UTC', report);
    await lock.query('DROP TABLE view_events');
    return report;
  } finally {
    await lock.query("SELECT pg_advisory_unlock(hashtext('modelops.view_events.move'))").catch(() => undefined);
    lock.release();
  }
}

async function moveSource(pool: Pool, events: EventLogStore, source: string, timezone: string, report: MoveReport): Promise<void> {
  const clock = new MarketClock(timezone);
  const b = new ViewRunBuilder(1 << 16);
  let day = Number.NaN;
  let date = '';
  const store = async () => {
    if (b.size === 0) return;
    const run = b.take();
    const r = await events.append(source, timezone, run, movedDayKey(source, date));
    report.moved += r.added;
    if (r.added) report.days++;
    else report.daysAlreadyStored++;
  };
  // One read-only transaction: SET LOCAL's sort memory lasts for the COPY's ORDER BY.
  await withTransaction(pool, async (client) => {
    await client.query("SET LOCAL work_mem = '256MB'");
    const out = client.query(copyTo(`COPY (SELECT user_id, item_id, creator_id, ts, language, video_length_s, timespent_s, liked, shared, downloaded,
      handset_maker, affinity FROM view_events WHERE source = '${source.replace(/'/g, "''")}' ORDER BY ts, id) TO STDOUT`));
    const take = async (line: string) => {
      const f = line.split('\t');
      const ts = Number(f[3]);
      const d = clock.dayNumber(ts);
      if (d !== day) {
        await store();
        day = d;
        date = clock.date(ts);
      }
      const flags = (f[7] === 't' ? 1 : 0) | (f[8] === 't' ? 2 : 0) | (f[9] === 't' ? 4 : 0);
      b.addRaw(unesc(f[0]), unesc(f[1]), unesc(f[2]), ts, unesc(f[4]), f[5] === '\\N' ? Number.NaN : Number(f[5]), Number(f[6]), flags, unesc(f[10]),
        f[11] === '\\N' ? Number.NaN : Number(f[11]));
    };
    let rest = '';
    for await (const chunk of out) {
      const text = rest + (chunk as Buffer).toString('utf8');
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        await take(text.slice(start, nl));
        start = nl + 1;
      }
      rest = text.slice(start);
    }
    if (rest) await take(rest);
  }, { readOnlySnapshot: true });
  await store();
}
