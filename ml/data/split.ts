// The time-ordered split: the first `trainFrac` of the window's duration trains, the next `valFrac` of it is
// the validation part (training's progress metrics and early stopping), and the rest is the test part, tagged
// by its calendar day in the market time zone (evaluation is per day and reads only the test part).
import type { MarketClock, Window } from './time';

/** The split instant: views with ts < it train, views at or after it are held out. */
export function splitTime(w: Window, trainFrac: number): number {
  if (!(trainFrac > 0 && trainFrac < 1)) throw new Error(`train-frac: ${trainFrac} is not strictly between 0 and 1`);
  return w.startMs + Math.round(trainFrac * (w.endMs - w.startMs));
}

/** The two cut instants: training is ts < trainEnd, validation trainEnd <= ts < testStart, test ts >= testStart. */
export interface SplitTimes {
  trainEnd: number;
  /** Equal to trainEnd when there is no validation part (valFrac 0). */
  testStart: number;
}

/** The cut instants of a train | validation | test split by time (valFrac 0: no validation part). */
export function splitTimes(w: Window, trainFrac: number, valFrac: number): SplitTimes {
  const trainEnd = splitTime(w, trainFrac);
  if (!(valFrac >= 0 && valFrac < 1)) throw new Error(`val-frac: ${valFrac} is not in 0..1 (0 = no validation part)`);
  if (!(trainFrac + valFrac < 1)) {
    throw new Error(`train-frac ${trainFrac} + val-frac ${valFrac} leave no test part; make their sum less than 1 (for example 0.6 and 0.1)`);
  }
  const testStart = valFrac === 0 ? trainEnd : w.startMs + Math.round((trainFrac + valFrac) * (w.endMs - w.startMs));
  return { trainEnd, testStart };
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
