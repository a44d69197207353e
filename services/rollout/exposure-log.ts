// Exposure counting for the sample-ratio check: every scoring replica notes which user each arm served,
// under which weights, on which day and handset maker, and writes each such fact once. Unlike the served
// log and shadow statistics, nothing here is ever shed: a lost exposure in one arm would itself look like a
// sample-ratio mismatch. Memory is one key per (rollout, weights, arm, user, day, maker) of the current day;
// a failed write keeps its rows for the next flush.
import { weightsKey, type ExposureRecord } from '../../registry/rollout-log';
import { NeverShedLog, type NeverShedLogOptions } from './never-shed-log';

/** What the log needs about the rollout that served a call. */
export interface ExposedPlan {
  /** The rollout's id. */
  id: string;
  /** Its arms with the weights this replica serves under. */
  arms: { name: string; weight: number }[];
}

/** Options of the log: its sink is RolloutLog.recordExposures (registry/rollout-log.ts). */
export type ExposureLogOptions = NeverShedLogOptions<ExposureRecord>;

/** The log. */
export class ExposureLog extends NeverShedLog<ExposureRecord> {
  private seen = new Set<string>();
  private day = '';
  private readonly keys = new WeakMap<ExposedPlan, string>();

  constructor(opts: ExposureLogOptions) {
    super(opts, 'exposures');
  }

  /** Notes that `arm` of `plan` served `userId` now; O(1), never waits. */
  record(plan: ExposedPlan, arm: string, userId: string, handsetMaker: string | undefined, now = new Date()): void {
    const day = now.toISOString().slice(0, 10);
    if (day !== this.day) {
      // Keys of past days cannot recur: forget them.
      this.day = day;
      this.seen = new Set();
    }
    let weights = this.keys.get(plan);
    if (weights === undefined) {
      weights = weightsKey(plan.arms.map((a) => ({ version: a.name, weight: a.weight })));
      this.keys.set(plan, weights);
    }
    const maker = handsetMaker ?? '';
    const key = `${plan.id}\u0001${weights}\u0001${arm}\u0001${userId}\u0001${maker}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.pending.push({ rolloutId: plan.id, weights, arm, userId, day, handsetMaker: maker, time: now });
  }
}
