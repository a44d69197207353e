// The outcome join: running interval [start, stop), the weights of the outcome's time, the version number.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { joinOutcomes, rolloutAt } from './outcome-join';
import { assignArm } from '../../ml/rollout/assignment';
import type { Rollout } from '../../registry/rollout-store';

const T = (s: number) => new Date(1_000_000 + s * 1000);
const arms = (w: number) => [{ version: 't', number: 2, weight: w }, { version: 'c', number: 1, weight: 100 - w }];

const rollout: Rollout = {
  id: 'ro-1', model: 'm', state: 'stopped', control: 'c', controlNumber: 1, arms: [{ version: 'c', number: 1, weight: 100 }], salt: 's',
  shadow: [], guardrails: [], createdBy: 'x', startTime: T(10), stopTime: T(30), stopReason: '', stoppedBy: 'x', exploreShare: 0,
  history: [
    { time: T(10), kind: 'start', arms: arms(10), actor: 'x', reason: '' },
    { time: T(20), kind: 'ramp', arms: arms(60), actor: 'x', reason: '' },
    { time: T(30), kind: 'stop', arms: [{ version: 'c', number: 1, weight: 100 }], actor: 'x', reason: '' },
  ],
};

test('a rollout runs from its start (inclusive) to its stop (exclusive)', () => {
  assert.equal(rolloutAt([rollout], T(9.999).getTime()), undefined);
  assert.equal(rolloutAt([rollout], T(10).getTime())?.id, 'ro-1');
  assert.equal(rolloutAt([rollout], T(29.999).getTime())?.id, 'ro-1');
  assert.equal(rolloutAt([rollout], T(30).getTime()), undefined);
});

test('each outcome joins to the weights of its time and carries the arm version number', () => {
  const users = Array.from({ length: 400 }, (_, i) => `u${i}`);
  const out = (u: string, t: Date) => ({ requestId: '', userId: u, itemId: 'i', timespentS: 1, videoLengthS: 0, liked: false, shared: false, time: t });
  const { joined, outside } = joinOutcomes([rollout], [...users.map((u) => out(u, T(15))), ...users.map((u) => out(u, T(25))), out('u1', T(31))]);
  assert.equal(outside, 1);
  assert.equal(joined.length, 800);
  let differ = 0;
  for (const j of joined) {
    const w = j.time.getTime() < T(20).getTime() ? 10 : 60;
    const expected = assignArm({ salt: 's', control: 'c', arms: arms(w) }, j.userId);
    assert.equal(j.arm, expected);
    assert.equal(j.versionNumber, expected === 't' ? 2 : 1);
  }
  for (const u of users) if (assignArm({ salt: 's', control: 'c', arms: arms(10) }, u) !== assignArm({ salt: 's', control: 'c', arms: arms(60) }, u)) differ++;
  assert.ok(differ > 150, `the two weightings differ for ${differ} users, so the test tells them apart`);
});
