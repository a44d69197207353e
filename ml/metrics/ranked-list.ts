// Ranking once: rows are grouped into units (a user's candidates on a day, or within a duration group) and each
// unit is sorted by score, so that every metric reads the same order and nothing is sorted twice.
//
// Order within a unit (the one documented tie rule for top-K metrics): score descending; among equal scores,
// non-relevant rows first (the worst case for the model, so a model cannot gain from ties), then by the
// row's tie key ascending (the item index where given), then by input position. The first two keys make the
// value of every metric independent of the order of the input rows whenever tie keys differ; AUC does not use
// this order for ties at all (it gives tied pairs 1/2, the average-rank rule).

/** Columns a ranking metric may read, in rank order for one or many units. */
export interface RankedColumns {
  /** 1 where the row is relevant (label > 0), else 0. */
  rel: Uint8Array;
  /** The model's score. */
  score: Float64Array;
  /** WTG of the row (NaN where unknown). */
  wtg?: Float32Array;
  /** Watch time in seconds. */
  timespentS?: Float32Array;
  /** Completion timespent / length (NaN where unknown). */
  pcc?: Float32Array;
}

/** One unit's ranked candidates: positions start..end-1 of the columns; `nRel` relevant among them. */
export interface RankedList extends RankedColumns {
  start: number;
  end: number;
  nRel: number;
}

/** Per-row inputs of a ranking. */
export interface RankInput {
  score: ArrayLike<number>;
  label: ArrayLike<number>;
  /** Tie key per row (item index); rows with equal score and relevance are ordered by it. */
  tieKey?: ArrayLike<number>;
  wtg?: ArrayLike<number>;
  timespentS?: ArrayLike<number>;
  pcc?: ArrayLike<number>;
}

/** Units in rank order: `offsets[u]..offsets[u+1]-1` are unit u's positions; `order[p]` is the input row at p. */
export interface RankedUnits {
  cols: RankedColumns;
  order: Int32Array;
  offsets: Int32Array;
  nRel: Int32Array;
}

function check(input: RankInput, n: number): void {
  for (let i = 0; i < n; i++) {
    const s = input.score[i];
    if (!Number.isFinite(s)) throw new RangeError(`score of row ${i} is ${s}: every score must be a finite number`);
  }
}

/**
 * Groups rows by `unit` (dense ids 0..nUnits-1, or -1 to drop the row) with a counting pass, then sorts each unit
 * by the documented order. Cost: O(n) plus O(m log m) per unit of m rows.
 */
export function rankUnits(input: RankInput, unit: Int32Array, nUnits: number): RankedUnits {
  const n = unit.length;
  check(input, n);
  const offsets = new Int32Array(nUnits + 1);
  for (let i = 0; i < n; i++) if (unit[i] >= 0) offsets[unit[i] + 1]++;
  for (let u = 0; u < nUnits; u++) offsets[u + 1] += offsets[u];
  const fill = offsets.slice(0, nUnits);
  const total = offsets[nUnits];
  const order = new Int32Array(total);
  for (let i = 0; i < n; i++) if (unit[i] >= 0) order[fill[unit[i]]++] = i;

  const { score, label } = input;
  const tie = input.tieKey;
  // a before b when it ranks higher: score desc, non-relevant first, tie key asc, input position asc.
  const before = (a: number, b: number): boolean => {
    const sa = score[a], sb = score[b];
    if (sa !== sb) return sa > sb;
    const ra = label[a] > 0 ? 1 : 0, rb = label[b] > 0 ? 1 : 0;
    if (ra !== rb) return ra < rb;
    if (tie) {
      const ta = tie[a], tb = tie[b];
      if (ta !== tb) return ta < tb;
    }
    return a < b;
  };
  const cmp = (a: number, b: number) => (before(a, b) ? -1 : before(b, a) ? 1 : 0);
  for (let u = 0; u < nUnits; u++) {
    const lo = offsets[u], hi = offsets[u + 1];
    if (hi - lo <= 24) {
      for (let i = lo + 1; i < hi; i++) {
        const x = order[i];
        let j = i - 1;
        while (j >= lo && before(x, order[j])) { order[j + 1] = order[j]; j--; }
        order[j + 1] = x;
      }
    } else {
      order.subarray(lo, hi).sort(cmp);
    }
  }

  const rel = new Uint8Array(total);
  const sc = new Float64Array(total);
  const nRel = new Int32Array(nUnits);
  const pick = (src: ArrayLike<number> | undefined) => {
    if (!src) return undefined;
    const out = new Float32Array(total);
    for (let p = 0; p < total; p++) out[p] = src[order[p]];
    return out;
  };
  for (let u = 0; u < nUnits; u++) {
    for (let p = offsets[u]; p < offsets[u + 1]; p++) {
      const i = order[p];
      sc[p] = score[i];
      if (label[i] > 0) { rel[p] = 1; nRel[u]++; }
    }
  }
  return { cols: { rel, score: sc, wtg: pick(input.wtg), timespentS: pick(input.timespentS), pcc: pick(input.pcc) }, order, offsets, nRel };
}

/** Unit u of a ranking as a list the metric functions read. */
export function listOf(r: RankedUnits, u: number): RankedList {
  return { ...r.cols, start: r.offsets[u], end: r.offsets[u + 1], nRel: r.nRel[u] };
}

/** Ranks one user's candidates (convenience for callers with a single list, and for tests). */
export function rankList(input: RankInput): RankedList {
  const n = input.score.length;
  const r = rankUnits(input, new Int32Array(n), 1);
  return listOf(r, 0);
}
