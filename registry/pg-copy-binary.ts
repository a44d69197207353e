// COPY binary format (COPY ... FROM STDIN WITH (FORMAT binary)): rows as length-prefixed fields, so a bytea goes
// over as its bytes instead of twice as many hex digits that the server parses back, and nothing is escaped.
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** The file header: signature, flags (no OIDs), header extension length 0. */
const HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);

/** Rows for a binary COPY, written field by field into one growing buffer. */
export class BinaryCopyRows {
  private buf: Buffer;
  private at = 0;

  /** Starts the data with room for about `bytes` bytes (it grows as needed). */
  constructor(bytes: number) {
    this.buf = Buffer.allocUnsafe(Math.max(64, bytes + HEADER.length + 2));
    this.at = HEADER.copy(this.buf, 0);
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }

  /** Begins a row of `fields` fields. */
  row(fields: number): void {
    this.room(2);
    this.at = this.buf.writeInt16BE(fields, this.at);
  }

  /** A text field (UTF-8). */
  text(s: string): void {
    this.room(4 + 3 * s.length);
    const n = this.buf.write(s, this.at + 4, 'utf8');
    this.buf.writeInt32BE(n, this.at);
    this.at += 4 + n;
  }

  /** A bytea field: the bytes of `a` in memory order (a float32 vector as copyFloat32 would store it). */
  bytes(a: ArrayBufferView): void {
    const n = a.byteLength;
    this.room(4 + n);
    this.at = this.buf.writeInt32BE(n, this.at);
    this.buf.set(new Uint8Array(a.buffer, a.byteOffset, n), this.at);
    this.at += n;
  }

  /** A bigint field. */
  int8(x: number): void {
    this.room(12);
    this.at = this.buf.writeInt32BE(8, this.at);
    this.at = this.buf.writeBigInt64BE(BigInt(x), this.at);
  }

  /** The data with its trailer; the builder is done. */
  finish(): Buffer {
    this.room(2);
    this.at = this.buf.writeInt16BE(-1, this.at);
    return this.buf.subarray(0, this.at);
  }
}

/** Streams binary COPY data (BinaryCopyRows.finish) into `sql` (a `COPY ... FROM STDIN WITH (FORMAT binary)`) on `client`. */
export async function copyBinaryIn(client: PoolClient, sql: string, data: Buffer): Promise<void> {
  await pipeline(Readable.from([data]), client.query(copyFrom(sql)));
}
