// "Bring your own scores": a CSV of scored impressions read into EvalRows, so that a model trained anywhere is
// measured by the same code as the platform's evaluations.
//
// Columns (header required, any order): user_id, item_id, score, label (relevant when > 0), and optionally
// timespent_s, video_length_s, wtg, day (any text, e.g. 2022-05-01: lists are per user and day), and
// baseline_score (a second model's score of the same row: the report then carries the delta and intervals).
// pcc = timespent_s / video_length_s where both are known; duration groups are length quartiles.

import { splitCsv } from '../data/csv';
import { lengthQuantileGroups, type EvalRows } from './evaluate';
import { RANDOM_SEED, SANITY_NAMES, UNKNOWN_LENGTH_SCORE, randomScore, type SanityName } from './sanity';

/** Scored rows parsed from a CSV, ready for evaluateRanking. */
export interface ScoresFile {
  rows: EvalRows;
  score: Float64Array;
  baseline: Float64Array | null;
  /** Column names found, for the report's input section. */
  columns: string[];
  /**
   * Sanity baseline scores: the `sanity_*` columns where given (an export of an evaluation has all five), else
   * random (seeded hash of the dense user, day and item indices) and, with video_length_s, shortest and longest.
   */
  sanity: Partial<Record<SanityName, Float64Array>>;
}

const REQUIRED = ['user_id', 'item_id', 'score', 'label'];
const OPTIONAL = ['timespent_s', 'video_length_s', 'wtg', 'day', 'baseline_score', 'item_index', ...SANITY_NAMES.map((s) => `sanity_${s}`)];

/** Dense indices numbered in sorted order of the values, so they do not depend on the order of the rows. */
function denseSorted(values: string[]): { idx: Int32Array; names: string[] } {
  const names = Array.from(new Set(values)).sort();
  const map = new Map(names.map((v, i) => [v, i]));
  return { idx: Int32Array.from(values, (v) => map.get(v)!), names };
}

/** Parses the CSV text; errors name the line and column to fix. */
export function parseScoresCsv(text: string, groupCount = 4): ScoresFile {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new Error('the scores file is empty: expected a header user_id,item_id,score,label[,timespent_s,video_length_s,wtg,day,baseline_score]');
  const header = splitCsv(lines[0]).map((h) => h.trim().toLowerCase());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length > 0) throw new Error(`the header lacks ${missing.join(', ')}: expected user_id,item_id,score,label and optionally ${OPTIONAL.join(',')}`);
  const col = (name: string) => header.indexOf(name);
  const n = lines.length - 1;
  const users: string[] = new Array(n), items: string[] = new Array(n), days: string[] = new Array(n);
  const num = (name: string) => (col(name) >= 0 ? new Float64Array(n) : null);
  const score = num('score')!, label = num('label')!, ts = num('timespent_s'), len = num('video_length_s'), wtg = num('wtg'), base = num('baseline_score');
  const itemIndex = num('item_index');
  const sanityCols = Object.fromEntries(SANITY_NAMES.map((s) => [s, num(`sanity_${s}`)]));
  const hasDay = col('day') >= 0;
  for (let r = 0; r < n; r++) {
    const cells = splitCsv(lines[r + 1]);
    if (cells.length !== header.length) throw new Error(`line ${r + 2}: ${cells.length} fields, the header has ${header.length}`);
    users[r] = cells[col('user_id')].trim();
    items[r] = cells[col('item_id')].trim();
    if (hasDay) days[r] = cells[col('day')].trim();
    const read = (name: string, arr: Float64Array | null, required: boolean) => {
      if (!arr) return;
      const raw = cells[col(name)].trim();
      const v = raw === '' ? NaN : Number(raw);
      if (Number.isNaN(v) && (required || raw !== '')) throw new Error(`line ${r + 2}: ${name} "${raw}" is not a number`);
      if (required && !Number.isFinite(v)) throw new Error(`line ${r + 2}: ${name} "${raw}" must be finite`);
      arr[r] = v;
    };
    read('score', score, true);
    read('label', label, true);
    read('baseline_score', base, true);
    read('timespent_s', ts, false);
    read('video_length_s', len, false);
    read('wtg', wtg, false);
    read('item_index', itemIndex, true);
    for (const s of SANITY_NAMES) read(`sanity_${s}`, sanityCols[s], true);
  }
  const u = denseSorted(users), it = denseSorted(items);
  // item_index (an export's tie key, the item's index in its dataset) orders ties as the evaluation did.
  const rows: EvalRows = { user: u.idx, nUsers: u.names.length, label, item: itemIndex ? Int32Array.from(itemIndex) : it.idx };
  if (hasDay) {
    const d = denseSorted(days);
    rows.day = d.idx;
    rows.days = d.names;
  }
  if (ts) rows.timespentS = ts;
  if (wtg) rows.wtg = wtg;
  if (len) {
    const g = lengthQuantileGroups(len, groupCount);
    rows.group = g.group;
    rows.groups = g.names;
    if (ts) rows.pcc = Float64Array.from(len, (l, i) => (l > 0 && Number.isFinite(ts[i]) ? ts[i] / l : NaN));
  }
  const sanity: Partial<Record<SanityName, Float64Array>> = {};
  for (const s of SANITY_NAMES) if (sanityCols[s]) sanity[s] = sanityCols[s]!;
  if (!sanity.random) sanity.random = Float64Array.from({ length: n }, (_, i) => randomScore(RANDOM_SEED, rows.user[i], rows.day ? rows.day[i] : 0, rows.item![i]));
  if (len && !sanity.shortest) sanity.shortest = Float64Array.from(len, (l) => (Number.isFinite(l) ? -l : UNKNOWN_LENGTH_SCORE));
  if (len && !sanity.longest) sanity.longest = Float64Array.from(len, (l) => (Number.isFinite(l) ? l : UNKNOWN_LENGTH_SCORE));
  return { rows, score, baseline: base, columns: header.filter((h) => REQUIRED.includes(h) || OPTIONAL.includes(h)), sanity };
}
