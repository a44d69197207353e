// The compiled `modelops` binary as a user runs it: help, a suggestion for a typo, and global flags between the
// command words (cli/main.test.ts covers the same parsing in-process).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runCli } from '../helpers/cli';

test('the compiled binary: help, a suggestion, global flags anywhere', async () => {
  const help = await runCli(['--help'], process.env);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /models list/);
  const typo = await runCli(['modle', 'list'], process.env);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /did you mean `models list`/);
  const flags = await runCli(['models', '--addr', '127.0.0.1:1', 'list', '--json'], process.env);
  assert.equal(flags.code, 1);
  assert.match(flags.stderr, /at 127\.0\.0\.1:1 \(connect ECONNREFUSED/);
});
