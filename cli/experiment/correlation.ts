// How much a model's scores follow video length: Spearman's rank correlation between score and length over the
// scored viewed lists of an evaluation (its kept scores, the CSV of ExportEvaluationScores), pooled and as the
// mean of per-list correlations, for the candidate, the baseline and the length-only sanity baselines. The seed's
// complaint about the completion label is a length bias: +1 means "longest first", -1 "shortest first".
import { spearman } from '../../ml/metrics/rank-correlation';

/** Score-vs-length correlations of one evaluation's viewed lists. */
export interface LengthCorrelation {
  /** Rows with a known length. */
  rows: number;
  /** Spearman over all rows pooled. */
  candidate: number | null;
  baseline: number | null;
  /** The mean of Spearman within each user-day list (lists of at least 3 items with distinct lengths). */
  candidate_within_lists: number | null;
  baseline_within_lists: number | null;
  lists: number;
}

function splitCsv(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (q) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (ch === '"') q = false; else cur += ch;
    } else if (ch === '"') q = true; else if (ch === ',') { out.push(cur); cur = ''; } else cur += ch;
  }
  out.push(cur);
  return out;
}

const finite = (x: number) => (Number.isFinite(x) ? x : null);

/** Computes the correlations from the CSV text of an evaluation's kept viewed scores. */
export function scoreLengthCorrelation(csv: string): LengthCorrelation {
  const lines = csv.split('\n').filter((l) => l.length > 0);
  const head = splitCsv(lines[0] ?? '');
  const col = (n: string) => {
    const i = head.indexOf(n);
    if (i < 0) throw new Error(`the scores have no ${n} column`);
    return i;
  };
  const [iu, id, il, is, ib] = [col('user_id'), col('day'), col('video_length_s'), col('score'), col('baseline_score')];
  const len: number[] = [];
  const cand: number[] = [];
  const base: number[] = [];
  const lists = new Map<string, number[]>();
  for (let k = 1; k < lines.length; k++) {
    const c = splitCsv(lines[k]);
    const l = Number(c[il]);
    if (c[il] === '' || !Number.isFinite(l)) continue;
    const key = `${c[iu]}\u0000${c[id]}`;
    if (!lists.has(key)) lists.set(key, []);
    lists.get(key)!.push(len.length);
    len.push(l);
    cand.push(Number(c[is]));
    base.push(c[ib] === '' ? NaN : Number(c[ib]));
  }
  const hasBase = base.some(Number.isFinite);
  let sc = 0;
  let sb = 0;
  let n = 0;
  let nb = 0;
  for (const idx of lists.values()) {
    if (idx.length < 3 || new Set(idx.map((i) => len[i])).size < 2) continue;
    const a = spearman(idx.map((i) => cand[i]), idx.map((i) => len[i]));
    if (!Number.isFinite(a)) continue;
    sc += a;
    n++;
    const b = hasBase ? spearman(idx.map((i) => base[i]), idx.map((i) => len[i])) : NaN;
    if (Number.isFinite(b)) { sb += b; nb++; }
  }
  return {
    rows: len.length,
    candidate: len.length > 2 ? finite(spearman(cand, len)) : null,
    baseline: hasBase && len.length > 2 ? finite(spearman(base, len)) : null,
    candidate_within_lists: n ? finite(sc / n) : null,
    baseline_within_lists: nb ? finite(sb / nb) : null,
    lists: n,
  };
}
