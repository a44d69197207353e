// Unit tests of request validation, request ids and market time.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DomainError } from '../../core/errors';
import { marketTime, MAX_CANDIDATES, newRequestId, validateScore, type ScoreInput } from './score-request';

const ok: ScoreInput = { model: 'm', userId: 'u', itemIds: ['a'], topK: 0, requestId: '' };

function code(fn: () => void): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof DomainError ? `${e.code}: ${e.message}` : String(e);
  }
  return undefined;
}

test('validateScore: limits and required fields say what to fix', () => {
  assert.equal(code(() => validateScore(ok)), undefined);
  assert.equal(code(() => validateScore({ ...ok, itemIds: new Array(MAX_CANDIDATES).fill('x') })), undefined);
  assert.equal(code(() => validateScore({ ...ok, itemIds: new Array(MAX_CANDIDATES + 1).fill('x') })),
    'INVALID_ARGUMENT: item_ids: 5001 candidates given, at most 5000 allowed');
  assert.match(code(() => validateScore({ ...ok, model: '' }))!, /^INVALID_ARGUMENT: model: required/);
  assert.match(code(() => validateScore({ ...ok, userId: '' }))!, /^INVALID_ARGUMENT: user_id: required/);
  assert.match(code(() => validateScore({ ...ok, topK: -1 }))!, /^INVALID_ARGUMENT: top_k/);
  assert.match(code(() => validateScore({ ...ok, hod: 24 }))!, /^INVALID_ARGUMENT: context.hod/);
});

test('newRequestId: distinct ids', () => {
  const ids = new Set(Array.from({ length: 1000 }, newRequestId));
  assert.equal(ids.size, 1000);
});

test('marketTime: hour and Monday-based weekday in the zone', () => {
  // 2022-04-25 is a Monday. 20:30 UTC is 02:00 on Tuesday in Asia/Kolkata (UTC+5:30).
  const t = Date.UTC(2022, 3, 25, 20, 30);
  assert.deepEqual({ ...marketTime('UTC', t), key: undefined, minute: undefined }, { hod: 20, dow: 0, key: undefined, minute: undefined });
  const k = marketTime('Asia/Kolkata', t);
  assert.equal(k.hod, 2);
  assert.equal(k.dow, 1);
});
