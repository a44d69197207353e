// The report's plots as SVG documents written here (no plotting dependency): the per-day delta against the
// baseline with its interval, per metric, protocol and row; each metric by duration group; and the
// score-vs-length correlation of each row. Every plot names its data in its title and axis labels.
import type { Cell, ExperimentReport, RowEvaluation } from './report';
import { decisive } from './report';

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];
const W = 760;
const H = 360;
const M = { left: 70, right: 200, top: 46, bottom: 64 };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fx = (x: number) => (Math.round(x * 10) / 10).toString();

/** Tick values for [lo, hi]: about 5 round numbers. */
export function ticks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((s) => s * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-12; v += step) out.push(Math.abs(v) < step / 1e6 ? 0 : v);
  return out;
}

function frame(title: string, subtitle: string, yLabel: string, lo: number, hi: number, body: string[], legend: { name: string; color: string }[], xLabels: { x: number; text: string }[]): string {
  const ph = H - M.top - M.bottom;
  const y = (v: number) => M.top + ph - ((v - lo) / (hi - lo)) * ph;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${M.left}" y="18" font-size="13" font-weight="bold">${esc(title)}</text>`,
    `<text x="${M.left}" y="34" fill="#555">${esc(subtitle)}</text>`,
  ];
  for (const t of ticks(lo, hi)) {
    out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${fx(y(t))}" y2="${fx(y(t))}" stroke="#e5e5e5"/>`,
      `<text x="${M.left - 6}" y="${fx(y(t) + 4)}" text-anchor="end">${esc(Number(t.toPrecision(6)).toString())}</text>`);
  }
  out.push(`<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="#333"/>`);
  out.push(`<text transform="translate(16 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
  for (const l of xLabels) out.push(`<text x="${fx(l.x)}" y="${H - M.bottom + 16}" text-anchor="middle">${esc(l.text)}</text>`);
  out.push(...body);
  legend.forEach((l, i) => {
    const ly = M.top + 6 + i * 16;
    out.push(`<rect x="${W - M.right + 14}" y="${ly - 8}" width="10" height="10" fill="${l.color}"/>`, `<text x="${W - M.right + 30}" y="${ly + 1}">${esc(l.name)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function range(values: number[], withZero: boolean): [number, number] {
  const v = values.filter(Number.isFinite);
  if (withZero) v.push(0);
  if (!v.length) return [0, 1];
  let lo = Math.min(...v);
  let hi = Math.max(...v);
  if (hi - lo < 1e-9) { lo -= 0.5; hi += 0.5; }
  const pad = (hi - lo) * 0.08;
  return [lo - pad, hi + pad];
}

/** Per-day delta of each row against the baseline, with its decisive interval, for one metric and protocol. */
export function deltaByDayPlot(title: string, subtitle: string, metric: string, series: { name: string; byDay: Record<string, Cell> }[]): string | null {
  const days = [...new Set(series.flatMap((s) => Object.keys(s.byDay)))].sort();
  if (!days.length || !series.length) return null;
  const vals: number[] = [];
  for (const s of series) for (const d of days) { const c = s.byDay[d]; if (!c) continue; const ci = decisive(c); vals.push(c.delta ?? NaN, ...(ci ?? [])); }
  const [lo, hi] = range(vals, true);
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const y = (v: number) => M.top + ph - ((v - lo) / (hi - lo)) * ph;
  const slot = pw / days.length;
  const body = [`<line x1="${M.left}" x2="${W - M.right}" y1="${fx(y(0))}" y2="${fx(y(0))}" stroke="#333" stroke-dasharray="4 3"/>`];
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    days.forEach((d, j) => {
      const c = s.byDay[d];
      if (!c || c.delta === null) return;
      const x = M.left + slot * j + slot * ((i + 1) / (series.length + 1));
      const ci = decisive(c);
      if (ci) body.push(`<line x1="${fx(x)}" x2="${fx(x)}" y1="${fx(y(ci[0]))}" y2="${fx(y(ci[1]))}" stroke="${color}" stroke-width="2"><title>${esc(`${s.name} ${d}: [${ci[0].toFixed(4)}, ${ci[1].toFixed(4)}]`)}</title></line>`);
      body.push(`<circle cx="${fx(x)}" cy="${fx(y(c.delta))}" r="3.5" fill="${color}"><title>${esc(`${s.name} ${d}: ${metric} delta ${c.delta.toFixed(4)}`)}</title></circle>`);
    });
  });
  return frame(title, subtitle, `${metric}: row - baseline`, lo, hi, body, series.map((s, i) => ({ name: s.name, color: PALETTE[i % PALETTE.length] })),
    days.map((d, j) => ({ x: M.left + slot * (j + 0.5), text: d })));
}

/** One metric per duration group: a bar per row (and the baseline) in each group. */
export function byGroupPlot(title: string, subtitle: string, metric: string, series: { name: string; byGroup: Record<string, number | null> }[]): string | null {
  const groups = [...new Set(series.flatMap((s) => Object.keys(s.byGroup)))];
  if (!groups.length) return null;
  const vals = series.flatMap((s) => Object.values(s.byGroup).map((v) => v ?? NaN));
  const [lo0, hi] = range(vals, true);
  const lo = Math.min(0, lo0);
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const y = (v: number) => M.top + ph - ((v - lo) / (hi - lo)) * ph;
  const slot = pw / groups.length;
  const bw = (slot * 0.8) / series.length;
  const body: string[] = [];
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    groups.forEach((g, j) => {
      const v = s.byGroup[g];
      if (v === null || v === undefined || !Number.isFinite(v)) return;
      const x = M.left + slot * j + slot * 0.1 + bw * i;
      const [y0, y1] = [y(Math.max(0, v)), y(Math.min(0, v))];
      body.push(`<rect x="${fx(x)}" y="${fx(y0)}" width="${fx(Math.max(1, bw - 1))}" height="${fx(Math.max(0.5, y1 - y0))}" fill="${color}"><title>${esc(`${s.name}, ${g}: ${metric} ${v.toFixed(4)}`)}</title></rect>`);
    });
  });
  return frame(title, subtitle, metric, lo, hi, body, series.map((s, i) => ({ name: s.name, color: PALETTE[i % PALETTE.length] })),
    groups.map((g, j) => ({ x: M.left + slot * (j + 0.5), text: g.length > 18 ? `${g.slice(0, 17)}…` : g })));
}

