// Printing results: aligned tables for people, one JSON document for scripts (--json).
import { fromTimestamp } from '../services/common/timestamp';
import type { Io } from './command';

/** Prints `value` as JSON (with --json) or runs `human` to print it for people. */
export function emit(io: Io, value: unknown, human: () => void): void {
  if (io.json) io.out(JSON.stringify(value, null, 2));
  else human();
}

/** An aligned text table; cells are stringified, numbers right-aligned. */
export function table(rows: Record<string, unknown>[], columns?: string[]): string {
  if (rows.length === 0) return '(none)';
  const cols = columns ?? Object.keys(rows[0]);
  const cell = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'number' ? fmtNum(v) : String(v));
  const cells = rows.map((r) => cols.map((c) => cell(r[c])));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const numeric = cols.map((c) => rows.every((r) => r[c] === undefined || r[c] === null || typeof r[c] === 'number'));
  const line = (vals: string[]) => vals.map((v, i) => (numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(cols.map((c) => c.toUpperCase())), ...cells.map(line)].join('\n');
}

/** Formats a number for tables: integers as-is, others to 4 significant decimals. */
export function fmtNum(v: number): string {
  if (Number.isInteger(v)) return String(v);
  if (Math.abs(v) >= 1000) return v.toFixed(1);
  return v.toFixed(4);
}

/** Key: value lines for one resource. */
export function fields(obj: Record<string, unknown>): string {
  const w = Math.max(...Object.keys(obj).map((k) => k.length));
  return Object.entries(obj)
    .map(([k, v]) => `${k.padEnd(w)}  ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v ?? '')}`)
    .join('\n');
}

/** A one-line progress bar for long work on a terminal; on a non-terminal, a line per update. */
export function progressLine(io: Io, fraction: number, text: string): void {
  const width = 24;
  const f = Math.max(0, Math.min(1, fraction));
  const bar = `[${'#'.repeat(Math.round(f * width)).padEnd(width, '.')}] ${(f * 100).toFixed(0).padStart(3)}%`;
  if (io.tty) io.err(`\r\x1b[2K${bar} ${text}`);
  else io.err(`${bar} ${text}\n`);
}

/** A Timestamp as an ISO-8601 string (to the millisecond), or null for none. */
export function isoTime(t: { seconds: string | number; nanos?: number } | null | undefined): string | null {
  return fromTimestamp(t)?.toISOString() ?? null;
}
