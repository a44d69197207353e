// The glue between a served Score call and the shadow queue: after the response is computed, offer one job
// per shadow version of the model's running rollout. The scoring service registers it with
// `ScoringService.observe(shadowObserver(...))`; it never awaits, never throws, and costs one O(1) offer per
// shadow version on the request path (the queue sheds when full or busy).
import type { ShadowQueue } from './shadow-queue';

/** What a shadow version must offer: the serving version's own score function (ServingVersion.score). */
export interface ShadowVersion {
  score(req: { userId: string; itemIds: string[]; topK: number; deadline: number },
    ctx: { hod: number; dow: number; handsetMaker?: string }): Promise<{ itemIds: string[]; scores: ArrayLike<number> }>;
}

/** The shadow set of a model now: its rollout's id and the loaded shadow versions by name. */
export interface ShadowSet {
  rolloutId: string;
  versions: { name: string; version: ShadowVersion }[];
}

/** One served call as the scoring service's observer receives it (a structural subset of its ScoreObserver argument). */
export interface ServedCall {
  input: { model: string; userId: string; itemIds: string[]; handsetMaker?: string };
  result: { itemIds: string[] };
  hod: number;
  dow: number;
}

/** How long a shadow call may take before it counts as failed (it never holds a served call). */
export const SHADOW_DEADLINE_MS = 2_000;

/**
 * An observer that offers each served call to `queue` once per shadow version of `shadowOf(model)`.
 * The shadow scores ALL candidates (topK 0), so the rank correlation over the served top K compares the
 * same items; it runs with the served call's hod/dow so both rankings see one context.
 */
export function shadowObserver(queue: ShadowQueue, shadowOf: (model: string) => ShadowSet | undefined): (call: ServedCall) => void {
  return (call) => {
    const set = shadowOf(call.input.model);
    if (!set || set.versions.length === 0) return;
    const { userId, itemIds, handsetMaker } = call.input;
    for (const s of set.versions) {
      queue.offer({
        rolloutId: set.rolloutId, version: s.name, served: call.result.itemIds,
        run: () => s.version.score({ userId, itemIds, topK: 0, deadline: Date.now() + SHADOW_DEADLINE_MS },
          { hod: call.hod, dow: call.dow, handsetMaker }),
      });
    }
  };
}
