// The time-ordered split: the first `trainFrac` of the window's duration trains, the rest is held out and
// tagged by its calendar day in the market time zone (evaluation is per day).
import type { MarketClock, Window } from './time';

/** The split instant: views with ts < it train, views at or after it are held out. */
export function splitTime(w: Window, trainFrac: number): number {
  if (!(trainFrac > 0 && trainFrac < 1)) throw new Error(`train-frac: ${trainFrac} is not strictly between 0 and 1`);
  return w.startMs + Math.round(trainFrac * (w.endMs - w.startMs));
}

/** The held-out calendar dates: from the date of the split instant to the window's last date. */
export function heldoutDays(clock: MarketClock, w: Window, splitMs: number): string[] {
  const first = clock.date(splitMs);
  return w.dates.filter((d) => d >= first);
}

/** The held-out day index of a time (index into heldoutDays), or -1 before the split. */
export function dayIndex(clock: MarketClock, splitMs: number, ts: number): number {
  if (ts < splitMs) return -1;
  return clock.dayNumber(ts) - clock.dayNumber(splitMs);
}
