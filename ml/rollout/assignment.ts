// Sticky, weighted, monotone assignment of users to rollout arms: a pure function of (salt, user id,
// weights), so every scoring replica, and the outcome join later, computes the same arm with no shared state.
//
// A user's bucket is the first 4 bytes of sha256(salt NUL user_id) modulo BUCKETS. Arms own contiguous
// bucket ranges; one weight point is BUCKETS/100 buckets, so integer weights cut the space exactly.
//
// Layout (why it is not simply "arms in order"): treatments grow from the two ENDS of the bucket space and
// the control holds the middle. Treatment 1 takes [0, w1), treatment 2 takes the top (BUCKETS - w2, BUCKETS],
// treatment 3 follows treatment 1, treatment 4 precedes treatment 2, and so on; the control takes what is
// left in between. Ramping a treatment therefore moves only the buckets at its inner edge, which border the
// control: a ramp up moves users from control into that treatment and never out of any other arm, a ramp
// down moves them back to control only. This holds for any ramp with one or two treatments (the usual A/B
// and A/B/C), and for the innermost treatment on each side with more; ramping an outer treatment when a
// third or fourth sits inside it on the same side shifts the inner one (rolloutRampMoves reports it).
import * as crypto from 'node:crypto';
import { invalid } from '../../core/errors';

/** The number of hash buckets; one weight point is BUCKETS / 100 buckets. */
export const BUCKETS = 10_000;

/** The most arms a rollout may have (control included). */
export const MAX_ARMS = 8;

/** One arm of a rollout: the version (by name) it serves and its share of users in percent. */
export interface Arm {
  version: string;
  weight: number;
}

/** What assignment needs from a rollout: its salt, its arms (control included) and which arm is control. */
export interface AssignmentSpec {
  salt: string;
  arms: Arm[];
  control: string;
}

/** An arm's bucket range, [start, end). */
export interface ArmRange {
  version: string;
  start: number;
  end: number;
}

/** The bucket of a user under a salt, in [0, BUCKETS). */
export function bucketOf(salt: string, userId: string): number {
  const h = crypto.createHash('sha256').update(salt).update('\0').update(userId).digest();
  // 2^32 mod 10,000 = 7,296: the modulo bias is under 2e-6 per bucket, far below what a readout can see.
  return h.readUInt32BE(0) % BUCKETS;
}

/**
 * Checks arms and control: 1..MAX_ARMS arms with distinct non-empty version names, integer weights 0..100
 * summing to 100, and the control among them. Throws INVALID_ARGUMENT saying what to fix.
 */
export function validateArms(arms: Arm[], control: string): void {
  if (arms.length === 0) throw invalid('arms: give at least one arm as version=weight, for example prod-p90=90 prod-wtg-2=10');
  if (arms.length > MAX_ARMS) throw invalid(`arms: ${arms.length} given, at most ${MAX_ARMS} allowed`);
  const seen = new Set<string>();
  let sum = 0;
  for (const a of arms) {
    if (!a.version) throw invalid('arms: an arm has no version name');
    if (seen.has(a.version)) throw invalid(`arms: version "${a.version}" appears twice; give each version once`);
    seen.add(a.version);
    if (!Number.isInteger(a.weight) || a.weight < 0 || a.weight > 100) {
      throw invalid(`arms: weight of "${a.version}" is ${a.weight}; weights are whole percentages 0..100`);
    }
    sum += a.weight;
  }
  if (sum !== 100) throw invalid(`arms: weights sum to ${sum}; they must sum to 100 (${arms.map((a) => `${a.version}=${a.weight}`).join(' ')})`);
  if (!seen.has(control)) throw invalid(`arms: the control "${control}" (the production version) must be one of the arms`);
}

/** The treatments (arms other than control) in their stored order; that order fixes their place in the layout. */
function treatmentsOf(spec: AssignmentSpec): Arm[] {
  return spec.arms.filter((a) => a.version !== spec.control);
}

