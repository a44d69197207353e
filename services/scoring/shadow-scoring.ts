// Shadow scoring: when the model's running rollout names shadow versions, each served call is offered to
// the rollout's bounded queue (services/rollout/shadow-queue.ts) to be scored again with every shadow
// version after the response is computed; the queue sheds work under load and flushes rank-agreement and
// latency sums to the rollout store. Nothing here ever delays or fails the served call.
import type { Logger } from 'pino';
import { ShadowQueue, type ShadowDelta } from '../rollout/shadow-queue';
import type { ScoringService } from './service';
import type { VersionManager } from './version-manager';

/** Options of shadow scoring. */
export interface ShadowOptions {
  /** Stores flushed sums (the rollout store's addShadowStats). */
  sink?: (deltas: ShadowDelta[]) => Promise<void>;
  /** Calls in flight above which shadow work is shed (default 8). */
  maxInflight?: number;
  /** Flush period in ms (default 10 s). */
  flushMs?: number;
}

/** Attaches shadow scoring to a service; returns the queue (close it on shutdown). */
export function attachShadowScoring(service: ScoringService, manager: VersionManager, log: Logger, opts: ShadowOptions = {}): ShadowQueue {
  const maxInflight = opts.maxInflight ?? 8;
  const queue = new ShadowQueue({
    sink: opts.sink, flushMs: opts.flushMs, busy: () => service.inflight > maxInflight,
    onError: (err) => log.warn({ err }, 'scoring: shadow scoring failed'),
  });
  service.observe(({ input, result, hod, dow }) => {
    const shadows = manager.shadowOf(input.model);
    for (const s of shadows) {
      if (s.version.resourceName === result.modelVersion) continue;
      queue.offer({
        rolloutId: s.rolloutId, version: s.name, served: result.itemIds,
        async run() {
          s.version.acquire();
          try {
            const o = await s.version.score({ userId: input.userId, itemIds: input.itemIds, topK: 0 }, { hod, dow, handsetMaker: input.handsetMaker });
            return { itemIds: o.itemIds, scores: o.scores };
          } finally {
            s.version.release();
          }
        },
      });
    }
  });
  return queue;
}
