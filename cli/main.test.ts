// The command line as people type it: global flags anywhere, suggestions for mistyped nouns and verbs, typed
// flags, and errors that say what to do. Parsing runs in-process against a small index; the compiled binary's
// end-to-end runs are test/foundation/cli-binary.test.ts.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { editDistance, main, parseCommandLine, suggest, type CommandEntry } from './main';
import { connectionCause } from './client';
import type { Io } from './command';

function captureIo(): Io & { stdout: string; stderr: string } {
  const io = {
    json: false, tty: false, stdout: '', stderr: '',
    out(t: string) { io.stdout += `${t}\n`; },
    err(t: string) { io.stderr += t; },
  };
  return io;
}

const entries: CommandEntry[] = [
  { name: 'models list', summary: 'List models.', file: 'x', flags: { 'page-size': { type: 'number', description: 'Per page.' } } },
  { name: 'models show', summary: 'Show a model.', usage: '<model>', file: 'x', flags: {} },
  { name: 'score', summary: 'Score.', file: 'x', flags: {
    items: { type: 'list', description: 'Items.' },
    model: { type: 'string', description: 'Model.', alias: 'name' },
    'no-story': { type: 'boolean', description: 'Skip.' },
  } },
  { name: 'score status', summary: 'Serving versions.', file: 'x', flags: {} },
];

function parse(argv: string[]) {
  const io = captureIo();
  const r = parseCommandLine(argv, entries, io);
  return { ...r, io };
}

test('global flags before, between and after the command words', () => {
  for (const argv of [
    ['--addr', 'h:1', 'models', 'list', '--json'],
    ['models', '--addr', 'h:1', 'list', '--json'],
    ['--json', 'models', 'list', '--addr=h:1'],
  ]) {
    const r = parse(argv);
    assert.ok('entry' in r, `${argv.join(' ')}: ${r.io.stderr}`);
    assert.equal(r.entry.name, 'models list');
    assert.deepEqual(r.args, { positional: [], flags: { addr: 'h:1', json: true } }, argv.join(' '));
  }
});

test('typed flags: numbers, lists (repeated and comma-separated), aliases, "no-" booleans, positionals', () => {
  const r = parse(['score', 'm1', '--items', 'a,b', '--items', 'c', '--name', 'm2', '--no-story', '--token', 't']);
  assert.ok('entry' in r, r.io.stderr);
  assert.equal(r.entry.name, 'score');
  assert.deepEqual(r.args, { positional: ['m1'], flags: { items: ['a', 'b', 'c'], model: 'm2', 'no-story': true, token: 't' } });
  const n = parse(['models', 'list', '--page-size', '7']);
  assert.ok('entry' in n);
  assert.equal(n.args.flags['page-size'], 7);
  // A word that is both a command and a noun: its verb wins, anything else is an argument.
  const s = parse(['score', 'status']);
  assert.ok('entry' in s);
  assert.equal(s.entry.name, 'score status');
});

test('usage errors exit 2 and name the command and its --help', () => {
  const bad = parse(['models', 'list', '--page-size', 'many']);
  assert.deepEqual('exit' in bad && bad.exit, 2);
  assert.match(bad.io.stderr, /^modelops models list: .*"many" is not a number; see `modelops models list --help`/);
  const unknown = parse(['models', 'list', '--bogus']);
  assert.deepEqual('exit' in unknown && unknown.exit, 2);
  assert.match(unknown.io.stderr, /unknown option '--bogus'/);
});

test('mistyped nouns and verbs get suggestions', () => {
  const noun = parse(['--addr', 'h:1', 'modle', 'list']);
  assert.deepEqual('exit' in noun && noun.exit, 2);
  assert.match(noun.io.stderr, /unknown command "modle list"; did you mean `models list`\?/);
  const verb = parse(['models', 'lsit']);
  assert.match(verb.io.stderr, /did you mean `models list`\?/);
  assert.deepEqual(suggest(['scor'], entries.map((e) => e.name)), ['score']);
  assert.deepEqual(suggest(['models', 'delete'], entries.map((e) => e.name)), ['models list', 'models show']);
  assert.deepEqual(suggest(['zebra'], entries.map((e) => e.name)), []);
  // "modle" → "models": swap "le" (1) and add "s" (1) = 2; plain Levenshtein would count 3.
  assert.equal(editDistance('modle', 'models'), 2);
  assert.equal(editDistance('', 'abc'), 3);
});

test('help: the overview lists every command; a command lists its flags and the global ones', () => {
  const all = parse(['--help']);
  assert.deepEqual('exit' in all && all.exit, 0);
  for (const e of entries) assert.ok(all.io.stdout.includes(e.name), e.name);
  const one = parse(['help', 'models', 'list']);
  assert.deepEqual('exit' in one && one.exit, 0);
  assert.match(one.io.stdout, /--page-size <N>/);
  assert.match(one.io.stdout, /--addr <HOST:PORT>/);
});

test('the cannot-reach cause has no empty "Resolution note"', () => {
  assert.equal(connectionCause('No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:1. Resolution note: '),
    'connect ECONNREFUSED 127.0.0.1:1');
  assert.equal(connectionCause('No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:1. Resolution note: DNS says no'),
    'connect ECONNREFUSED 127.0.0.1:1; DNS says no');
  assert.equal(connectionCause('connection refused'), 'connection refused');
});

test('the real commands in-process: --addr before the words reaches the command', async () => {
  const io = captureIo();
  const code = await main(['--addr', '127.0.0.1:1', 'models', 'list'], io);
  assert.equal(code, 1);
  assert.match(io.stderr, /cannot reach the modelops server at 127\.0\.0\.1:1 \(connect ECONNREFUSED 127\.0\.0\.1:1\); start it/);
  assert.doesNotMatch(io.stderr, /Resolution note/);
});
