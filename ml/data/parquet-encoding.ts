// The Parquet value encodings the event log's files use, on typed arrays: the RLE / bit-packed hybrid (dictionary
// indices, definition levels), DELTA_BINARY_PACKED (timestamps), BYTE_STREAM_SPLIT (floats) and PLAIN booleans.
// Written from the format's encodings document (parquet-format, Encodings.md) and checked against DuckDB and hyparquet.
import type { ByteSink } from './parquet-thrift';

/** Bits needed for whole numbers up to `max` (0 for 0). */
export function bitWidth(max: number): number {
  return max < 2 ** 32 ? 32 - Math.clz32(max) : 32 + bitWidth(Math.floor(max / 2 ** 32));
}

/** Packs vals[from..to) at `w` bits each, LSB first, padded with zeros to whole groups of 8 values. */
function packGroups(out: ByteSink, vals: ArrayLike<number>, from: number, to: number, w: number): void {
  const count = to - from;
  const bytes = Math.ceil(count / 8) * w;
  out.ensure(bytes);
  const buf = out.buf;
  let p = out.pos;
  if (w <= 24) {
    let acc = 0;
    let nb = 0;
    for (let k = from; k < to; k++) {
      acc |= vals[k] << nb;
      nb += w;
      while (nb >= 8) {
        buf[p++] = acc & 255;
        acc >>>= 8;
        nb -= 8;
      }
    }
    if (nb > 0) buf[p++] = acc & 255;
  } else {
    // Wide values (a timestamp gap of more than ~4.6 hours inside a delta block): exact, byte by byte.
    let acc = 0;
    let nb = 0;
    for (let k = from; k < to; k++) {
      let rest = vals[k];
      let left = w;
      while (left > 0) {
        const take = Math.min(8 - nb, left);
        const unit = 2 ** take;
        acc += (rest % unit) * 2 ** nb;
        rest = Math.floor(rest / unit);
        left -= take;
        nb += take;
        if (nb === 8) {
          buf[p++] = acc;
          acc = 0;
          nb = 0;
        }
      }
    }
    if (nb > 0) buf[p++] = acc;
  }
  const end = out.pos + bytes;
  buf.fill(0, p, end);
  out.pos = end;
}

/** Unpacks `count` values of `w` bits from buf at `pos` into out[at..at+count). */
function unpack(buf: Uint8Array, pos: number, w: number, out: Int32Array | Float64Array, at: number, count: number): void {
  if (w === 0) {
    out.fill(0, at, at + count);
    return;
  }
  if (Math.ceil((count * w) / 8) + pos > buf.length) throw new Error('parquet: bit-packed values run past the end of their page');
  let p = pos;
  if (w <= 24) {
    const mask = (1 << w) - 1;
    let acc = 0;
    let nb = 0;
    for (let k = at, end = at + count; k < end; k++) {
      while (nb < w) {
        acc |= buf[p++] << nb;
        nb += 8;
      }
      out[k] = acc & mask;
      acc >>>= w;
      nb -= w;
    }
    return;
  }
  let bit = 0;
  for (let k = at, end = at + count; k < end; k++) {
    let v = 0;
    let got = 0;
    while (got < w) {
      const take = Math.min(8 - bit, w - got);
      v += ((buf[p] >>> bit) & ((1 << take) - 1)) * 2 ** got;
      got += take;
      bit += take;
      if (bit === 8) {
        bit = 0;
        p++;
      }
    }
    out[k] = v;
  }
}

/** Runs shorter than this stay inside bit-packed groups (a run header costs about as much as 16 packed values). */
const MIN_RUN = 16;

/**
 * Writes vals[from..to) (whole numbers below 2^w) in the RLE / bit-packed hybrid, without a length prefix:
 * runs of MIN_RUN or more equal values as RLE runs, everything else bit-packed.
 */
export function writeHybrid(out: ByteSink, vals: ArrayLike<number>, from: number, to: number, w: number): void {
  const valueBytes = Math.ceil(w / 8);
  let packedFrom = from;
  let i = from;
  while (i < to) {
    const x = vals[i];
    let j = i + 1;
    while (j < to && vals[j] === x) j++;
    if (j - i >= MIN_RUN) {
      // A bit-packed stretch holds whole groups of 8: start the run where the stretch before it ends a group.
      const start = i + ((8 - ((i - packedFrom) & 7)) & 7);
      if (j - start >= MIN_RUN) {
        if (start > packedFrom) {
          out.varint(((start - packedFrom) / 8) * 2 + 1);
          packGroups(out, vals, packedFrom, start, w);
        }
        out.varint((j - start) * 2);
        for (let b = 0, v = x; b < valueBytes; b++, v >>>= 8) out.u8(v & 255);
        packedFrom = j;
      }
    }
    i = j;
  }
  if (packedFrom < to) {
    out.varint(Math.ceil((to - packedFrom) / 8) * 2 + 1);
    packGroups(out, vals, packedFrom, to, w);
  }
}

