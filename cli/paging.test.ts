// The paged list commands' shared part: the flags, the request fields, and the page as printed.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { emitPage, pageFlags, pageOf } from './paging';
import type { Io } from './command';

function capture(json: boolean): { io: Io; lines: string[] } {
  const lines: string[] = [];
  return { io: { json, tty: false, out: (s) => { lines.push(s); }, err: () => undefined }, lines };
}

test('the flags name what a page holds; absent flags ask for the server default and the first page', () => {
  const f = pageFlags('Rollouts');
  assert.deepEqual(Object.keys(f), ['page-size', 'page-token']);
  assert.equal(f['page-size'].type, 'number');
  assert.equal(f['page-size'].description, 'Rollouts per page (default 50, max 500).');
  assert.equal(f['page-token'].type, 'string');
  assert.deepEqual(pageOf({ positional: [], flags: {} }), { page_size: 0, page_token: '' });
  assert.deepEqual(pageOf({ positional: [], flags: { 'page-size': 7, 'page-token': 'abc' } }), { page_size: 7, page_token: 'abc' });
});

test('a page prints its rows, then the flag that reads the next page only when there is one', () => {
  const more = capture(false);
  emitPage(more.io, 'models', [{ id: 'a' }], 'tok-2', () => more.io.out('TABLE'));
  assert.deepEqual(more.lines, ['TABLE', 'more: --page-token tok-2']);
  const last = capture(false);
  emitPage(last.io, 'models', [{ id: 'a' }], '', () => last.io.out('TABLE'));
  assert.deepEqual(last.lines, ['TABLE']);
});

test('--json: the rows under their key and next_page_token, nothing else', () => {
  const j = capture(true);
  emitPage(j.io, 'events', [{ id: '1' }, { id: '2' }], 'tok', () => j.io.out('TABLE'));
  assert.equal(j.lines.length, 1);
  assert.deepEqual(JSON.parse(j.lines[0]), { events: [{ id: '1' }, { id: '2' }], next_page_token: 'tok' });
});
