// isUnavailable tells a dependency that is down or restarting (the caller should retry) from a request the
// dependency refused (the caller should fix it), including through the wrappers TypeORM and the AWS SDK add.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { isUnavailable } from './errors';

test('connection failures, Postgres shutdown states and S3 5xx gateways are unavailable', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  assert.ok(isUnavailable(refused));
  assert.ok(isUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })));
  assert.ok(isUnavailable(Object.assign(new Error('the database system is starting up'), { code: '57P03' })));
  assert.ok(isUnavailable(Object.assign(new Error('connection failure'), { code: '08006' })));
  assert.ok(isUnavailable(new Error('Connection terminated unexpectedly')));
  assert.ok(isUnavailable(new Error('Client has encountered a connection error and is not queryable')));
  assert.ok(isUnavailable(new Error('Client was closed and is not queryable')));
  assert.ok(isUnavailable({ name: 'QueryFailedError', message: 'x', driverError: refused }));
  assert.ok(isUnavailable({ message: 'upstream', $metadata: { httpStatusCode: 503 } }));
  assert.ok(isUnavailable(new Error('wrapped', { cause: refused })));
});

test('a refused request, a bug or a non-error is not unavailable', () => {
  assert.ok(!isUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' })));
  assert.ok(!isUnavailable(Object.assign(new Error('syntax error'), { code: '42601' })));
  assert.ok(!isUnavailable({ message: 'denied', $metadata: { httpStatusCode: 403 } }));
  assert.ok(!isUnavailable(new TypeError('x is undefined')));
  assert.ok(!isUnavailable(undefined));
  assert.ok(!isUnavailable('ECONNREFUSED'));
  // A cycle of causes ends.
  const a: { message: string; cause?: unknown } = { message: 'a' };
  a.cause = a;
  assert.ok(!isUnavailable(a));
});
