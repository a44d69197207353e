// The platform's own file format for views and items, so any log (and the synthetic generator's output) can be
// written to files and imported: `items.csv[.gz]` and `views.csv[.gz]` with a header naming these columns (in
// any order; unknown or missing columns fail the file), plus an optional `source.json` {timezone, language, dim}.
//   items: item_id, creator_id, language, created_at (epoch ms or empty), video_length_s (or empty),
//          embedding (space-separated floats; its length must be the source's dimension)
//   views: user_id, item_id, creator_id, ts (epoch ms), language, video_length_s (or empty), timespent_s,
//          liked, shared, downloaded (0/1 or true/false), handset_maker, and optionally affinity (the synthetic
//          generator's true user-item affinity, kept in the event log's affinity column)
// A bad row is rejected with its line and reason and the rest of the file loads. The fast byte parser of views.csv,
// with the same rows and rejections, is ml/data/modelops-bytes.ts.
import type { ItemRecord, ViewRecord } from './events';
import { splitCsv } from './csv';
import { reject, type ImportCounts } from './kuairand';

/** Item file columns, in the order the writer uses. */
export const ITEM_FILE_COLUMNS = ['item_id', 'creator_id', 'language', 'created_at', 'video_length_s', 'embedding'] as const;
/** Optional view file columns. */
export const VIEW_FILE_OPTIONAL = ['affinity'] as const;
/** View file columns, in the order the writer uses. */
export const VIEW_FILE_COLUMNS = ['user_id', 'item_id', 'creator_id', 'ts', 'language', 'video_length_s', 'timespent_s', 'liked', 'shared', 'downloaded', 'handset_maker'] as const;

const NUM = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
const BAD_ID = /[\t\n\r\\]/;

function csvField(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One item as a line of items.csv (no newline). */
export function itemLine(it: ItemRecord): string {
  return [it.item_id, it.creator_id, it.language, it.created_at ?? '', it.video_length_s ?? '', it.embedding.map((x) => +x.toPrecision(7)).join(' ')]
    .map((v) => csvField(String(v))).join(',');
}

/** One view as a line of views.csv (no newline); with `affinity`, the optional column follows. */
export function viewLine(v: ViewRecord, affinity?: number): string {
  const cells: (string | number)[] = [v.user_id, v.item_id, v.creator_id, v.ts, v.language, v.video_length_s ?? '', v.timespent_s, +v.liked, +v.shared, +v.downloaded, v.handset_maker];
  if (affinity !== undefined) cells.push(+affinity.toPrecision(7));
  return cells.map((x) => csvField(String(x))).join(',');
}

/** The column positions of a file's header line; a missing or unknown column fails the file, naming both lists. */
export function fileHeader(line: string, want: readonly string[], file: string, optional: readonly string[] = []): Map<string, number> {
  const cols = splitCsv(line).map((c) => c.trim());
  const unknown = cols.filter((c) => !want.includes(c) && !optional.includes(c));
  const missing = want.filter((c) => !cols.includes(c));
  if (missing.length || unknown.length) {
    throw new Error(`${file}: line 1: the header does not match the modelops format (${want.join(',')})${missing.length ? `; missing columns: ${missing.join(', ')}` : ''}${unknown.length ? `; unknown columns: ${unknown.join(', ')}` : ''}`);
  }
  return new Map(cols.map((c, i) => [c, i]));
}

function idProblem(what: string, id: string): string | undefined {
  if (!id) return `${what} is missing`;
  if (id.length > 200) return `${what} has ${id.length} characters, at most 200 allowed`;
  if (BAD_ID.test(id)) return `${what} contains a tab, newline or backslash`;
  return undefined;
}

const bool = (s: string) => (s === '1' || s === 'true' ? true : s === '0' || s === 'false' || s === '' ? false : undefined);

/** Parses items.csv lines; rows with a problem are rejected (counted with line and reason). */
export async function parseItemFile(lines: AsyncIterable<string>, opts: { file: string; dim: number; language: string }, tally: ImportCounts,
  onItem: (it: ItemRecord) => void | Promise<void>): Promise<void> {
  let cols: Map<string, number> | undefined;
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!cols) { cols = fileHeader(line, ITEM_FILE_COLUMNS, opts.file); continue; }
    if (!line.trim()) continue;
    const f = splitCsv(line);
    if (f.length !== cols.size) { reject(tally, opts.file, n, `${f.length} fields, expected ${cols.size}`); continue; }
    const get = (c: string) => f[cols!.get(c)!].trim();
    const created = get('created_at');
    const len = get('video_length_s');
    const emb = get('embedding') ? get('embedding').split(/\s+/) : [];
    const why = idProblem('item_id', get('item_id')) ?? idProblem('creator_id', get('creator_id') || 'unknown')
      ?? (created && (!/^\d+$/.test(created)) ? `created_at "${created}" is not a non-negative epoch-ms time` : undefined)
      ?? (len && (!NUM.test(len) || Number(len) < 0) ? `video_length_s "${len}" is not a non-negative number` : undefined)
      ?? (emb.length !== opts.dim ? `embedding has ${emb.length} values, the source's dimension is ${opts.dim}` : undefined)
      ?? (emb.some((x) => !NUM.test(x)) ? 'embedding has a value that is not a number' : undefined);
    if (why) { reject(tally, opts.file, n, why); continue; }
    tally.counts.items_read = (tally.counts.items_read ?? 0) + 1;
    await onItem({ item_id: get('item_id'), creator_id: get('creator_id') || 'unknown', language: get('language') || opts.language,
      created_at: created ? Number(created) : null, video_length_s: len && Number(len) > 0 ? Number(len) : null, embedding: emb.map(Number) });
  }
}

