import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, VARS, checkVars, isSet, readVar, type VarName, type VarSpec } from './config';

const names = Object.keys(VARS) as VarName[];

test('an unset or empty variable reads as its default; a set one as its parsed value', () => {
  assert.equal(readVar('MODELOPS_TRAINING_POLL_MS', {}), 3000);
  assert.equal(readVar('MODELOPS_TRAINING_POLL_MS', { MODELOPS_TRAINING_POLL_MS: '' }), 3000);
  assert.equal(readVar('MODELOPS_TRAINING_POLL_MS', { MODELOPS_TRAINING_POLL_MS: '250' }), 250);
  assert.equal(readVar('MODELOPS_REQUIRE_TOKEN_FOR_READS', { MODELOPS_REQUIRE_TOKEN_FOR_READS: 'true' }), true);
  assert.equal(readVar('MODELOPS_REQUIRE_TOKEN_FOR_READS', { MODELOPS_REQUIRE_TOKEN_FOR_READS: '0' }), false);
  assert.equal(readVar('DATABASE_URL', {}), undefined);
  assert.deepEqual(readVar('MODELOPS_SERVICES', { MODELOPS_SERVICES: 'scoring, registry,scoring' }), ['scoring', 'registry']);
  assert.equal(readVar('MODELOPS_RETRIEVE_ANN_MIN_ITEMS', { MODELOPS_RETRIEVE_ANN_MIN_ITEMS: 'off' }), 'off');
  assert.equal(readVar('MODELOPS_RETRIEVE_MIN_RECALL', { MODELOPS_RETRIEVE_MIN_RECALL: '0' }), 0);
  assert.equal(readVar('MODELOPS_SCORING_TIMEZONE', { MODELOPS_SCORING_TIMEZONE: 'Asia/Kolkata' }), 'Asia/Kolkata');
  // An address variable that can be switched off takes the empty value as "off", not as unset.
  assert.equal(readVar('MODELOPS_CONSOLE_ADDR', { MODELOPS_CONSOLE_ADDR: '' }), '');
  assert.equal(readVar('MODELOPS_CONSOLE_ADDR', { MODELOPS_CONSOLE_ADDR: 'off' }), '');
  assert.equal(readVar('MODELOPS_CONSOLE_ADDR', {}), '127.0.0.1:8080');
  assert.equal(isSet('MODELOPS_TOKEN', { MODELOPS_TOKEN: '' }), false);
  assert.equal(isSet('MODELOPS_CONSOLE_ADDR', { MODELOPS_CONSOLE_ADDR: '' }), true);
});

test('a bad value is one line naming the variable, the value and what it accepts, never a fallback', () => {
  const cases: [VarName, string, RegExp][] = [
    // The silent fallback this replaces read "abc" as 3000.
    ['MODELOPS_TRAINING_POLL_MS', 'abc', /^MODELOPS_TRAINING_POLL_MS: "abc" is not a whole number of milliseconds >= 1; unset, it is 3000$/],
    ['MODELOPS_TRAINING_CONCURRENCY', '0', /^MODELOPS_TRAINING_CONCURRENCY: "0" is not a whole number of jobs from 1 to 64/],
    ['MODELOPS_TRAINING_QUEUE_MAX', '2.5', /^MODELOPS_TRAINING_QUEUE_MAX: "2\.5" is not a whole number of jobs >= 1/],
    ['MODELOPS_WRITE_QUEUE', '-1', /^MODELOPS_WRITE_QUEUE: "-1" is not a whole number of calls from 0 to 10000/],
    ['MODELOPS_LOG_LEVEL', 'loud', /^MODELOPS_LOG_LEVEL: "loud" is not one of fatal, error, warn, info, debug, trace, silent$/],
    ['MODELOPS_TF_BACKEND', 'gpu', /^MODELOPS_TF_BACKEND: "gpu" is not one of ort, onnxruntime, tensorflow-gpu, tensorflow, wasm, cpu$/],
    ['MODELOPS_REQUIRE_TOKEN_FOR_READS', 'yes', /^MODELOPS_REQUIRE_TOKEN_FOR_READS: "yes" is not 0 or 1/],
    ['MODELOPS_ADDR', '50051', /^MODELOPS_ADDR: "50051" is not host:port \(for example 127\.0\.0\.1:50051\)/],
    ['MODELOPS_METRICS_ADDR', 'h:70000', /^MODELOPS_METRICS_ADDR: "h:70000" is not host:port .*, or off/],
    ['MODELOPS_SERVICES', 'scoring,nope', /^MODELOPS_SERVICES: "scoring,nope" is not a comma-separated subset of feature,training,evaluation,scoring,registry,rollout, or all/],
    ['MODELOPS_RETRIEVE_MIN_RECALL', '1.5', /^MODELOPS_RETRIEVE_MIN_RECALL: "1\.5" is not a number from 0 to 1/],
    ['MODELOPS_RETRIEVE_ANN_MIN_ITEMS', '0', /^MODELOPS_RETRIEVE_ANN_MIN_ITEMS: "0" is not a whole number >= 1, or off/],
    ['MODELOPS_CUPED_LOOKBACK_DAYS', '0', /^MODELOPS_CUPED_LOOKBACK_DAYS: "0" is not a number of days > 0/],
    ['MODELOPS_SCORING_TIMEZONE', 'Mars/Olympus', /^MODELOPS_SCORING_TIMEZONE: "Mars\/Olympus" is not an IANA time zone/],
    ['S3_ENDPOINT', 'ftp://h', /^S3_ENDPOINT: "ftp:\/\/h" is not a URL such as http:\/\/127\.0\.0\.1:9000 \(scheme ftp: is not supported\)$/],
    ['S3_BUCKET', 'A', /^S3_BUCKET: "A" is not a bucket name/],
    ['MODELOPS_TLS_CA', '/nonexistent/ca.pem', /^MODELOPS_TLS_CA: "\/nonexistent\/ca\.pem" is not the path of a readable file \(there is none\)$/],
  ];
  for (const [name, raw, expected] of cases) {
    assert.throws(() => readVar(name, { [name]: raw }), (e: Error) => {
      assert.ok(e instanceof ConfigError, `${name}: a ConfigError`);
      assert.match(e.message, expected);
      assert.ok(!e.message.includes('\n'), `${name}: one line`);
      return true;
    });
  }
});

