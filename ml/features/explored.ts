// The held-out rows of an exploration dataset (`modelops data build --exploration-of MODEL`): only views of
// items that a rollout's exploration slot put at uniformly random positions of the viewer's list. Which items
// those were did not depend on the model's scores, so the feedback on them is missing at random and a metric
// over them estimates what it would be over all items without the serving model's selection bias.

/** One explored candidate: the user it was shown to, the item and when (epoch ms). */
export interface ExploredShow {
  userId: string;
  itemId: string;
  timeMs: number;
}

/** How long after its exploration a view still counts as feedback on it (one day). */
export const EXPLORED_VIEW_HORIZON_MS = 24 * 3600 * 1000;

/**
 * A predicate over views: true when `userId` viewed `itemId` at `ts` within `horizonMs` after (or at) a time
 * the exploration slot showed them that item.
 */
export function exploredViews(shows: ExploredShow[], horizonMs = EXPLORED_VIEW_HORIZON_MS): (userId: string, itemId: string, ts: number) => boolean {
  const at = new Map<string, number[]>();
  for (const s of shows) {
    const key = `${s.userId}\u0001${s.itemId}`;
    const list = at.get(key);
    if (list) list.push(s.timeMs);
    else at.set(key, [s.timeMs]);
  }
  return (userId, itemId, ts) => {
    const list = at.get(`${userId}\u0001${itemId}`);
    return list !== undefined && list.some((t) => ts >= t && ts <= t + horizonMs);
  };
}
