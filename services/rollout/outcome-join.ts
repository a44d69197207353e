// Joins outcomes (views) to the arm that served them, with no write per Score call: a view's user id and
// time pick the rollout running then, the weights in force then (the rollout's history) and, through the
// pure assignment function, the arm. Pure; the service loads the rollouts and stores the result.
import { compileAssignment, type Assigner } from '../../ml/rollout/assignment';
import type { JoinedOutcome } from '../../registry/rollout-log';
import type { Rollout } from '../../registry/rollout-store';

/** One outcome as received, with its user id resolved (from the served record when only a request id came). */
export type ResolvedOutcome = Omit<JoinedOutcome, 'rolloutId' | 'arm' | 'versionNumber'>;

/** The rollout running at `t` among `rollouts` (the latest started one if intervals touch), else undefined. */
export function rolloutAt(rollouts: Rollout[], t: number): Rollout | undefined {
  let found: Rollout | undefined;
  for (const r of rollouts) {
    if (r.startTime.getTime() <= t && (r.stopTime === null || t < r.stopTime.getTime())) {
      if (!found || r.startTime.getTime() > found.startTime.getTime()) found = r;
    }
  }
  return found;
}

/** Joins outcomes to arms; those outside every rollout's running interval are counted, not returned. */
export function joinOutcomes(rollouts: Rollout[], outcomes: ResolvedOutcome[]): { joined: JoinedOutcome[]; outside: number } {
  const assigners = new Map<string, { assign: Assigner; numbers: Map<string, number> }>();
  const joined: JoinedOutcome[] = [];
  let outside = 0;
  for (const o of outcomes) {
    const t = o.time.getTime();
    const r = rolloutAt(rollouts, t);
    if (!r) {
      outside++;
      continue;
    }
    // The last change at or before t; history is oldest first and starts at the rollout's start.
    let idx = 0;
    for (let i = 0; i < r.history.length; i++) if (r.history[i].time.getTime() <= t) idx = i;
    const change = r.history[idx];
    const key = `${r.id}/${idx}`;
    let a = assigners.get(key);
    if (!a) {
      a = {
        assign: compileAssignment({ salt: r.salt, control: r.control, arms: change.arms.map((x) => ({ version: x.version, weight: x.weight })) }),
        numbers: new Map(change.arms.map((x) => [x.version, x.number])),
      };
      assigners.set(key, a);
    }
    const arm = a.assign(o.userId);
    joined.push({ rolloutId: r.id, arm, versionNumber: a.numbers.get(arm)!, userId: o.userId, requestId: o.requestId, itemId: o.itemId,
      timespentS: o.timespentS, videoLengthS: o.videoLengthS, liked: o.liked, shared: o.shared, time: o.time, handsetMaker: o.handsetMaker ?? '' });
  }
  return { joined, outside };
}
