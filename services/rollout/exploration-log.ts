// The exploration log: every candidate that a rollout's exploration slot moved to a random position of a
// Score response, with its request, user, position and time, so feedback on it can later be told apart from
// feedback on what the model chose (`modelops data build --exploration-of`). Like the exposure log and unlike
// the served log, nothing here is ever shed: a dropped row would bias the missing-at-random sample towards
// whatever the dropping correlates with (load, time of day). Memory is the rows not yet written; a failed
// write keeps its rows for the next flush.
import type { ExplorationRecord } from '../../registry/rollout-log';
import { NeverShedLog, type NeverShedLogOptions } from './never-shed-log';

/** Options of the log: its sink is RolloutLog.recordExplorations (registry/rollout-log.ts). */
export type ExplorationLogOptions = NeverShedLogOptions<ExplorationRecord>;

/** What the log needs of an exploring response. */
export interface ExploredResponse {
  requestId: string;
  arm: string;
  itemIds: string[];
  exploredItemIds: string[];
}

/** The log. */
export class ExplorationLog extends NeverShedLog<ExplorationRecord> {
  constructor(opts: ExplorationLogOptions) {
    super(opts, 'explorations');
  }

  /** Notes the explored candidates of one response of rollout `rolloutId`; never waits. */
  record(rolloutId: string, userId: string, r: ExploredResponse, now = new Date()): void {
    for (const itemId of r.exploredItemIds) {
      this.pending.push({ rolloutId, requestId: r.requestId, arm: r.arm, userId, itemId, position: r.itemIds.indexOf(itemId),
        listLength: r.itemIds.length, time: now });
    }
  }
}
