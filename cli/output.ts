// Printing results: aligned tables for people, one JSON document for scripts (--json).
import { fromTimestamp } from '../services/common/timestamp';
import type { Io } from './command';

/** Prints `value` as JSON (with --json) or runs `human` to print it for people. */
export function emit(io: Io, value: unknown, human: () => void): void {
  if (io.json) io.out(JSON.stringify(value, null, 2));
  else human();
}

/** cli-table3's border characters for a borderless table whose columns are two spaces apart. */
const NO_BORDERS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
};

/** An aligned text table (cli-table3, without borders); cells are stringified, numbers right-aligned. */
export function table(rows: Record<string, unknown>[], columns?: string[]): string {
  if (rows.length === 0) return '(none)';
  const cols = columns ?? Object.keys(rows[0]);
  const cell = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'number' ? fmtNum(v) : String(v));
  const numeric = cols.map((c) => rows.every((r) => r[c] === undefined || r[c] === null || typeof r[c] === 'number'));
  // Loaded here: a command that prints no table (and --help) never pays for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Table = require('cli-table3') as typeof import('cli-table3');
  const t = new Table({
    head: cols.map((c) => c.toUpperCase()), chars: NO_BORDERS,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    colAligns: numeric.map((n) => (n ? 'right' : 'left')),
  });
  t.push(...rows.map((r) => cols.map((c) => cell(r[c]))));
  return t.toString().split('\n').map((l) => l.trimEnd()).join('\n');
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

/** The terminal progress bar of this process (cli-progress), while one is drawn. */
let bar: import('cli-progress').SingleBar | undefined;

/**
 * Progress of long work: on a terminal, one bar (cli-progress) redrawn in place and finished at 100%; on a
 * non-terminal (a log, a pipe), a line per update.
 */
export function progressLine(io: Io, fraction: number, text: string): void {
  const f = Math.max(0, Math.min(1, fraction));
  if (io.tty) {
    if (!bar) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { SingleBar } = require('cli-progress') as typeof import('cli-progress');
      bar = new SingleBar({ format: '[{bar}] {percentage}% {text}', barsize: 24, barCompleteChar: '#', barIncompleteChar: '.', hideCursor: false, clearOnComplete: false, stopOnComplete: false });
      bar.start(1, f, { text });
    }
    bar.update(f, { text });
    if (f >= 1) {
      bar.stop();
      bar = undefined;
    }
    return;
  }
  const width = 24;
  const line = `[${'#'.repeat(Math.round(f * width)).padEnd(width, '.')}] ${(f * 100).toFixed(0).padStart(3)}%`;
  io.err(`${line} ${text}\n`);
}

/** A Timestamp as an ISO-8601 string (to the millisecond), or null for none. */
export function isoTime(t: { seconds: string | number; nanos?: number } | null | undefined): string | null {
  return fromTimestamp(t)?.toISOString() ?? null;
}
