// report.md: the experiment report for people, from report.json's content (cli/experiment/report.ts).
import type { Cell, ExperimentReport } from './report';
import { cellText, decisive } from './report';
import { SANITY_NAMES } from '../../ml/metrics/sanity';
import { slug } from './plots';

const f4 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(4));
const f3 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(3));
const cellMd = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cellMd).join(' | ')} |`)].join('\n');
}

/** A delta cell with a mark: ▲ interval above 0, ▼ below, · includes 0; `*` where the metric cannot tell models apart. */
function marked(c: Cell | undefined, uninformative = false): string {
  if (!c) return 'n/a';
  if (uninformative) return `${cellText(c)} *`;
  const ci = decisive(c);
  const mark = !ci ? '' : ci[0] > 0 ? ' ▲' : ci[1] < 0 ? ' ▼' : ' ·';
  return `${cellText(c)}${mark}`;
}

/** Renders the report as Markdown. */
export function renderMarkdown(r: ExperimentReport, plotNames: string[]): string {
  const out: string[] = [];
  out.push(`# Experiment ${r.title}`, '');
  if (r.description) out.push(r.description.trim(), '');
  if (r.spec.attribution) out.push(`**Data**: ${r.spec.attribution.trim()}`, '');
  out.push(table(['', ''], [
    ['experiment', `${r.experiment_id} (\`modelops experiment show ${r.experiment_id}\`)`], ['command', `\`${r.command}\``], ['code', r.code_version],
    ['generated', r.generated_at], ['wall time of this run', `${r.wall_seconds} s`],
    ['work', Object.entries(r.counts).map(([k, v]) => `${k.replace(/_/g, ' ')} ${v}`).join(', ')],
    ['data', `source ${r.data.source}, window ${r.data.window}, train ${r.data.train_frac} / validation ${r.data.val_frac} / test the rest; users ${r.data.min_user_views}..${r.data.max_user_views} views, items >= ${r.data.min_item_views} views`],
    ['model', `${r.model}; baseline row ${r.baseline}; ${r.seeds} seed(s) per row from ${r.first_seed}`],
  ]), '');
  out.push(`**Intervals.** ${r.interval_note} Every metric is higher-is-better. ▲ = the interval is above 0, ▼ = below 0, · = it includes 0 (the data cannot tell).`, '');

  out.push('## The seed document\'s claims, row by row', '');
  out.push(table(['row', 'the seed says', 'verdict', 'measured'], r.claims.map((c) => [c.row, c.text, `**${c.verdict}**`, c.detail])), '');

  out.push('## Rows', '');
  out.push(table(['row', 'seed row', 'label', 'task', 'buckets', 'arch', 'epochs', 'lr', 'batch', 'hidden', 'patience', 'negatives', 'versions', 'training s (per seed)'],
    r.rows.map((x) => [x.name, x.seed_row, x.recipe.label, x.recipe.task, x.recipe.buckets, x.recipe.arch, String(x.recipe.epochs), String(x.recipe.learning_rate),
      String(x.recipe.batch_size), x.recipe.hidden.join(','), String(x.recipe.patience), String(x.recipe.negatives), x.versions.join(', '), x.training_seconds.map((s) => (Number.isFinite(s) ? s.toFixed(0) : '?')).join(', ')])), '');
  out.push('Datasets (one per label, task and buckets; the filters use each label\'s binary form, so their rows differ):', '');
  out.push(table(['dataset', 'id', 'rows kept', 'train', 'validation', 'test', 'users', 'items'], r.data.datasets.map((d) => [d.key, d.id,
    String(d.counts.rows_kept ?? ''), String(d.counts.rows_train ?? ''), String(d.counts.rows_validation ?? ''), String(d.counts.rows_heldout ?? ''), String(d.counts.users_kept ?? ''), String(d.counts.items_kept ?? '')])), '');

  const ref = r.spec.evaluation.reference;
  for (const p of ['catalog', 'viewed'] as const) {
    const rows = r.rows.filter((x) => x.name !== r.baseline && (x.reference ?? x.own)?.protocols[p]);
    if (!rows.length) continue;
    out.push(`## Against ${r.baseline}, ${p} protocol`, '');
    out.push(`Delta = row - ${r.baseline} over all test days [95% interval], on the target named${ref ? `; the reference target is ${ref.label} (${ref.task}, ${ref.buckets}), the same held-out rows for every row evaluated on it` : ''}.`, '');
    const lines: string[][] = [];
    for (const x of rows) {
      const evs = [x.reference, x.own].filter((e, i, a): e is NonNullable<typeof e> => !!e && a.findIndex((y) => y?.evaluation_id === e.evaluation_id) === i);
      for (const e of evs) if (e.protocols[p]) lines.push([x.name, `${e.target}${e === x.reference || (ref && e.dataset === `${ref.label}|${ref.task}|${ref.buckets}`) ? ' (reference)' : ' (own)'}`, ...r.metrics.map((m) => marked(e.protocols[p]!.overall[m], e.protocols[p]!.informative[m]?.informative === false))]);
    }
    out.push(table(['row', 'target', ...r.metrics], lines), '');
    out.push('`*` = the metric cannot tell models apart on these lists (K >= the median list length, or every sanity baseline gets the same value): not evidence either way.', '');
  }

  out.push('## Every row against the sanity baselines (catalog protocol, own target)', '');
  out.push('Each cell: the row\'s value (mean over seeds); then each sanity baseline\'s value on the same lists. "beats all" = the row\'s interval against every ' +
    'sanity baseline is above 0 overall and its delta is above 0 on every gated test day; otherwise what it does not beat.', '');
  const sanityRows: string[][] = [];
  for (const x of r.rows) {
    const pr = x.own?.protocols.catalog ?? x.own?.protocols.viewed;
    if (!pr) continue;
    const proto = x.own?.protocols.catalog ? 'catalog' : 'viewed';
    for (const m of r.metrics) {
      const any = Object.values(pr.sanity).find((s) => s?.[m]);
      if (!any) continue;
      const b = pr.beats_sanity[m];
      const inf = pr.informative[m];
      sanityRows.push([x.name, proto === 'catalog' ? m : `${m} (viewed)`, f4(any[m].candidate), ...SANITY_NAMES.map((s) => f4(pr.sanity[s]?.[m]?.baseline)),
        inf && !inf.informative ? `uninformative: ${inf.reason}` : b?.beats ? 'beats all' : `not: ${b?.lost.join(', ') ?? 'n/a'}`]);
    }
  }
  out.push(table(['row', 'metric', 'row value', ...SANITY_NAMES, 'verdict'], sanityRows), '');

  out.push('## Score against video length', '');
  out.push('Spearman correlation of each row\'s scores with video length on its own viewed test lists (first seed): pooled over all rows, and the mean within ' +
    'user-day lists. A completion label pulls it below 0 (shorter videos are easier to finish); the WTG labels are meant to remove that pull.', '');
  out.push(table(['row', 'pooled', 'within lists', 'lists', 'scored rows'], r.rows.map((x) => [x.name, f3(x.correlation?.candidate), f3(x.correlation?.candidate_within_lists),
    String(x.correlation?.lists ?? ''), String(x.correlation?.rows ?? '')])), '');

  out.push('## Findings', '');
  for (const f of r.findings) out.push(`- ${f}`);
  out.push('');

  out.push('## Plots', '');
  out.push(`Per-day delta against ${r.baseline} with its interval (one plot per metric and protocol), each metric by video-length group, and the score-vs-length correlation:`, '');
  const names = new Set(plotNames);
  const show = (file: string, alt: string) => { if (names.has(file)) out.push(`![${alt}](plots/${file})`); };
  for (const p of ['catalog', 'viewed']) for (const m of r.metrics) show(`delta-by-day-${p}-${slug(m)}.svg`, `${m} minus ${r.baseline} per day, ${p} protocol`);
  for (const m of r.metrics) show(`by-duration-${slug(m)}.svg`, `${m} by video-length group`);
  show('score-length-correlation.svg', 'score against video length');
  out.push('');
  out.push('Every number here is in report.json with its evaluation id; `modelops evaluations show <id>` prints any of them with its definitions.', '');
  return `${out.join('\n')}\n`;
}