/** Reads `count` values of the RLE / bit-packed hybrid from buf[pos..end) into out[0..count); returns the end position. */
export function readHybrid(buf: Uint8Array, pos: number, end: number, w: number, out: Int32Array, count: number): number {
  const valueBytes = Math.ceil(w / 8);
  let k = 0;
  while (k < count) {
    if (pos >= end) throw new Error(`parquet: RLE / bit-packed data ends after ${k} of ${count} values`);
    let h = 0;
    let mul = 1;
    for (;;) {
      const b = buf[pos++];
      h += (b & 127) * mul;
      if (b < 128) break;
      mul *= 128;
    }
    if (h % 2 === 0) {
      const n = Math.min(h / 2, count - k);
      let v = 0;
      for (let b = 0; b < valueBytes; b++) v |= buf[pos++] << (8 * b);
      out.fill(v, k, k + n);
      k += n;
    } else {
      const groups = (h - 1) / 2;
      const n = Math.min(groups * 8, count - k);
      unpack(buf, pos, w, out, k, n);
      pos += groups * w;
      k += n;
    }
  }
  return pos;
}

const BLOCK = 128;
const MINIBLOCKS = 4;
const MINI = BLOCK / MINIBLOCKS;

/** DELTA_BINARY_PACKED of whole numbers (|v| < 2^52, consecutive differences below 2^52): 128-value blocks of 4 miniblocks. */
export function writeDelta(out: ByteSink, vals: Float64Array): void {
  const n = vals.length;
  out.varint(BLOCK);
  out.varint(MINIBLOCKS);
  out.varint(n);
  out.zigzag(n > 0 ? vals[0] : 0);
  const deltas = new Float64Array(BLOCK);
  const widths = new Uint8Array(MINIBLOCKS);
  for (let start = 1; start < n; start += BLOCK) {
    const m = Math.min(BLOCK, n - start);
    let min = Infinity;
    for (let j = 0; j < m; j++) {
      const d = vals[start + j] - vals[start + j - 1];
      deltas[j] = d;
      if (d < min) min = d;
    }
    for (let j = 0; j < m; j++) deltas[j] -= min;
    deltas.fill(0, m);
    widths.fill(0);
    for (let b = 0; b * MINI < m; b++) {
      let max = 0;
      for (let j = b * MINI; j < (b + 1) * MINI; j++) if (deltas[j] > max) max = deltas[j];
      widths[b] = bitWidth(max);
    }
    out.zigzag(min);
    out.bytes(widths);
    // Miniblocks past the last value are left out (their widths stay 0).
    for (let b = 0; b * MINI < m; b++) packGroups(out, deltas, b * MINI, (b + 1) * MINI, widths[b]);
  }
}

/** Reads DELTA_BINARY_PACKED whole numbers into out[0..count) from buf at `pos`; returns the end position. */
export function readDelta(buf: Uint8Array, pos: number, out: Float64Array, count: number): number {
  const r = { pos };
  const varint = (): number => {
    let v = 0;
    let mul = 1;
    for (;;) {
      if (r.pos >= buf.length) throw new Error('parquet: DELTA_BINARY_PACKED header runs past the end of its page');
      const b = buf[r.pos++];
      v += (b & 127) * mul;
      if (b < 128) return v;
      mul *= 128;
    }
  };
  const zigzag = (): number => {
    const z = varint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  };
  const block = varint();
  const miniblocks = varint();
  const total = varint();
  let prev = zigzag();
  const mini = block / miniblocks;
  if (!Number.isInteger(mini) || mini % 8 !== 0) throw new Error(`parquet: DELTA_BINARY_PACKED block of ${block} in ${miniblocks} miniblocks is invalid`);
  if (total < count) throw new Error(`parquet: DELTA_BINARY_PACKED holds ${total} values, ${count} expected`);
  if (count === 0) return r.pos;
  out[0] = prev;
  const tmp = new Float64Array(mini);
  let k = 1;
  while (k < count) {
    const min = zigzag();
    const widthsAt = r.pos;
    r.pos += miniblocks;
    for (let b = 0; b < miniblocks && k < count; b++) {
      const w = buf[widthsAt + b];
      const m = Math.min(mini, count - k);
      unpack(buf, r.pos, w, tmp, 0, m);
      r.pos += (mini / 8) * w;
      for (let j = 0; j < m; j++) out[k++] = prev = prev + min + tmp[j];
    }
  }
  return r.pos;
}

/** BYTE_STREAM_SPLIT of float32s: byte b of every value, for b = 0..3 (exponent bytes together compress better). */
export function writeByteStreamSplit(out: ByteSink, vals: Float32Array): void {
  const n = vals.length;
  const src = new Uint8Array(vals.buffer, vals.byteOffset, n * 4);
  out.ensure(n * 4);
  const buf = out.buf;
  const p = out.pos;
  for (let k = 0; k < n; k++) {
    const s = 4 * k;
    buf[p + k] = src[s];
    buf[p + n + k] = src[s + 1];
    buf[p + 2 * n + k] = src[s + 2];
    buf[p + 3 * n + k] = src[s + 3];
  }
  out.pos = p + 4 * n;
}

/** Reads `count` BYTE_STREAM_SPLIT float32s (of `total` in the page) from buf at `pos` into out[at..). */
export function readByteStreamSplit(buf: Uint8Array, pos: number, total: number, out: Float32Array, at: number, count: number): void {
  if (pos + 4 * total > buf.length) throw new Error('parquet: BYTE_STREAM_SPLIT values run past the end of their page');
  const dst = new Uint8Array(out.buffer, out.byteOffset + 4 * at, 4 * count);
  for (let k = 0; k < count; k++) {
    const d = 4 * k;
    dst[d] = buf[pos + k];
    dst[d + 1] = buf[pos + total + k];
    dst[d + 2] = buf[pos + 2 * total + k];
    dst[d + 3] = buf[pos + 3 * total + k];
  }
}
