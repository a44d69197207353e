// The binary layout of precomputed item vectors (item_vectors.bin), read by scoring at load:
//
//   offset 0   4 bytes  magic "MOIV"
//          4   u32 LE   format version (1)
//          8   u32 LE   dim: floats per vector
//         12   u32 LE   count: number of items
//         16   u32 LE   idsBytes: byte length of the id block
//         20   idsBytes the item ids, UTF-8, joined by "\n" (ids never contain a newline)
//              0-3 zero bytes of padding, so the vectors start at a multiple of 4
//              count * dim float32 LE, row-major: the vector of ids[i] at row i
import { invalid } from '../../core/errors';

const MAGIC = 'MOIV';
const VERSION = 1;

/** Encodes item ids and their vectors ([ids.length * dim] row-major). */
export function encodeItemVectors(ids: string[], vecs: Float32Array, dim: number): Buffer {
  if (vecs.length !== ids.length * dim) throw invalid(`item vectors: ${vecs.length} floats for ${ids.length} ids of dim ${dim}`);
  for (const id of ids) if (id.includes('\n')) throw invalid(`item id "${id.replace(/\n/g, '\\n')}" contains a newline`);
  const idBytes = Buffer.from(ids.join('\n'), 'utf8');
  const pad = (4 - ((20 + idBytes.length) % 4)) % 4;
  const out = Buffer.alloc(20 + idBytes.length + pad + vecs.length * 4);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(VERSION, 4);
  out.writeUInt32LE(dim, 8);
  out.writeUInt32LE(ids.length, 12);
  out.writeUInt32LE(idBytes.length, 16);
  idBytes.copy(out, 20);
  const off = 20 + idBytes.length + pad;
  for (let i = 0; i < vecs.length; i++) out.writeFloatLE(vecs[i], off + 4 * i);
  return out;
}

/** Decodes item_vectors.bin; the vectors are a copy (aligned), `index` maps an id to its row. */
export function decodeItemVectors(buf: Buffer): { ids: string[]; vecs: Float32Array; dim: number; index: Map<string, number> } {
  if (buf.length < 20 || buf.toString('latin1', 0, 4) !== MAGIC) throw invalid('item vectors: not an item_vectors.bin file (bad magic)');
  const version = buf.readUInt32LE(4);
  if (version !== VERSION) throw invalid(`item vectors: format version ${version} is not supported (expected ${VERSION})`);
  const dim = buf.readUInt32LE(8);
  const count = buf.readUInt32LE(12);
  const idsBytes = buf.readUInt32LE(16);
  const ids = count === 0 ? [] : buf.toString('utf8', 20, 20 + idsBytes).split('\n');
  if (ids.length !== count) throw invalid(`item vectors: ${ids.length} ids for a count of ${count}`);
  const off = 20 + idsBytes + ((4 - ((20 + idsBytes) % 4)) % 4);
  if (buf.length !== off + count * dim * 4) throw invalid(`item vectors: ${buf.length} bytes, expected ${off + count * dim * 4}`);
  const vecs = new Float32Array(count * dim);
  for (let i = 0; i < vecs.length; i++) vecs[i] = buf.readFloatLE(off + 4 * i);
  return { ids, vecs, dim, index: new Map(ids.map((id, i) => [id, i])) };
}