/** The columns of a views file's header. */
export type ViewColumnIndex = Map<string, number>;

/** One views.csv line's fields checked and converted, or undefined (then the line is rejected and counted). */
export function viewOfFields(f: string[], cols: ViewColumnIndex, opts: { file: string; language: string }, tally: ImportCounts, n: number):
  { view: ViewRecord; affinity: number | null } | undefined {
  if (f.length !== cols.size) { reject(tally, opts.file, n, `${f.length} fields, expected ${cols.size}`); return undefined; }
  const get = (c: string) => f[cols.get(c)!].trim();
  const ts = get('ts');
  const len = get('video_length_s');
  const spent = get('timespent_s');
  const flags = ['liked', 'shared', 'downloaded'].map((c) => bool(get(c)));
  const aff = cols.has('affinity') ? get('affinity') : '';
  const why = idProblem('user_id', get('user_id')) ?? idProblem('item_id', get('item_id'))
    ?? (!/^\d+$/.test(ts) || Number(ts) <= 0 ? `ts "${ts}" is not a positive epoch-ms time` : undefined)
    ?? (!NUM.test(spent) || Number(spent) < 0 ? `timespent_s "${spent}" is not a non-negative number` : undefined)
    ?? (len && (!NUM.test(len) || Number(len) < 0) ? `video_length_s "${len}" is not a non-negative number` : undefined)
    ?? (flags.some((x) => x === undefined) ? 'liked, shared and downloaded must be 0/1 or true/false' : undefined)
    ?? (BAD_ID.test(get('handset_maker')) ? 'handset_maker contains a tab, newline or backslash' : undefined)
    ?? (aff && !NUM.test(aff) ? `affinity "${aff}" is not a number` : undefined);
  if (why) { reject(tally, opts.file, n, why); return undefined; }
  tally.counts.rows_read = (tally.counts.rows_read ?? 0) + 1;
  return {
    view: { user_id: get('user_id'), item_id: get('item_id'), creator_id: get('creator_id') || 'unknown', ts: Number(ts),
      language: get('language') || opts.language, video_length_s: len && Number(len) > 0 ? Number(len) : null, timespent_s: Number(spent),
      liked: flags[0]!, shared: flags[1]!, downloaded: flags[2]!, handset_maker: get('handset_maker') || 'unknown' },
    affinity: aff ? Number(aff) : null,
  };
}

/** Parses views.csv lines; rows with a problem are rejected (counted with line and reason). */
export async function parseViewFile(lines: AsyncIterable<string>, opts: { file: string; language: string }, tally: ImportCounts,
  onView: (v: ViewRecord, affinity: number | null) => void | Promise<void>): Promise<void> {
  let cols: ViewColumnIndex | undefined;
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!cols) { cols = fileHeader(line, VIEW_FILE_COLUMNS, opts.file, VIEW_FILE_OPTIONAL); continue; }
    if (!line.trim()) continue;
    const row = viewOfFields(splitCsv(line), cols, opts, tally, n);
    if (row) await onView(row.view, row.affinity);
  }
}
