// The score of (user, item) pairs from tower outputs: the one score function that serving, shadow scoring and
// evaluation share (through ml/model/onnx-model.ts). Plain loops over typed arrays, no per-item objects.
//
// Work per call at the scoring benchmark's size (500 candidates, d = 64): 32,000 multiply-adds (64,000 FLOPs)
// over 128 KB of item rows. Every sum runs in order in double precision and is rounded to float32 once, after
// the item's bias is added, so one user's scores do not depend on whether rows were scored one by one or in a
// batch, from a cache or fresh.

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

/**
 * scores[j] = users[j] . vecs[rows[j]] + bias[rows[j]] for j < n, with one user vector per pair (`users` holds
 * n rows of `dim` floats): the evaluation's form, where consecutive rows belong to different users. Same
 * arithmetic as dotScores, row by row.
 */
export function pairScores(
  users: Float32Array, vecs: Float32Array, dim: number, rows: Int32Array, n: number, out: Float32Array, bias?: Float32Array,
): Float32Array {
  for (let j = 0; j < n; j++) {
    const r = rows[j], a = r * dim, u = j * dim;
    let s = 0;
    for (let i = 0; i < dim; i++) s += users[u + i] * vecs[a + i];
    out[j] = bias ? s + bias[r] : s;
  }
  return out;
}

/** The rows 0..n-1 in order (scoring a batch whose item vectors are already in pair order). */
export function identityRows(n: number): Int32Array {
  const rows = new Int32Array(n);
  for (let j = 0; j < n; j++) rows[j] = j;
  return rows;
}
