// Tables and progress as people read them.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { progressLine, table } from './output';
import type { Io } from './command';

test('table: upper-case headers, two spaces between columns, numbers right-aligned, no trailing blanks', () => {
  const t = table([{ name: 'a', auc: 0.5, note: 'x' }, { name: 'bbbbbb', auc: 12, note: null }]);
  // NAME is 6 wide (bbbbbb), AUC 6 wide ("0.5000"), NOTE 4 wide; "12" pads left to 6.
  assert.equal(t, [
    'NAME       AUC  NOTE',
    'a       0.5000  x',
    'bbbbbb      12',
  ].join('\n'));
  assert.equal(table([]), '(none)');
});

test('progress off a terminal: one line per update, clamped to 0..100%', () => {
  let err = '';
  const io: Io = { json: false, tty: false, out: () => undefined, err: (s) => { err += s; } };
  progressLine(io, 0.5, 'half');
  progressLine(io, 2, 'done');
  assert.equal(err, `[${'#'.repeat(12)}${'.'.repeat(12)}]  50% half\n[${'#'.repeat(24)}] 100% done\n`);
});
