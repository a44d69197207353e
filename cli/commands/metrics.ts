// `modelops metrics compute`: the platform's metrics on a local CSV of scores ("bring your own scores").
//
// This command runs client-side, the one exception to "every CLI command goes through the gRPC API": it reads
// no server state (no dataset, version or token is involved), the input is the user's own file, which may be
// large and need not leave the machine, and it works with no server running. It imports the very library the
// EvaluationService uses (ml/metrics), so the numbers cannot differ from an evaluation's. See docs/evaluation.md.
import * as fs from 'node:fs';
import { list, needFlag, num, UsageError, type Command } from '../command';
import { evaluateRanking } from '../../ml/metrics/evaluate';
import { parseScoresCsv } from '../../ml/metrics/scores-csv';
import { reportTable, usersLine } from '../../ml/metrics/report-table';
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
      let parsed;
      try {
        parsed = parseScoresCsv(text, num(args, 'groups') ?? 4);
      } catch (err) {
        throw new UsageError(`--input ${input}: ${(err as Error).message}`);
      }
      const started = Date.now();
      const report = evaluateRanking(parsed.rows, parsed.score, parsed.baseline, {
        ks, bootstrap: { resamples: num(args, 'resamples') ?? 1000, seed: num(args, 'seed') ?? 42 },
      });
      const out = { input: { file: input, rows: parsed.score.length, columns: parsed.columns, seconds: (Date.now() - started) / 1000 }, ...report };
      if (io.json) {
        io.out(JSON.stringify(out, null, 2));
        return;
      }
      io.out(usersLine(report));
      io.out('');
      io.out(reportTable(report));
      if (Object.keys(report.by_group).length > 0) {
        io.out('\nby duration group:');
        io.out(reportTable(report, report.metrics, 'group'));
      }
      io.out('\ndefinitions: see --json (key "definitions") or docs/evaluation.md');
    },
  },
];
