// The scoring arithmetic of the hot path, on typed arrays with no per-item objects: the dot products of
// one user vector with the candidates' cached item vectors, and a partial selection of the best K.
//
// Work per call at the benchmark's size (500 candidates, d = 64, K = 100): 32,000 multiply-adds (64,000
// FLOPs) over 128 KB of item rows for the scores, then 500 heap offers into a min-heap of K (each O(log K)
// ~ 7 sift steps, most offers rejected at the root in O(1)), then K log K to order the survivors. No allocation besides the output arrays.

/**
 * scores[j] = user . vecs[rows[j]] + bias[rows[j]] for j < n; `vecs` holds one row of `dim` floats per
 * cached item, `bias` one extra logit per row (two-tower-mod's age term; omit for plain dot products).
 *
 * Four candidates at a time: the rows are scattered over the cache (a 256-byte row per candidate at d = 64,
 * mostly not in the CPU cache when a call starts), so the loop is bound by memory latency; four independent
 * row streams keep four misses in flight instead of one and share each load of the user vector. This measured
 * ~40% faster than one row with four accumulators (bench/score.bench.ts, docs/bench-scoring.md). Each row's
 * sum runs in order in double precision.
 */
export function dotScores(
  user: Float32Array, vecs: Float32Array, dim: number, rows: Int32Array, n: number, out: Float32Array, bias?: Float32Array,
): Float32Array {
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const ra = rows[j], rb = rows[j + 1], rc = rows[j + 2], rd = rows[j + 3];
    const a = ra * dim, b = rb * dim, c = rc * dim, d = rd * dim;
    let sa = 0, sb = 0, sc = 0, sd = 0;
    for (let i = 0; i < dim; i++) {
      const u = user[i];
      sa += u * vecs[a + i];
      sb += u * vecs[b + i];
      sc += u * vecs[c + i];
      sd += u * vecs[d + i];
    }
    if (bias) {
      sa += bias[ra];
      sb += bias[rb];
      sc += bias[rc];
      sd += bias[rd];
    }
    out[j] = sa;
    out[j + 1] = sb;
    out[j + 2] = sc;
    out[j + 3] = sd;
  }
  for (; j < n; j++) {
    const r = rows[j], a = r * dim;
    let s = 0;
    for (let i = 0; i < dim; i++) s += user[i] * vecs[a + i];
    out[j] = bias ? s + bias[r] : s;
  }
  return out;
}

/** True when candidate a ranks before b: higher score first; ties (and NaN) keep request order. */
function before(scores: Float32Array, a: number, b: number): boolean {
  const sa = scores[a], sb = scores[b];
  if (sa > sb) return true;
  if (sa < sb) return false;
  // Equal or unordered (NaN): a NaN score ranks last, then the earlier candidate wins.
  const na = sa !== sa, nb = sb !== sb;
  if (na !== nb) return nb;
  return a < b;
}

/**
 * The indices (into scores[0..n)) of the best `k` scores, best first; k <= 0 or k >= n ranks all n.
 * A min-heap of size k keeps the best seen so far with the worst at its root.
 */
export function topK(scores: Float32Array, n: number, k: number): Int32Array {
  const size = k <= 0 || k >= n ? n : k;
  const heap = new Int32Array(size);
  let len = 0;
  for (let j = 0; j < n; j++) {
    if (len < size) {
      // Sift up: the new candidate rises while it ranks after its parent (worst stays at the root).
      let c = len++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!before(scores, heap[p], j)) break;
        heap[c] = heap[p];
        c = p;
      }
      heap[c] = j;
    } else if (before(scores, j, heap[0])) {
      siftDown(scores, heap, len, j);
    }
  }
  // Pop the worst repeatedly into the back of the output: the output ends up best first.
  const out = new Int32Array(len);
  for (let end = len - 1; end >= 0; end--) {
    out[end] = heap[0];
    const last = heap[end];
    if (end > 0) siftDown(scores, heap, end, last);
  }
  return out;
}

/** Replaces the root of a heap of `len` with `x` and restores the order (worst at the root). */
function siftDown(scores: Float32Array, heap: Int32Array, len: number, x: number): void {
  let c = 0;
  for (;;) {
    const l = 2 * c + 1;
    if (l >= len) break;
    const r = l + 1;
    // The child that ranks worse goes up.
    const w = r < len && before(scores, heap[l], heap[r]) ? r : l;
    if (!before(scores, x, heap[w])) break;
    heap[c] = heap[w];
    c = w;
  }
  heap[c] = x;
}
