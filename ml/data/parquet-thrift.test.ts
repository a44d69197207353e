import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ByteSink } from './parquet-thrift';

/** The PLAIN BYTE_ARRAY bytes of `strings` as TextEncoder.encode gives them, each after its u32le length. */
function reference(strings: string[]): Uint8Array {
  const parts: number[] = [];
  for (const s of strings) {
    const b = new TextEncoder().encode(s);
    parts.push(b.length & 255, (b.length >>> 8) & 255, (b.length >>> 16) & 255, b.length >>> 24, ...b);
  }
  return Uint8Array.from(parts);
}

test('plainString writes the bytes TextEncoder.encode gives: empty, ASCII, non-ASCII anywhere, astral, lone surrogates, both sides of the short-string loop', () => {
  const strings = [
    '', 'u0', 'v32852', 'a'.repeat(31), 'a'.repeat(32), 'a'.repeat(33), 'b'.repeat(32) + 'é', 'é' + 'c'.repeat(40),
    'ユーザー,"7"', 'u1ü', 'üu1', 'tab\there', '\u007f\u0080\u07ff\u0800\uffff', '😀', 'x😀y', 'lone \ud800 high', 'lone \udc00 low',
    'end \ud83d', '\ud83d', 'z'.repeat(70_000), 'ü'.repeat(25_000) + 'tail',
  ];
  const sink = new ByteSink(16);
  for (const s of strings) sink.plainString(s);
  assert.deepEqual(sink.view(), reference(strings));
});

test('plainString grows the sink mid-sequence without losing what was written before', () => {
  // A small sink grows many times: each string lands at a position the previous growth chose.
  const strings = Array.from({ length: 3000 }, (_, k) => (k % 7 === 0 ? `ü${k}` : k % 11 === 0 ? 'id-'.repeat(k % 50) : `u${k}`));
  const sink = new ByteSink(16);
  sink.u8(9);
  for (const s of strings) sink.plainString(s);
  assert.deepEqual(sink.view(), Uint8Array.from([9, ...reference(strings)]));
});
