// A refusal whose message quotes a request's text cut inside a character (V8's JSON.parse errors show a snippet of
// the input) still reaches the caller: grpc-js percent-encodes status messages with encodeURI, which throws on a
// lone UTF-16 surrogate, and then sent no status at all, so the call hung until its deadline.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { startTestPlatform, clientOf, call, rpcError, type TestPlatform } from '../helpers/platform';
import { statusDetails } from '../../services/common/errors';

let tp: TestPlatform;
before(async () => { tp = await startTestPlatform({ services: [] }); });
after(async () => { await tp?.stop(); });

test('statusDetails turns lone surrogates into U+FFFD and keeps pairs', () => {
  assert.equal(statusDetails('a\ud83d"b'), 'a\ufffd"b');
  assert.equal(statusDetails('\ude00x'), '\ufffdx');
  assert.equal(statusDetails('ok 😀'), 'ok 😀');
});

test('a refusal quoting half a character comes back as INVALID_ARGUMENT at once, not as a hang', async () => {
  const admin = await tp.target('admin');
  const client = clientOf('ExperimentService', admin);
  const spec = `x${'😀'.repeat(30)}`;
  const started = Date.now();
  const err = await rpcError(call(admin, client, 'CreateExperiment', { title: 'surrogates', spec_json: spec, row_names: ['r'] }, { deadlineMs: 10_000 }));
  assert.equal(err.code, 3, err.details);
  assert.match(err.details, /spec_json: not JSON/);
  assert.ok(err.details.includes('\ufffd'), err.details);
  assert.ok(Date.now() - started < 5_000);
});
