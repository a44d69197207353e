// Regression tests for two faults the fuzzer found: bytes that are not the request message were answered
// INTERNAL by grpc-js, and a string holding U+0000 reached Postgres, which refused it, and the caller got INTERNAL.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { status, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { loadProtos } from '../../proto/load';
import { RefusedRequest, firstNulString, guardService, guardedDeserializer } from './request-guard';

const getModel = loadProtos().v1.RegistryService.service.GetModel;

test('bytes that are not the message become a RefusedRequest naming the type, not an exception', () => {
  // 0xff: a tag whose varint never ends (its continuation bit is set and no byte follows).
  const out = guardedDeserializer(getModel.requestDeserialize, 'modelops.v1.GetModelRequest')(Buffer.from([0xff]));
  assert.ok(out instanceof RefusedRequest);
  assert.match(out.reason, /not a valid modelops\.v1\.GetModelRequest message/);
});

test('a NUL anywhere in a string of the request is refused with its path; a valid request passes', () => {
  const de = guardedDeserializer(getModel.requestDeserialize, 'modelops.v1.GetModelRequest');
  const bad = de(getModel.requestSerialize({ name: 'feed\u0000ranker' }));
  assert.ok(bad instanceof RefusedRequest);
  assert.equal(bad.reason, 'name: contains a NUL character (U+0000), which cannot be stored; remove it');
  assert.deepEqual(de(getModel.requestSerialize({ name: 'feed-ranker' })), { name: 'feed-ranker' });
  assert.equal(firstNulString({ a: [{ b: 'x' }, { b: 'y\u0000' }] }), 'a[1].b');
  assert.equal(firstNulString({ m: { 'k\u0000': 1 } }), 'm (a key)');
  assert.equal(firstNulString({ data: Buffer.from([0, 0]) }), undefined, 'bytes may hold NUL');
});

test('a guarded unary handler answers a refused request INVALID_ARGUMENT without calling the service', () => {
  let called = false;
  const def = { GetModel: getModel } as unknown as ServiceDefinition;
  const handlers = { GetModel: () => { called = true; } } as unknown as UntypedServiceImplementation;
  const guarded = guardService(def, handlers);
  let answer: { code?: number; details?: string } | undefined;
  (guarded.handlers.GetModel as unknown as (c: object, cb: (e: object) => void) => void)(
    { request: new RefusedRequest('name: bad') }, (e) => { answer = e; });
  assert.equal(called, false);
  assert.equal(answer?.code, status.INVALID_ARGUMENT);
  assert.equal(answer?.details, 'name: bad');
});
