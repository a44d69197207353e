// The Thrift compact protocol, as much of it as a Parquet footer and its page headers use: a growable byte sink
// that writes structs field by field, and a reader that turns a struct into a map from field id to value.
// Numbers are JS numbers throughout (every i64 a Parquet file of this platform holds is below 2^53).

/** Compact-protocol type codes of a field header. */
export const enum TType {
  True = 1, False = 2, Byte = 3, I16 = 4, I32 = 5, I64 = 6, Double = 7, Binary = 8, List = 9, Set = 10, Map = 11, Struct = 12,
}

const utf8 = new TextEncoder();
/** Strings up to this length are tried as ASCII byte by byte; past it encodeInto's own loop is faster. */
const SHORT_STRING = 32;

/** A growable byte buffer with the little-endian and varint writes Parquet pages and Thrift need. */
export class ByteSink {
  buf: Uint8Array;
  pos = 0;

  constructor(capacity = 1024) {
    this.buf = new Uint8Array(Math.max(16, capacity));
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  u8(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  u32le(v: number): void {
    this.ensure(4);
    const p = this.pos;
    this.buf[p] = v & 255; this.buf[p + 1] = (v >>> 8) & 255; this.buf[p + 2] = (v >>> 16) & 255; this.buf[p + 3] = (v >>> 24) & 255;
    this.pos = p + 4;
  }

  /** Unsigned LEB128 of a whole number in [0, 2^53). */
  varint(v: number): void {
    this.ensure(8);
    while (v >= 128) {
      this.buf[this.pos++] = (v % 128) | 128;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }

  /** Zigzag varint of a whole number in (-2^52, 2^52). */
  zigzag(v: number): void {
    this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /**
   * A PLAIN BYTE_ARRAY value: the string's UTF-8 byte length (u32le), then its bytes, the same bytes as
   * TextEncoder.encode gives, encoded straight into the buffer. Ids are short ASCII, which a loop of charCodeAt
   * writes ~25x faster than encode + copy; longer or non-ASCII rest goes through encodeInto.
   */
  plainString(s: string): void {
    const n = s.length;
    // A UTF-16 unit is at most 3 UTF-8 bytes (a surrogate pair, 2 units, is 4; a lone one becomes U+FFFD, 3).
    this.ensure(4 + 3 * n);
    const buf = this.buf;
    const at = this.pos;
    let p = at + 4;
    let k = 0;
    if (n <= SHORT_STRING) {
      for (; k < n; k++) {
        const c = s.charCodeAt(k);
        if (c >= 128) break;
        buf[p++] = c;
      }
    }
    if (k < n) p += utf8.encodeInto(k === 0 ? s : s.slice(k), buf.subarray(p)).written;
    const len = p - at - 4;
    buf[at] = len & 255; buf[at + 1] = (len >>> 8) & 255; buf[at + 2] = (len >>> 16) & 255; buf[at + 3] = (len >>> 24) & 255;
    this.pos = p;
  }

  /** The bytes written so far (a view, valid until the next write). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}

/** Writes Thrift compact structs: `struct` opens one, the field writers add to the innermost open one. */
export class ThriftWriter extends ByteSink {
  private lastId = 0;
  private readonly stack: number[] = [];

  private field(id: number, type: TType): void {
    const d = id - this.lastId;
    if (d > 0 && d <= 15) this.u8((d << 4) | type);
    else {
      this.u8(type);
      this.zigzag(id);
    }
    this.lastId = id;
  }

  /** Writes the fields `body` adds, then the stop byte. Used for the top-level struct and list elements. */
  fields(body: () => void): void {
    this.stack.push(this.lastId);
    this.lastId = 0;
    body();
    this.u8(0);
    this.lastId = this.stack.pop()!;
  }

  i32(id: number, v: number): void {
    this.field(id, TType.I32);
    this.zigzag(v);
  }

  i64(id: number, v: number): void {
    this.field(id, TType.I64);
    this.zigzag(v);
  }

  bool(id: number, v: boolean): void {
    this.field(id, v ? TType.True : TType.False);
  }

  binary(id: number, b: Uint8Array): void {
    this.field(id, TType.Binary);
    this.varint(b.length);
    this.bytes(b);
  }

  string(id: number, s: string): void {
    this.binary(id, utf8.encode(s));
  }

  struct(id: number, body: () => void): void {
    this.field(id, TType.Struct);
    this.fields(body);
  }

  private listHeader(id: number, size: number, elem: TType): void {
    this.field(id, TType.List);
    if (size < 15) this.u8((size << 4) | elem);
    else {
      this.u8(0xf0 | elem);
      this.varint(size);
    }
  }

  /** A list of structs, each written by `body`. */
  structList<T>(id: number, items: readonly T[], body: (item: T) => void): void {
    this.listHeader(id, items.length, TType.Struct);
    for (const it of items) this.fields(() => body(it));
  }

  i32List(id: number, items: readonly number[]): void {
    this.listHeader(id, items.length, TType.I32);
    for (const v of items) this.zigzag(v);
  }

  stringList(id: number, items: readonly string[]): void {
    this.listHeader(id, items.length, TType.Binary);
    for (const s of items) {
      const b = utf8.encode(s);
      this.varint(b.length);
      this.bytes(b);
    }
  }
}

/** A decoded struct: field id to value (numbers, booleans, byte views, lists, nested structs). */
export type ThriftStruct = Map<number, ThriftValue>;
export type ThriftValue = number | boolean | Uint8Array | ThriftStruct | ThriftValue[];

/** Reads Thrift compact structs from `buf` starting at `pos`; `pos` ends after what was read. */
export class ThriftReader {
  constructor(readonly buf: Uint8Array, public pos: number) {}

  private byte(): number {
    if (this.pos >= this.buf.length) throw new Error('thrift: the struct runs past the end of its bytes (a truncated Parquet file?)');
    return this.buf[this.pos++];
  }

  private varint(): number {
    let v = 0;
    let mul = 1;
    for (;;) {
      const b = this.byte();
      v += (b & 127) * mul;
      if (b < 128) return v;
      mul *= 128;
      if (mul > 2 ** 63) throw new Error('thrift: a varint longer than 64 bits');
    }
  }

  private zigzag(): number {
    const z = this.varint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  private value(type: number): ThriftValue {
    switch (type) {
      case TType.True: return true;
      case TType.False: return false;
      case TType.Byte: return this.byte();
      case TType.I16: case TType.I32: case TType.I64: return this.zigzag();
      case TType.Double: {
        const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getFloat64(0, true);
        this.pos += 8;
        return v;
      }
      case TType.Binary: {
        const n = this.varint();
        if (this.pos + n > this.buf.length) throw new Error('thrift: a binary field runs past the end of its bytes');
        const b = this.buf.subarray(this.pos, this.pos + n);
        this.pos += n;
        return b;
      }
      case TType.List: case TType.Set: {
        const h = this.byte();
        const n = h >> 4 === 15 ? this.varint() : h >> 4;
        const elem = h & 15;
        const out: ThriftValue[] = [];
        // Booleans inside a list are one byte each (1 true), not part of a field header.
        for (let i = 0; i < n; i++) out.push(elem === TType.True || elem === TType.False ? this.byte() === 1 : this.value(elem));
        return out;
      }
      case TType.Map: {
        const n = this.varint();
        const out: ThriftValue[] = [];
        if (n === 0) return out;
        const kv = this.byte();
        for (let i = 0; i < n; i++) out.push([this.value(kv >> 4), this.value(kv & 15)]);
        return out;
      }
      case TType.Struct: return this.struct();
      default: throw new Error(`thrift: unknown compact type ${type}`);
    }
  }

  /** Reads one struct up to its stop byte. */
  struct(): ThriftStruct {
    const out: ThriftStruct = new Map();
    let last = 0;
    for (;;) {
      const h = this.byte();
      if (h === 0) return out;
      const d = h >> 4;
      const id = d === 0 ? this.zigzag() : last + d;
      out.set(id, this.value(h & 15));
      last = id;
    }
  }
}
