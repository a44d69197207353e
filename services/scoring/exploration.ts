// The exploration slot of a rollout: a share P of Score responses move a few of the given candidates to
// uniformly random positions of the returned list, so feedback on them is missing at random (the items were
// not shown because the model liked them), the kind a random-exposure log provides for unbiased evaluation.
//
// Everything is a pure function of (salt, user, day): whether the user's responses explore today, which
// candidates move and where they land. The same user sees the same exploration all day (a stable experience,
// and a replica or a retry computes the same list), and an analysis can recompute it from the log.
import { Rng } from '../../core/rng';

/** How many candidates an exploring response moves (fewer when the list is shorter). */
export const EXPLORED_PER_RESPONSE = 3;

/** A 32-bit FNV-1a hash of the string, finalised (murmur3) so nearby strings spread over the whole range. */
function hash32(s: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The generator of one (salt, user, day): its first draw decides whether the user explores that day. */
function rngOf(salt: string, userId: string, day: string): Rng {
  return new Rng(hash32(`${salt}\u0001${userId}\u0001${day}`));
}

/** True when `userId`'s responses explore on `day` (UTC yyyy-mm-dd) at share `share` (0..1). */
export function explores(salt: string, userId: string, day: string, share: number): boolean {
  return share > 0 && rngOf(salt, userId, day).next() < share;
}

/** A ranked list (best first) and its scores, as Score returns it. */
export interface Ranked {
  itemIds: string[];
  scores: number[];
}

/**
 * The response with exploration applied: when the user explores today, up to EXPLORED_PER_RESPONSE of the
 * `candidates` (distinct ids, uniformly at random among those not already in the list, else among all) are
 * placed at uniformly random positions of the `k`-long list (the list keeps length min(k, |candidates|)),
 * pushing the model's items below them down and off the end. `scoreOf` gives a moved candidate's score.
 * Returns the list and the moved ids (empty when the user does not explore).
 */
export function explore(ranked: Ranked, candidates: string[], k: number, scoreOf: (id: string) => number,
  salt: string, userId: string, day: string, share: number): Ranked & { explored: string[] } {
  const rng = rngOf(salt, userId, day);
  if (!(share > 0 && rng.next() < share)) return { ...ranked, explored: [] };
  const inList = new Set(ranked.itemIds);
  const pool = [...new Set(candidates)];
  const outside = pool.filter((id) => !inList.has(id));
  const from = outside.length > 0 ? outside : pool;
  const take = Math.min(EXPLORED_PER_RESPONSE, from.length);
  // A partial Fisher-Yates shuffle picks `take` distinct candidates uniformly.
  const picked: string[] = [];
  const bag = from.slice();
  for (let i = 0; i < take; i++) {
    const j = i + rng.int(bag.length - i);
    [bag[i], bag[j]] = [bag[j], bag[i]];
    picked.push(bag[i]);
  }
  const chosen = new Set(picked);
  const ids = ranked.itemIds.filter((id) => !chosen.has(id));
  const scores = ranked.scores.filter((_, i) => !chosen.has(ranked.itemIds[i]));
  const length = Math.min(Math.max(k, ranked.itemIds.length), pool.length);
  // Each picked id goes to a uniformly random position of the final list (positions drawn from what remains).
  const slots = Array.from({ length }, (_, i) => i);
  const at = new Map<number, string>();
  for (const id of picked) {
    const j = rng.int(slots.length);
    at.set(slots[j], id);
    slots.splice(j, 1);
  }
  const outIds: string[] = [];
  const outScores: number[] = [];
  let next = 0;
  for (let p = 0; p < length; p++) {
    const id = at.get(p);
    if (id !== undefined) {
      outIds.push(id);
      outScores.push(scoreOf(id));
    } else if (next < ids.length) {
      outIds.push(ids[next]);
      outScores.push(scores[next++]);
    }
  }
  return { itemIds: outIds, scores: outScores, explored: picked };
}