/** The bucket ranges of every arm under the two-ends layout (see the file comment); validates first. */
export function armRanges(spec: AssignmentSpec): ArmRange[] {
  validateArms(spec.arms, spec.control);
  const per = BUCKETS / 100;
  let low = 0;
  let high = BUCKETS;
  const out: ArmRange[] = [];
  treatmentsOf(spec).forEach((t, i) => {
    const n = t.weight * per;
    if (i % 2 === 0) {
      out.push({ version: t.version, start: low, end: low + n });
      low += n;
    } else {
      out.push({ version: t.version, start: high - n, end: high });
      high -= n;
    }
  });
  out.push({ version: spec.control, start: low, end: high });
  return out;
}

/** A compiled assignment: call it per request without recomputing the ranges. */
export type Assigner = (userId: string) => string;

/** Compiles a rollout's ranges once into a fast bucket lookup. */
export function compileAssignment(spec: AssignmentSpec): Assigner {
  const ranges = armRanges(spec).filter((r) => r.end > r.start);
  const salt = spec.salt;
  return (userId: string) => {
    const b = bucketOf(salt, userId);
    for (const r of ranges) if (b >= r.start && b < r.end) return r.version;
    return spec.control; // unreachable: the ranges cover [0, BUCKETS)
  };
}

/** The arm (version name) that serves `userId` under `rollout`. Pure: same inputs, same arm, on every replica. */
export function assignArm(rollout: AssignmentSpec, userId: string): string {
  return compileAssignment(rollout)(userId);
}

/**
 * Applies a ramp: sets the named treatment weights and lets the control absorb the difference.
 * Arm order is kept (it fixes the layout); a new treatment is appended. Throws INVALID_ARGUMENT when the
 * control would go below 0 or a named weight is bad, or when the control itself is named.
 */
export function rampArms(spec: AssignmentSpec, changes: Arm[]): Arm[] {
  const arms = spec.arms.map((a) => ({ ...a }));
  for (const c of changes) {
    if (c.version === spec.control) {
      throw invalid(`ramp: "${c.version}" is the control; set the treatment weights and the control absorbs the difference`);
    }
    if (!Number.isInteger(c.weight) || c.weight < 0 || c.weight > 100) {
      throw invalid(`ramp: weight of "${c.version}" is ${c.weight}; weights are whole percentages 0..100`);
    }
    const found = arms.find((a) => a.version === c.version);
    if (found) found.weight = c.weight;
    else arms.push({ version: c.version, weight: c.weight });
  }
  const control = arms.find((a) => a.version === spec.control);
  if (!control) throw invalid(`ramp: the control "${spec.control}" is not an arm of this rollout`);
  const treatments = arms.filter((a) => a !== control).reduce((s, a) => s + a.weight, 0);
  if (treatments > 100) throw invalid(`ramp: treatments would take ${treatments}%; together they may take at most 100%`);
  control.weight = 100 - treatments;
  validateArms(arms, spec.control);
  return arms;
}

/**
 * The arms whose users a change from `before` to `after` arms would move OTHER than between a ramped
 * treatment and the control: empty means the change is monotone (the normal case with at most two treatments).
 */
export function rolloutRampMoves(before: AssignmentSpec, afterArms: Arm[]): string[] {
  const a = armRanges(before);
  const b = armRanges({ ...before, arms: afterArms });
  const changed = new Set(afterArms.filter((x) => before.arms.find((y) => y.version === x.version)?.weight !== x.weight).map((x) => x.version));
  const out: string[] = [];
  for (const r of a) {
    if (r.version === before.control || changed.has(r.version)) continue;
    const s = b.find((x) => x.version === r.version);
    if (!s || s.start !== r.start || s.end !== r.end) out.push(r.version);
  }
  return out;
}

/**
 * Parses arm arguments such as `prod-p90=90 prod-wtg-2=10` (also comma-separated). Throws INVALID_ARGUMENT
 * naming the bad token.
 */
export function parseArms(tokens: string[]): Arm[] {
  const out: Arm[] = [];
  for (const tok of tokens.flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean)) {
    const m = /^([^=\s]+)=(\d{1,3})%?$/.exec(tok);
    if (!m) throw invalid(`arms: "${tok}" is not version=weight (for example prod-wtg-2=10)`);
    out.push({ version: m[1], weight: Number(m[2]) });
  }
  return out;
}
