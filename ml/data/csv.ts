// Line-oriented reading of (optionally gzip-compressed) CSV streams without loading a file into memory.
import * as readline from 'node:readline';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';

/** The lines of a byte stream, gunzipped when `gzip` is true (or when the stream starts with the gzip magic). */
export async function* linesOf(chunks: AsyncIterable<Buffer | Uint8Array>, gzip?: boolean): AsyncGenerator<string> {
  const it = chunks[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const head = Buffer.from(first.value);
  const isGzip = gzip ?? (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b);
  async function* all() {
    yield head;
    for (let r = await it.next(); !r.done; r = await it.next()) yield Buffer.from(r.value);
  }
  let stream: NodeJS.ReadableStream = Readable.from(all());
  if (isGzip) stream = stream.pipe(zlib.createGunzip());
  const rl = readline.createInterface({ input: stream, crlfDelay: Infinity });
  for await (const line of rl) yield line;
}

/**
 * The bytes of a stream, gunzipped when `gzip` is true (or when the stream starts with the gzip magic), in chunks
 * of up to 256 kB: what a parser that works on bytes (ml/data/modelops-bytes.ts parseViewBytes) reads.
 */
export async function* bytesOf(chunks: AsyncIterable<Buffer | Uint8Array>, gzip?: boolean): AsyncGenerator<Buffer> {
  const it = chunks[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  // A view of the same memory, not a copy (Buffer.from of a Buffer copies it).
  const asBuffer = (v: Buffer | Uint8Array) => (Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength));
  const head = asBuffer(first.value);
  const isGzip = gzip ?? (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b);
  async function* all() {
    yield head;
    for (let r = await it.next(); !r.done; r = await it.next()) yield asBuffer(r.value);
  }
  if (!isGzip) {
    yield* all();
    return;
  }
  // Inflating runs on the thread pool, beside the parser on the main thread.
  const gunzip = Readable.from(all()).pipe(zlib.createGunzip({ chunkSize: 256 * 1024 }));
  for await (const b of gunzip) yield b as Buffer;
}

/** Splits one CSV line into fields (RFC 4180 quotes; no embedded newlines). */
export function splitCsv(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { out.push(cur); cur = ''; }
    else cur += ch;
  }
  out.push(cur);
  return out;
}
