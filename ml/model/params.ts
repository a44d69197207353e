// The parameters of a model as one flat Float32Array with named, shaped views: the form the fast trainer
// shares between workers (SharedArrayBuffer), Adam updates in place, and the exporters read.
import type { ModelSpec } from './spec';
import { itemInWidth, userInWidth } from './spec';
import { Rng } from './rng';
import { archModel } from './arch';

/** One named parameter: its shape and where it lives in the flat array. */
export interface ParamEntry {
  name: string;
  shape: number[];
  offset: number;
  size: number;
}

/** The parameter layout of a spec, in a fixed order (the order is part of the saved weights). */
export function paramLayout(s: ModelSpec): { entries: ParamEntry[]; total: number } {
  const entries: ParamEntry[] = [];
  let offset = 0;
  const add = (name: string, shape: number[]) => {
    const size = shape.reduce((a, b) => a * b, 1);
    entries.push({ name, shape, offset, size });
    offset += size;
  };
  s.layout.userCat.forEach((c) => add(`user.emb.${c.name}`, [c.size, s.catDim]));
  s.layout.itemCat.forEach((c) => add(`item.emb.${c.name}`, [c.size, s.catDim]));
  for (const [tower, inW] of [['user', userInWidth(s)], ['item', itemInWidth(s)]] as const) {
    let w = inW;
    [...s.hidden, s.dim].forEach((h, i) => {
      add(`${tower}.w${i}`, [w, h]);
      add(`${tower}.b${i}`, [h]);
      w = h;
    });
  }
  archModel(s.arch).extraParams(s, add);
  return { entries, total: offset };
}

/** A model's parameters: the spec, the layout and the values. */
export class Params {
  readonly entries: ParamEntry[];
  readonly byName: Map<string, ParamEntry>;
  readonly total: number;

  constructor(readonly spec: ModelSpec, readonly data: Float32Array) {
    const { entries, total } = paramLayout(spec);
    if (data.length !== total) throw new Error(`params: ${data.length} values given, the spec needs ${total}`);
    this.entries = entries;
    this.total = total;
    this.byName = new Map(entries.map((e) => [e.name, e]));
  }

  /** The entry of a parameter; throws on an unknown name (a bug, not an input error). */
  entry(name: string): ParamEntry {
    const e = this.byName.get(name);
    if (!e) throw new Error(`no parameter ${name}`);
    return e;
  }

  /** A view (not a copy) of one parameter's values. */
  view(name: string): Float32Array {
    const e = this.entry(name);
    return this.data.subarray(e.offset, e.offset + e.size);
  }

  /** Fresh parameters: Glorot-uniform matrices, N(0, 0.05) embeddings, zero biases, from `seed`. */
  static init(spec: ModelSpec, seed: number, buffer?: Float32Array): Params {
    const { entries, total } = paramLayout(spec);
    const data = buffer ?? new Float32Array(total);
    const rng = new Rng(seed);
    for (const e of entries) {
      const v = data.subarray(e.offset, e.offset + e.size);
      if (e.shape.length === 1) v.fill(0);
      else if (e.name.includes('.emb.')) for (let i = 0; i < v.length; i++) v[i] = 0.05 * rng.normal();
      else {
        const limit = Math.sqrt(6 / (e.shape[0] + e.shape[1]));
        for (let i = 0; i < v.length; i++) v[i] = (2 * rng.next() - 1) * limit;
      }
    }
    return new Params(spec, data);
  }
}
