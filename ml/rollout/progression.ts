// Progressive ramps: a rollout started with steps (5, 10, 25, 50) moves its one treatment to the next
// weight after each step interval, while the guardrails and the sample-ratio check pass and every arm has
// enough views on the step; it holds at the last step (promotion stays a gated `promote`) and stops when a
// check fails. The decision is a pure function; the service runs it on a timer and the store applies it
// under the model lock, so two rollout-service replicas never take the same step twice.
import { invalid } from '../../core/errors';

/** The default views each arm needs on a step before the next one. */
export const DEFAULT_STEP_MIN_VIEWS = 1000;

/** A rollout's progressive ramp as stored. */
export interface Progression {
  /** The treatment that is ramped. */
  treatment: string;
  /** The treatment's weight per step, ascending, each 1..99. */
  steps: number[];
  /** The least time on a step, in ms. */
  intervalMs: number;
  /** The views each arm needs on a step. */
  minViews: number;
  /** The index of the current step. */
  step: number;
  /** When the current step began (ISO 8601). */
  stepStart: string;
  /** Ramping, holding at the last step, or stopped by a failed check. */
  state: 'ramping' | 'holding' | 'stopped';
  /** Why it waits or stopped, with the numbers. */
  note: string;
}

/** What the service measured for one decision. */
export interface StepEvidence {
  /** Now, epoch ms. */
  now: number;
  /** Guardrail breach sentences (any stops the ramp). */
  breaches: string[];
  /** Flagged whole-period sample-ratio sentences (any stops the ramp). */
  srm: string[];
  /** Views per arm with outcomes timed since the step began. */
  viewsOnStep: Record<string, number>;
  /** Every arm of the rollout. */
  arms: string[];
}

/** What to do with a progressive rollout now. */
export type StepDecision =
  | { action: 'wait'; note: string }
  | { action: 'advance'; weight: number; note: string }
  | { action: 'hold'; note: string }
  | { action: 'stop'; note: string };

/** Decides the next move of a ramping rollout (see the file comment). */
export function decideStep(p: Progression, e: StepEvidence): StepDecision {
  if (p.state !== 'ramping') return { action: 'wait', note: p.note };
  if (e.breaches.length) return { action: 'stop', note: `progressive ramp stopped at ${p.steps[p.step]}%: ${e.breaches.join('; ')}` };
  if (e.srm.length) return { action: 'stop', note: `progressive ramp stopped at ${p.steps[p.step]}%: ${e.srm.join('; ')}` };
  const since = e.now - Date.parse(p.stepStart);
  if (since < p.intervalMs) return { action: 'wait', note: '' };
  const short = e.arms.filter((a) => (e.viewsOnStep[a] ?? 0) < p.minViews);
  if (short.length) {
    return { action: 'wait', note: `waiting for views on step ${p.steps[p.step]}%: ` +
      short.map((a) => `${a} ${e.viewsOnStep[a] ?? 0} of ${p.minViews}`).join(', ') };
  }
  const views = e.arms.map((a) => `${a} ${e.viewsOnStep[a] ?? 0}`).join(', ');
  if (p.step + 1 >= p.steps.length) return { action: 'hold', note: `holding at the last step ${p.steps[p.step]}% (views on it: ${views}); promote to finish` };
  return { action: 'advance', weight: p.steps[p.step + 1],
    note: `progressive ramp ${p.steps[p.step]}% -> ${p.steps[p.step + 1]}% after ${Math.round(since / 1000)} s: guardrails and sample ratio pass, views on the step ${views}` };
}

/** Parses steps such as `5,10,25,50`: ascending whole percentages 1..99. Throws INVALID_ARGUMENT saying what to fix. */
export function checkSteps(steps: number[]): number[] {
  const how = 'give ascending whole percentages 1..99, for example 5,10,25,50';
  if (steps.length === 0) throw invalid(`steps: none given; ${how}`);
  steps.forEach((s, i) => {
    if (!Number.isInteger(s) || s < 1 || s > 99) throw invalid(`steps: ${s} is not a whole percentage 1..99; ${how}`);
    if (i > 0 && s <= steps[i - 1]) throw invalid(`steps: ${s} after ${steps[i - 1]} is not ascending; ${how}`);
  });
  return steps;
}

/** Parses a duration such as `1h`, `30m`, `1.5s` or `500ms` into ms. Throws INVALID_ARGUMENT naming the format. */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/.exec(text);
  if (!m) throw invalid(`duration "${text}": write a number with a unit, for example 1h, 30m, 2s or 500ms`);
  const ms = Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  if (!(ms > 0)) throw invalid(`duration "${text}": must be more than 0`);
  return ms;
}
