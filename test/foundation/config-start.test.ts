// A bad environment variable stops the real binary before it opens anything, with one line that names the
// variable, the value and what it accepts (core/config.ts): `serve` for every variable a server reads (also
// those a service reads only when it starts), `start` for the story's, a CLI command for the client's.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../helpers/cli';

/** The test run's environment without the stores a developer may have set, in a fresh home. */
function envIn(home: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, MODELOPS_HOME: home, MODELOPS_LOG_LEVEL: 'silent', ...extra };
  for (const k of ['DATABASE_URL', 'S3_ENDPOINT', 'S3_ACCESS_KEY', 'S3_SECRET_KEY', 'MODELOPS_TOKEN', 'MODELOPS_ADMIN_TOKEN']) {
    if (!(k in extra)) delete env[k];
  }
  return env;
}

test('serve refuses a bad value of any server variable at start, in one line, having started nothing', async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-config-'));
  try {
    const cases: [Record<string, string>, string][] = [
      // Read by the training service when it starts; it used to fall back to 3000 in silence.
      [{ MODELOPS_TRAINING_POLL_MS: 'abc' }, 'MODELOPS_TRAINING_POLL_MS: "abc" is not a whole number of milliseconds >= 1; unset, it is 3000'],
      // Read by the scoring service; checked even when this process does not host it.
      [{ MODELOPS_RETRIEVE_MIN_RECALL: '2', MODELOPS_SERVICES: 'registry' }, 'MODELOPS_RETRIEVE_MIN_RECALL: "2" is not a number from 0 to 1; unset, it is 0.95'],
      [{ S3_ENDPOINT: 'http://127.0.0.1:9', S3_ACCESS_KEY: 'k' }, 'S3_SECRET_KEY: required when S3_ENDPOINT is set'],
    ];
    for (const [extra, line] of cases) {
      const r = await runCli(['serve', '--metrics-addr', 'off'], envIn(home, extra));
      assert.equal(r.code, 1, `${JSON.stringify(extra)}: ${r.stderr}`);
      assert.equal(r.stderr, `modelops serve: ${line}\n`);
      assert.equal(r.stdout, '');
    }
    // Nothing was opened: no embedded Postgres, no S3 folder, no lock in the home.
    assert.deepEqual(fs.readdirSync(home), []);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});

test("start refuses a bad story size before it serves; a client command a bad client variable before it calls", async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-config-'));
  try {
    const start = await runCli(['start', '--metrics-addr', 'off'], envIn(home, { MODELOPS_STORY_USERS: 'many' }));
    assert.equal(start.code, 1);
    assert.equal(start.stderr, 'modelops start: MODELOPS_STORY_USERS: "many" is not a whole number of users from 10 to 1000000; unset, it is 2000\n');
    assert.deepEqual(fs.readdirSync(home), []);
    const list = await runCli(['models', 'list', '--addr', '127.0.0.1:1'], envIn(home, { MODELOPS_TLS: 'yes' }));
    assert.equal(list.code, 1);
    assert.equal(list.stderr, 'modelops models list: MODELOPS_TLS: "yes" is not 0 or 1 (also false or true); unset, it is 0\n');
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});
