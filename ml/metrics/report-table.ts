// A report as a table for people: metrics down, overall and each day across; with a baseline, each
// metric gets a baseline line and a delta line (relative gain and the 95% interval), and a column saying whether
// the delta has the same sign on every day.

import type { DeltaEntry, EvaluationReport, MetricSet } from './evaluate';
import type { ProtocolReport } from './protocol-report';
import { SANITY_NAMES } from './sanity';

const f = (v: number | null | undefined, sign = false) =>
  v === null || v === undefined ? '-' : `${sign && v >= 0 ? '+' : ''}${Math.abs(v) >= 1000 ? v.toFixed(1) : v.toFixed(4)}`;

function deltaCell(e: DeltaEntry | undefined): string {
  if (!e || e.delta === null) return '-';
  const rel = e.relative === null ? '' : ` (${e.relative >= 0 ? '+' : ''}${(e.relative * 100).toFixed(1)}%)`;
  const ci = e.ci95 ? ` [${f(e.ci95[0], true)}, ${f(e.ci95[1], true)}]` : '';
  return `${f(e.delta, true)}${rel}${ci}`;
}

function render(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd()).join('\n');
}

/**
 * Renders the report's metrics x (overall, days) table; `metrics` limits the rows (default: all). A protocol
 * report adds a line per sanity baseline, a BEATS column (the candidate beats every sanity baseline) and a
 * trailing `*` on the values of uninformative metrics (saturationLegend explains it).
 */
export function reportTable(r: EvaluationReport | ProtocolReport, metrics: string[] = r.metrics, scope: 'day' | 'group' = 'day'): string {
  const p = 'informative' in r ? r : null;
  const star = (m: string) => (p && p.informative[m] && !p.informative[m].informative ? '*' : '');
  const by: Record<string, MetricSet> = scope === 'day' ? r.by_day : r.by_group;
  // Stored reports come back from Postgres jsonb with keys reordered: sort days by date, groups by length.
  const cols = Object.keys(by).sort(scope === 'day' ? undefined : (a, b) => parseFloat(a) - parseFloat(b));
  const header = ['METRIC', 'OVERALL', ...cols];
  if (r.delta && scope === 'day') header.push('CONSISTENT');
  if (p && scope === 'day') header.push('BEATS');
  const rows: string[][] = [header];
  for (const m of metrics) {
    const s = star(m);
    const line = [m, f(r.overall[m]) + s, ...cols.map((c) => f(by[c][m]) + s)];
    if (r.delta && scope === 'day') {
      const c = r.delta.consistent_across_days[m];
      line.push(c === null || c === undefined ? '-' : c ? 'yes' : 'no');
    }
    if (p && scope === 'day') line.push(p.beats_baselines[m]?.beats ? 'yes' : 'no');
    rows.push(line);
    if (r.baseline && r.delta) {
      const bb = scope === 'day' ? r.baseline.by_day : r.baseline.by_group;
      const db = scope === 'day' ? r.delta.by_day : r.delta.by_group;
      rows.push(['  baseline', f(r.baseline.overall[m]) + s, ...cols.map((c) => f(bb[c]?.[m]) + s)]);
      rows.push(['  delta', deltaCell(r.delta.overall[m]), ...cols.map((c) => deltaCell(db[c]?.[m]))]);
    }
    if (p && scope === 'day') {
      for (const name of SANITY_NAMES) {
        const e = p.sanity[name];
        if (e) rows.push([`  ${name}`, f(e.overall[m]) + s, ...cols.map((c) => f(e.by_day[c]?.[m]) + s)]);
      }
    }
  }
  return render(rows);
}

/** The legend of a protocol table: what `*` and BEATS mean, the median list length and the days not gated. */
export function saturationLegend(r: ProtocolReport): string {
  const lines = [`* uninformative here (not evidence): K >= the median evaluated list length (${r.median_list_length}), or every sanity baseline gets the same value`,
    'BEATS: the delta against every sanity baseline (random, popular, item_prior, shortest, longest) has its 95% interval above 0 overall and is > 0 on every gated day'];
  const notGated = Object.entries(r.days).filter(([, d]) => !d.gated);
  if (notGated.length) lines.push(`days not gated: ${notGated.map(([d, x]) => `${d} (${x.reason})`).join('; ')}`);
  return lines.join('\n');
}

/** One line of who was evaluated. */
export function usersLine(r: EvaluationReport): string {
  const u = r.users;
  return `${u.rows} rows, ${u.users} users, ${u.lists} user-day lists: ${u.evaluated} evaluated, ` +
    `${u.only_relevant} with only relevant and ${u.only_non_relevant} with only non-relevant rows excluded`;
}
