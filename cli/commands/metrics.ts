// `modelops metrics compute`: the platform's metrics on a local CSV of scores ("bring your own scores").
//
// This command runs client-side, the one exception to "every CLI command goes through the gRPC API": it reads
// no server state (no dataset, version or token is involved), the input is the user's own file, which may be
// large and need not leave the machine, and it works with no server running. It imports the very library the
// EvaluationService uses (ml/metrics), so the numbers cannot differ from an evaluation's. See docs/evaluation.md.
import * as fs from 'node:fs';
import { list, needFlag, num, UsageError, type Command } from '../command';
import { listSetOf, rowSpecs, tablesOf } from '../../ml/metrics/evaluate';
import { parseScoresCsv, type ScoresFile } from '../../ml/metrics/scores-csv';
import { reportTable, saturationLegend, usersLine } from '../../ml/metrics/report-table';
import { catalogSpecs, protocolReport, CATALOG_DEFINITION, VIEWED_DEFINITION, type ProtocolReport } from '../../ml/metrics/protocol-report';
import { SANITY_DEFINITIONS } from '../../ml/metrics/sanity';
import { splitCsv } from '../../ml/data/csv';
import { DEFAULT_KS } from '../../ml/metrics/definitions';

/** Parses --k values ("5,10,50,100"). */
export function parseKs(values: string[]): number[] {
  if (values.length === 0) return DEFAULT_KS;
  return values.map((v) => {
    const k = Number(v);
    if (!Number.isInteger(k) || k < 1) throw new UsageError(`--k: "${v}" is not a positive integer (e.g. --k 5,10,50,100)`);
    return k;
  });
}

/**
 * Splits a scores CSV by its `protocol` column (an evaluation's export): one text per protocol, each with the
 * header. Without the column the whole file is one "viewed" protocol.
 */
function byProtocol(text: string): Record<string, string> {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return { viewed: text };
  const col = splitCsv(lines[0]).map((h) => h.trim().toLowerCase()).indexOf('protocol');
  if (col < 0) return { viewed: text };
  const parts: Record<string, string[]> = {};
  for (const l of lines.slice(1)) {
    const p = splitCsv(l)[col]?.trim() || 'viewed';
    if (p !== 'viewed' && p !== 'catalog') throw new UsageError(`--input: protocol "${p}" is not viewed or catalog`);
    (parts[p] ??= [lines[0]]).push(l);
  }
  return Object.fromEntries(Object.entries(parts).map(([p, ls]) => [p, ls.join('\n')]));
}

/** One protocol's report of a parsed file: the candidate, the baseline_score column and the sanity baselines. */
function reportOf(f: ScoresFile, protocol: string, ks: number[], bootstrap: { resamples: number; seed: number }): ProtocolReport {
  // The catalog protocol reports rank metrics only, as the evaluation service does (outcomes of items not shown are unknown).
  const ls = listSetOf(f.rows, protocol === 'catalog' ? catalogSpecs(ks) : rowSpecs(f.rows, ks));
  if (protocol === 'catalog') ls.group = null;
  const t = (s: Float64Array) => ({ ...tablesOf(f.rows, ls, s), ...(protocol === 'catalog' ? { group: null } : {}) });
  const sanity = Object.fromEntries(Object.entries(f.sanity).map(([k, s]) => [k, t(s!)]));
  return protocolReport(ls, t(f.score), f.baseline ? t(f.baseline) : null, sanity, { ks, bootstrap });
}

/** The CLI commands `metrics compute` (found by folder by cli/main.ts). */
export const commands: Command[] = [
  {
    name: 'metrics compute',
    summary: 'Compute the evaluation metrics of a CSV of scores (user_id,item_id,score,label[,timespent_s,video_length_s,wtg,day,baseline_score]) locally.',
    flags: {
      input: { type: 'string', description: 'The CSV file of scored impressions ("-" reads stdin).', placeholder: 'FILE' },
      k: { type: 'list', description: 'Cut-offs K (default 5,10,50,100).', placeholder: 'K,...' },
      resamples: { type: 'number', description: 'Bootstrap resamples for the delta intervals when baseline_score is given (default 1000).' },
      seed: { type: 'number', description: 'Bootstrap seed (default 42).' },
      groups: { type: 'number', description: 'Duration groups: equal-frequency quantiles of video_length_s (default 4).' },
    },
    async run(args, io) {
      const input = needFlag(args, 'input');
      const ks = parseKs(list(args, 'k'));
      let text: string;
      try {
        text = fs.readFileSync(input === '-' ? 0 : input, 'utf8');
      } catch (err) {
        throw new UsageError(`--input: cannot read ${input}: ${(err as Error).message}`);
      }
      const texts = byProtocol(text);
      const started = Date.now();
      const protocols: Record<string, ProtocolReport> = {};
      let rows = 0;
      let columns: string[] = [];
      for (const [p, t] of Object.entries(texts)) {
        let parsed;
        try {
          parsed = parseScoresCsv(t, num(args, 'groups') ?? 4);
        } catch (err) {
          throw new UsageError(`--input ${input}${Object.keys(texts).length > 1 ? ` (protocol ${p})` : ''}: ${(err as Error).message}`);
        }
        rows += parsed.score.length;
        columns = parsed.columns;
        protocols[p] = reportOf(parsed, p, ks, { resamples: num(args, 'resamples') ?? 1000, seed: num(args, 'seed') ?? 42 });
      }
      // The evaluation report's shape: the viewed protocol's numbers at the top level, every protocol under protocols.
      const top = protocols.viewed;
      const definitions = { ...(protocols.catalog?.definitions ?? {}), ...(top?.definitions ?? {}),
        ...(top ? { 'protocol:viewed': VIEWED_DEFINITION } : {}), ...(protocols.catalog ? { 'protocol:catalog': CATALOG_DEFINITION } : {}), ...SANITY_DEFINITIONS };
      const report = {
        ...(top ? { ks: top.ks, metrics: top.metrics, overall: top.overall, by_day: top.by_day, by_group: top.by_group, baseline: top.baseline, delta: top.delta, users: top.users } : {}),
        protocols, definitions, bootstrap: (top ?? protocols.catalog).bootstrap,
        protocol: Object.keys(protocols).length > 1 ? 'both' : Object.keys(protocols)[0],
      };
      const out = { input: { file: input, rows, columns, seconds: (Date.now() - started) / 1000 }, ...report };
      if (io.json) {
        io.out(JSON.stringify(out, null, 2));
        return;
      }
      for (const [p, r] of Object.entries(protocols)) {
        io.out(`== protocol ${p}: ${input} ==`);
        io.out(usersLine(r));
        io.out('');
        io.out(reportTable(r));
        if (Object.keys(r.by_group).length > 0) {
          io.out('\nby duration group:');
          io.out(reportTable(r, r.metrics, 'group'));
        }
        io.out(saturationLegend(r));
        io.out('');
      }
      io.out('\ndefinitions: see --json (key "definitions") or docs/evaluation.md');
    },
  },
];
