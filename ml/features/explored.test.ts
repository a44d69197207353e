import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { exploredViews } from './explored';

test('a view counts when it follows an exploration of the same user and item within the horizon', () => {
  const keep = exploredViews([{ userId: 'u1', itemId: 'a', timeMs: 1000 }, { userId: 'u1', itemId: 'a', timeMs: 5000 },
    { userId: 'u2', itemId: 'b', timeMs: 2000 }], 100);
  assert.equal(keep('u1', 'a', 1000), true);
  assert.equal(keep('u1', 'a', 1100), true);
  assert.equal(keep('u1', 'a', 1101), false, 'after the horizon of the first show, before the second');
  assert.equal(keep('u1', 'a', 999), false, 'before any show');
  assert.equal(keep('u1', 'a', 5050), true);
  assert.equal(keep('u2', 'a', 2000), false, 'another user\'s exploration');
  assert.equal(keep('u2', 'b', 2050), true);
});
