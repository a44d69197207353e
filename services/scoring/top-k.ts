// The selection half of the hot path, on typed arrays with no per-item objects: a partial selection of the
// best K scores (the scores themselves come from ml/model/score.ts, the one score function).
//
// Work per call at the benchmark's size (500 candidates, K = 100): 500 heap offers into a min-heap of K (each
// O(log K) ~ 7 sift steps, most offers rejected at the root in O(1)), then K log K to order the survivors.
// No allocation besides the output array.

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
