// The CSV of an evaluation's scores (ExportEvaluationScores, `modelops evaluate --export-scores`): one row per
// (user, day, item, protocol) of the ranked lists, with the target label, the outcomes, the candidate's and the
// baseline's scores and one column per sanity baseline. Its column names are those `modelops metrics compute`
// reads, so a file of one protocol can be fed back to it; numbers are written with full precision (JavaScript's
// shortest round-trip form), so an outside tool recomputes the report's point metrics exactly.
import { SANITY_NAMES, type SanityName } from './sanity';

/** The columns of an export, in order. */
export const EXPORT_COLUMNS = [
  'user_id', 'day', 'item_id', 'item_index', 'protocol', 'label', 'wtg', 'timespent_s', 'video_length_s', 'score', 'baseline_score',
  ...SANITY_NAMES.map((s) => `sanity_${s}`),
] as const;

/** One exported row. NaN (unknown outcome, no baseline) is written as an empty cell. */
export interface ExportRow {
  user: string;
  day: string;
  item: string;
  /** The item's index in the dataset's item list: the tie key of the documented order (equal scores and relevance). */
  itemIndex: number;
  protocol: 'viewed' | 'catalog';
  label: number;
  wtg: number;
  timespentS: number;
  lengthS: number;
  score: number;
  baseline: number;
  sanity: Record<SanityName, number>;
}

const cell = (x: number) => (Number.isFinite(x) ? String(x) : '');
const text = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** The header line (with its newline). */
export function exportHeader(): string {
  return `${EXPORT_COLUMNS.join(',')}\n`;
}

/** One row as a CSV line (with its newline). */
export function exportLine(r: ExportRow): string {
  return `${text(r.user)},${r.day},${text(r.item)},${r.itemIndex},${r.protocol},${r.label},${cell(r.wtg)},${cell(r.timespentS)},${cell(r.lengthS)},` +
    `${cell(r.score)},${cell(r.baseline)},${SANITY_NAMES.map((s) => cell(r.sanity[s])).join(',')}\n`;
}
