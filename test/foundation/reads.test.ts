// MODELOPS_REQUIRE_TOKEN_FOR_READS=1: reads and Score need a token too; a reader token is enough.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import { startTestPlatform, rpcError, call, clientOf, type TestPlatform } from '../helpers/platform';

let tp: TestPlatform;
before(async () => { tp = await startTestPlatform({ services: ['registry', 'scoring'], config: { requireTokenForReads: true } }); });
after(async () => { await tp?.stop(); });

test('with reads protected, no token is UNAUTHENTICATED for ListModels and Score; a reader token passes the check', async () => {
  const none = { addr: tp.addr };
  assert.equal((await rpcError(call(none, clientOf('RegistryService', none), 'ListModels', {}))).code, status.UNAUTHENTICATED);
  assert.equal((await rpcError(call(none, clientOf('ScoringService', none), 'Score', { model: 'm', user_id: 'u', item_ids: ['a'] }))).code, status.UNAUTHENTICATED);
  const reader = await tp.target('reader');
  await call(reader, clientOf('RegistryService', reader), 'ListModels', {});
  // Past the access check, Score answers for the model itself: it does not exist.
  assert.equal((await rpcError(call(reader, clientOf('ScoringService', reader), 'Score', { model: 'm', user_id: 'u', item_ids: ['a'] }))).code, status.NOT_FOUND);
});
