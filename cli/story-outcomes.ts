// Simulated users for the first-run story's rollout: the synthetic generator is seeded, so the story can
// regenerate its log and know what each user actually watched. Every user is scored (Score puts them in their
// arm) on the items they viewed on the last day, and the outcome of each item the arm ranks in its top 3 is that
// view's logged watch time: a replay of the generator's known preference (taste . content, with its duration
// bias), so an arm that ranks better collects more watch time and the readout and the guardrail see real numbers.
import { syntheticViews, type SyntheticParams } from '../ml/data/synthetic';
import { call, clientOf, type Target } from './client';

/** What the replay did: users scored, outcomes recorded, and the arms they went to. */
export interface SimulatedOutcomes {
  /** Users scored (those with at least two views on the last day). */
  users: number;
  /** Outcome rows the rollout accepted. */
  accepted: number;
  /** Users per arm, as Score assigned them. */
  arms: Record<string, number>;
  /** Guardrail breaches RecordOutcomes reported. */
  breaches: string[];
  /** Users whose Score call failed, and the last failure's message. */
  failed: number;
  lastError?: string;
}

const DAY = 86_400_000;
const TOP = 3;

/** Replays the story's synthetic log's last day through Score and RecordOutcomes (see the file comment). */
export async function simulateOutcomes(target: Target, model: string, p: SyntheticParams): Promise<SimulatedOutcomes> {
  const views = [...syntheticViews(p, () => undefined)];
  const last = Math.max(...views.map((v) => v.ts));
  // The last calendar day of the log (24 h before its newest view is close enough for a replay).
  const byUser = new Map<string, Map<string, { timespent_s: number; video_length_s: number; liked: boolean; shared: boolean }>>();
  for (const v of views) {
    if (v.ts <= last - DAY) continue;
    const m = byUser.get(v.user_id) ?? new Map();
    // A user who saw an item twice keeps the first view: one outcome per (user, item).
    if (!m.has(v.item_id)) m.set(v.item_id, { timespent_s: v.timespent_s, video_length_s: v.video_length_s, liked: v.liked, shared: v.shared });
    byUser.set(v.user_id, m);
  }
  const users = [...byUser.entries()].filter(([, m]) => m.size >= 2);
  const scoring = clientOf('ScoringService', target);
  const rollout = clientOf('RolloutService', target);
  const out: SimulatedOutcomes = { users: users.length, accepted: 0, arms: {}, breaches: [], failed: 0 };
  let batch: object[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const res = await call<object, { accepted: number | string; breaches: string[] }>(target, rollout, 'RecordOutcomes', { model, outcomes: batch });
    out.accepted += Number(res.accepted);
    out.breaches.push(...res.breaches);
    batch = [];
  };
  // A few Score calls in flight at once: 2,000 users take seconds, not a minute.
  for (let i = 0; i < users.length; i += 8) {
    const chunk = users.slice(i, i + 8);
    // A user Score cannot answer (say, an item it refuses) is skipped and counted, not fatal to the story.
    const served = await Promise.all(chunk.map(([user, m]) => call<object, { arm: string; item_ids: string[]; request_id: string }>(target, scoring, 'Score',
      { model, user_id: user, item_ids: [...m.keys()], top_k: Math.min(TOP, m.size) }, { deadlineMs: 10_000 }).catch((err: Error) => {
      out.failed++;
      out.lastError = err.message;
      return null;
    })));
    chunk.forEach(([user, m], j) => {
      const r = served[j];
      if (!r) return;
      out.arms[r.arm] = (out.arms[r.arm] ?? 0) + 1;
      for (const item of r.item_ids) {
        const o = m.get(item)!;
        batch.push({ user_id: user, item_id: item, request_id: r.request_id, timespent_s: o.timespent_s, video_length_s: o.video_length_s, liked: o.liked, shared: o.shared });
      }
    });
    if (batch.length >= 5000) await flush();
  }
  await flush();
  return out;
}
