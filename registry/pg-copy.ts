// COPY text format, shared by the stores that load rows in bulk (COPY into a temporary table, then one upsert).
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** Escapes a value for COPY text format. */
export function copyEscape(v: string): string {
  return /[\\\t\n\r]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : v;
}

/** A number for COPY text format: NULL (`\N`) when missing or not finite. */
export function copyNumber(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '\\N' : String(x);
}

/** A float32 vector as a COPY text bytea value (hex, its bytes in memory order). */
export function copyFloat32(a: Float32Array): string {
  return `\\\\x${Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex')}`;
}

/** A bytea value read back as the float32 vector it stores. */
export function float32Of(b: Buffer): Float32Array {
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** Streams COPY text lines (each ending in a newline) into `sql` (a `COPY ... FROM STDIN`) on `client`. */
export async function copyIn(client: PoolClient, sql: string, lines: string[]): Promise<void> {
  await pipeline(Readable.from([lines.join('')]), client.query(copyFrom(sql)));
}