/** The score-vs-length Spearman correlation per row: pooled over rows, and the mean within user-day lists. */
export function correlationPlot(title: string, subtitle: string, series: { name: string; pooled: number | null; within: number | null }[]): string | null {
  if (!series.some((s) => s.pooled !== null || s.within !== null)) return null;
  const lo = -1;
  const hi = 1;
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const y = (v: number) => M.top + ph - ((v - lo) / (hi - lo)) * ph;
  const slot = pw / series.length;
  const body = [`<line x1="${M.left}" x2="${W - M.right}" y1="${fx(y(0))}" y2="${fx(y(0))}" stroke="#333"/>`];
  const kinds = [{ key: 'pooled' as const, color: PALETTE[0] }, { key: 'within' as const, color: PALETTE[4] }];
  series.forEach((s, j) => {
    kinds.forEach((k, i) => {
      const v = s[k.key];
      if (v === null) return;
      const bw = slot * 0.35;
      const x = M.left + slot * j + slot * 0.15 + bw * i;
      const [y0, y1] = [y(Math.max(0, v)), y(Math.min(0, v))];
      body.push(`<rect x="${fx(x)}" y="${fx(y0)}" width="${fx(bw - 1)}" height="${fx(Math.max(0.5, y1 - y0))}" fill="${k.color}"><title>${esc(`${s.name} ${k.key}: ${v.toFixed(3)}`)}</title></rect>`);
    });
  });
  return frame(title, subtitle, 'Spearman(score, video length)', lo, hi, body,
    [{ name: 'all viewed rows pooled', color: kinds[0].color }, { name: 'mean within user-day lists', color: kinds[1].color }],
    series.map((s, j) => ({ x: M.left + slot * (j + 0.5), text: s.name.length > 14 ? `${s.name.slice(0, 13)}…` : s.name })));
}

/** File-name-safe form of a metric name (recall@10 -> recall-at-10). */
export const slug = (s: string) => s.replace(/@/g, '-at-').replace(/[^A-Za-z0-9._-]+/g, '-');

/** Every plot of a report, by file name. */
export function plotsOf(r: ExperimentReport): Record<string, string> {
  const out: Record<string, string> = {};
  const comparable = (row: ExperimentReport['rows'][number]): RowEvaluation | null => row.reference ?? row.own;
  const others = r.rows.filter((x) => x.name !== r.baseline);
  const ref = r.spec.evaluation.reference;
  const where = others.length && others.every((x) => x.reference) ? `reference target ${ref?.label} (${ref?.buckets})`
    : others.some((x) => x.reference) ? `reference target ${ref?.label} (${ref?.buckets}) where evaluated, else each row's own target` : 'each row\'s own target';
  for (const p of ['catalog', 'viewed'] as const) {
    for (const metric of r.metrics) {
      const series = others.map((row) => ({ name: row.name, byDay: comparable(row)?.protocols[p]?.by_day ? Object.fromEntries(Object.entries(comparable(row)!.protocols[p]!.by_day).map(([d, ms]) => [d, ms[metric]]).filter(([, c]) => c)) : {} }))
        .filter((s) => Object.keys(s.byDay).length);
      const svg = deltaByDayPlot(`${metric} minus ${r.baseline} per test day, ${p} protocol`, `${where}; dot = mean delta over ${r.seeds} seed(s), bar = 95% interval${r.seeds > 1 ? ' incl. seed variance' : ' over users'}`, metric, series);
      if (svg) out[`delta-by-day-${p}-${slug(metric)}.svg`] = svg;
    }
  }
  for (const metric of r.metrics) {
    const base = r.rows.find((x) => x.name === r.baseline);
    const series: { name: string; byGroup: Record<string, number | null> }[] = [];
    const firstWithGroups = others.map(comparable).find((e) => e?.protocols.viewed && Object.keys(e.protocols.viewed.by_group).length);
    if (base && firstWithGroups) series.push({ name: `${r.baseline}`, byGroup: Object.fromEntries(Object.entries(firstWithGroups.protocols.viewed!.by_group).map(([g, ms]) => [g, ms[metric]?.baseline ?? null])) });
    for (const row of others) {
      const e = comparable(row)?.protocols.viewed;
      if (e && Object.keys(e.by_group).length) series.push({ name: row.name, byGroup: Object.fromEntries(Object.entries(e.by_group).map(([g, ms]) => [g, ms[metric]?.candidate ?? null])) });
    }
    const svg = byGroupPlot(`${metric} by video-length group, viewed protocol`, `${where}; groups = length quartiles of the test rows; first seed of each row`, metric, series);
    if (svg) out[`by-duration-${slug(metric)}.svg`] = svg;
  }
  const corr = correlationPlot('How much the scores follow video length', 'Spearman of score and length on each row\'s own viewed test lists (first seed); -1 = shortest first, +1 = longest first',
    r.rows.map((row) => ({ name: row.name, pooled: row.correlation?.candidate ?? null, within: row.correlation?.candidate_within_lists ?? null })));
  if (corr) out['score-length-correlation.svg'] = corr;
  return out;
}
