// Market time: hour of day, day of week and calendar date of epoch-ms times in a named time zone, and the
// parsing of dataset windows (`2022-04-25..2022-05-01` or `last-7d`, inclusive calendar dates there).
// Offsets come from Intl once per UTC hour and are cached, so a million rows cost a few dozen Intl calls.

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Converts epoch-ms times to local calendar facts of one time zone. */
export class MarketClock {
  private readonly offsets = new Map<number, number>();
  private readonly fmt: Intl.DateTimeFormat;
  // A one-entry cache in front of the map: time-ordered callers ask for the same hour many times in a row.
  private lastHour = Number.NaN;
  private lastOff = 0;

  constructor(readonly timezone: string) {
    try {
      this.fmt = new Intl.DateTimeFormat('en-US', {
        timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
      });
    } catch {
      throw new Error(`timezone: "${timezone}" is not an IANA time zone (for example Asia/Kolkata)`);
    }
  }

  /** The zone's offset from UTC in ms at time `ms`. */
  offsetMs(ms: number): number {
    const hour = Math.floor(ms / HOUR);
    if (hour === this.lastHour) return this.lastOff;
    let off = this.offsets.get(hour);
    if (off === undefined) {
      const p: Record<string, string> = {};
      for (const part of this.fmt.formatToParts(new Date(hour * HOUR))) p[part.type] = part.value;
      const local = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
      off = local - hour * HOUR;
      if (this.offsets.size > 100_000) this.offsets.clear();
      this.offsets.set(hour, off);
    }
    this.lastHour = hour;
    this.lastOff = off;
    return off;
  }

  /** Local wall-clock time as if it were UTC (epoch ms). */
  local(ms: number): number {
    return ms + this.offsetMs(ms);
  }

  /** Hour of day 0-23. */
  hod(ms: number): number {
    return ((Math.floor(this.local(ms) / HOUR) % 24) + 24) % 24;
  }

  /** Day of week, 0 = Monday .. 6 = Sunday. */
  dow(ms: number): number {
    // 1970-01-01 was a Thursday (3 with Monday = 0).
    const d = Math.floor(this.local(ms) / DAY);
    return (((d + 3) % 7) + 7) % 7;
  }

  /** The local calendar date, YYYY-MM-DD. */
  date(ms: number): string {
    return new Date(Math.floor(this.local(ms) / DAY) * DAY).toISOString().slice(0, 10);
  }

  /** The local day number (days since 1970-01-01 in the zone). */
  dayNumber(ms: number): number {
    return Math.floor(this.local(ms) / DAY);
  }

  /** The epoch ms of local midnight starting a calendar date (YYYY-MM-DD). */
  midnight(date: string): number {
    const naive = Date.parse(`${date}T00:00:00Z`);
    // Two refinements handle offsets that differ across the boundary (DST).
    let t = naive - this.offsetMs(naive);
    t = naive - this.offsetMs(t);
    return t;
  }
}

/** A dataset window: [startMs, endMs) covering inclusive calendar dates `from`..`to` in the market zone. */
export interface Window {
  from: string;
  to: string;
  startMs: number;
  endMs: number;
  /** The calendar dates of the window, in order. */
  dates: string[];
}

/** Adds days to a YYYY-MM-DD date. */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
}

/**
 * Parses `YYYY-MM-DD..YYYY-MM-DD` or `last-Nd` (the N days ending with the date of `newestMs`). Throws with a
 * message that says the expected form.
 */
export function parseWindow(spec: string, clock: MarketClock, newestMs?: number): Window {
  let from: string;
  let to: string;
  const last = /^last-(\d{1,3})d$/.exec(spec);
  const range = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(spec);
  if (last) {
    const n = Number(last[1]);
    if (n < 1) throw new Error(`window: "${spec}" needs at least 1 day`);
    if (newestMs === undefined) throw new Error('window: last-Nd needs at least one event in the store');
    to = clock.date(newestMs);
    from = addDays(to, -(n - 1));
  } else if (range) {
    [from, to] = [range[1], range[2]];
    for (const d of [from, to]) {
      if (Number.isNaN(Date.parse(`${d}T00:00:00Z`)) || addDays(d, 0) !== d) throw new Error(`window: "${d}" is not a calendar date`);
    }
    if (from > to) throw new Error(`window: ${from} is after ${to}; write FROM..TO`);
  } else {
    throw new Error(`window: "${spec}" is not FROM..TO (2022-04-25..2022-05-01) or last-Nd (last-7d)`);
  }
  const dates: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) dates.push(d);
  return { from, to, startMs: clock.midnight(from), endMs: clock.midnight(addDays(to, 1)), dates };
}
