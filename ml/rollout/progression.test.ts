// The progressive-ramp decision, step by step.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkSteps, decideStep, parseDuration, type Progression } from './progression';

const p = (over: Partial<Progression> = {}): Progression => ({ treatment: 't', steps: [5, 10, 25], intervalMs: 1000, minViews: 10,
  step: 0, stepStart: new Date(0).toISOString(), state: 'ramping', note: '', ...over });
const ok = { breaches: [], srm: [], viewsOnStep: { c: 50, t: 12 }, arms: ['c', 't'] };

test('waits for the interval and the views, advances, holds at the last step, stops on a failed check', () => {
  assert.equal(decideStep(p(), { ...ok, now: 999 }).action, 'wait');
  const short = decideStep(p(), { ...ok, now: 1000, viewsOnStep: { c: 50, t: 9 } });
  assert.deepEqual(short, { action: 'wait', note: 'waiting for views on step 5%: t 9 of 10' });
  const adv = decideStep(p(), { ...ok, now: 1000 });
  assert.equal(adv.action, 'advance');
  assert.equal(adv.action === 'advance' && adv.weight, 10);
  assert.match(adv.note, /5% -> 10% after 1 s.*views on the step c 50, t 12/);
  assert.equal(decideStep(p({ step: 2 }), { ...ok, now: 5000 }).action, 'hold');
  // A failed check stops the ramp at once, also inside the interval.
  const stop = decideStep(p(), { ...ok, now: 10, breaches: ['guardrail watch_time<-3% breached'] });
  assert.deepEqual(stop, { action: 'stop', note: 'progressive ramp stopped at 5%: guardrail watch_time<-3% breached' });
  assert.equal(decideStep(p(), { ...ok, now: 10, srm: ['sample-ratio mismatch'] }).action, 'stop');
  assert.equal(decideStep(p({ state: 'holding' }), { ...ok, now: 5000 }).action, 'wait');
});

test('steps and durations are checked and explained', () => {
  assert.deepEqual(checkSteps([5, 10, 25, 50]), [5, 10, 25, 50]);
  assert.throws(() => checkSteps([10, 5]), /not ascending/);
  assert.throws(() => checkSteps([0]), /1\.\.99/);
  assert.equal(parseDuration('1h'), 3_600_000);
  assert.equal(parseDuration('30m'), 1_800_000);
  assert.equal(parseDuration('1.5s'), 1500);
  assert.equal(parseDuration('500ms'), 500);
  assert.throws(() => parseDuration('1 hour'), /for example 1h/);
});