test('a refused secret is never echoed, and a refused URL loses its password', () => {
  assert.throws(() => readVar('MODELOPS_ADMIN_TOKEN', { MODELOPS_ADMIN_TOKEN: 'short-secret' }),
    (e: Error) => e.message === 'MODELOPS_ADMIN_TOKEN: (a value of 12 characters) is not at least 16 characters');
  assert.throws(() => readVar('DATABASE_URL', { DATABASE_URL: 'mysql://u:hunter2@h/db' }),
    (e: Error) => /^DATABASE_URL: "mysql:\/\/u:\*\*\*@h\/db" is not a URL such as postgres:/.test(e.message) && !e.message.includes('hunter2'));
  // A value with a line break stays on one line (quoted as JSON).
  assert.throws(() => readVar('MODELOPS_ADDR', { MODELOPS_ADDR: 'a\nb:1' }), (e: Error) => e.message === 'MODELOPS_ADDR: "a\\nb:1" is not host:port (for example 127.0.0.1:50051); unset, it is 127.0.0.1:50051');
});

test('every registered default is a value its own kind accepts, and every variable is documented with its readers', () => {
  for (const name of names) {
    const spec = VARS[name] as VarSpec<unknown>;
    assert.ok(spec.doc.length > 10 && !spec.doc.includes('\n'), `${name}: one line of documentation`);
    assert.ok(spec.readBy.length > 0, `${name}: names the files that read it`);
    assert.ok(spec.shownDefault.length > 0, `${name}: shows its default`);
    if (spec.fallback === undefined) continue;
    const raw = Array.isArray(spec.fallback) ? spec.fallback.join(',') : String(spec.fallback);
    assert.deepEqual(readVar(name, { [name]: raw }), spec.fallback, `${name}: its default ${raw} parses to itself`);
  }
});

test('checkVars reads every variable of the scopes asked for, and skips the ones a flag overrides', () => {
  assert.doesNotThrow(() => checkVars(['serve'], {}));
  assert.throws(() => checkVars(['serve'], { MODELOPS_RAMP_TICK_MS: '0' }), /^ConfigError: MODELOPS_RAMP_TICK_MS: "0"/);
  assert.doesNotThrow(() => checkVars(['serve'], { MODELOPS_TLS: 'maybe' }), 'a CLI variable is not the server\'s concern');
  assert.throws(() => checkVars(['cli'], { MODELOPS_TLS: 'maybe' }), /MODELOPS_TLS: "maybe"/);
  assert.doesNotThrow(() => checkVars(['both', 'serve'], { MODELOPS_ADDR: 'bad' }, ['MODELOPS_ADDR']));
  assert.throws(() => checkVars(['both', 'serve'], { MODELOPS_ADDR: 'bad' }), /MODELOPS_ADDR/);
});

test('reads see the environment as it is at the call', () => {
  const old = process.env.MODELOPS_RAMP_TICK_MS;
  try {
    process.env.MODELOPS_RAMP_TICK_MS = '123';
    assert.equal(readVar('MODELOPS_RAMP_TICK_MS'), 123);
    delete process.env.MODELOPS_RAMP_TICK_MS;
    assert.equal(readVar('MODELOPS_RAMP_TICK_MS'), 1000);
  } finally {
    if (old === undefined) delete process.env.MODELOPS_RAMP_TICK_MS; else process.env.MODELOPS_RAMP_TICK_MS = old;
  }
});
