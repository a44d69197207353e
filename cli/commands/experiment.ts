// `modelops experiment run|list|show`: run a whole experiment from a specification file (datasets, seed groups,
// evaluations against the baseline row, a report with plots) through the API, and read the experiments the
// server stores.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { need, num, str, UsageError, type Command, type Io } from '../command';
import { call, clientOf, targetOf } from '../client';
import { emit, fields, isoTime, table } from '../output';
import type { Experiment__Output } from '../../proto/gen/modelops/v1/Experiment';
import { plainProvenance } from '../provenance';
import { emitPage, pageFlags, pageOf } from '../paging';

const state = (s: string) => s.replace('EXPERIMENT_STATE_', '').toLowerCase();

function plain(e: Experiment__Output) {
  return {
    id: e.id, title: e.title, state: state(e.state), progress: Number(e.progress.toFixed(3)), phase: e.phase, error: e.error || null,
    rows: e.rows.map((r) => ({ name: r.name, state: r.state, detail: r.detail, versions: r.versions, datasets: r.dataset_ids, evaluations: r.evaluation_ids,
      training_seconds: r.training_seconds.map((s) => Number(Number(s).toFixed(1))) })),
    spec_sha256: e.spec_sha256, code_version: e.code_version, provenance: plainProvenance(e.provenance), created_by: e.created_by, created: isoTime(e.create_time), updated: isoTime(e.update_time),
  };
}

/** Writes a stored report's files (report.md, report.json, plots/) into `dir`. */
function writeStored(dir: string, e: Experiment__Output): string[] {
  if (!e.report_json) throw new UsageError(`--out: experiment ${e.id} has no report yet (state ${state(e.state)})`);
  fs.mkdirSync(path.join(dir, 'plots'), { recursive: true });
  const files = [['report.json', `${JSON.stringify(JSON.parse(e.report_json), null, 2)}\n`], ['report.md', e.report_markdown],
    ...Object.entries(e.plots).map(([n, svg]) => [path.join('plots', n), svg])];
  for (const [n, text] of files) fs.writeFileSync(path.join(dir, n), text);
  return files.map(([n]) => path.join(dir, n));
}

function printRows(io: Io, e: Experiment__Output): void {
  io.out(table(e.rows.map((r) => ({ row: r.name, state: r.state, versions: r.versions.join(' '), evaluations: r.evaluation_ids.length, detail: r.detail })),
    ['row', 'state', 'versions', 'evaluations', 'detail']));
}

export const commands: Command[] = [
  {
    name: 'experiment run',
    summary: 'Run an experiment file (experiments/*.yaml) through the API: datasets, N seeds per row, evaluations against the baseline row, report.md/report.json/plots; a rerun resumes it.',
    usage: '<file.yaml>',
    flags: {
      out: { type: 'string', description: 'Write report.md, report.json and plots/ into this folder (the server keeps them too).', placeholder: 'DIR' },
      seeds: { type: 'number', description: 'Training seeds per row (default: the file\'s seeds); another number is another experiment.', placeholder: 'N' },
      concurrency: { type: 'number', description: 'Trainings or evaluations in flight at once (default: the file\'s concurrency, else 2).', placeholder: 'N' },
      'data-dir': { type: 'string', description: 'The folder of the files to import when the source has no events (default: the file\'s data.import.dir).', placeholder: 'DIR' },
    },
    async run(args, io) {
      const file = need(args, 0, '<file.yaml>', 'experiment run <file.yaml> [--out DIR] [--seeds N]');
      if (!fs.existsSync(file)) throw new UsageError(`${file}: no such file; give an experiment file such as experiments/seed-table.yaml`);
      const { loadSpec, SpecError } = await import('../experiment/spec');
      let spec;
      try {
        spec = loadSpec(file, (f) => fs.readFileSync(f, 'utf8'));
      } catch (err) {
        if (err instanceof SpecError) throw new UsageError(`${file}: ${err.message}`);
        throw err;
      }
      const seeds = num(args, 'seeds');
      if (seeds !== undefined) {
        if (!Number.isInteger(seeds) || seeds < 1 || seeds > 20) throw new UsageError(`--seeds: ${seeds} is not a whole number from 1 to 20`);
        spec.seeds = seeds;
      }
      const concurrency = num(args, 'concurrency');
      if (concurrency !== undefined) {
        if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) throw new UsageError(`--concurrency: ${concurrency} is not a whole number from 1 to 16`);
        spec.concurrency = concurrency;
      }
      const out = str(args, 'out');
      const { runExperiment, RunFailure } = await import('../experiment/runner');
      const command = ['modelops experiment run', file, ...(out ? ['--out', out] : []), ...(seeds !== undefined ? ['--seeds', String(seeds)] : []),
        ...(concurrency !== undefined ? ['--concurrency', String(concurrency)] : [])].join(' ');
      let res;
      try {
        res = await runExperiment({ spec, specFile: file, target: targetOf(args), io, out, command, dataDir: str(args, 'data-dir') });
      } catch (err) {
        if (err instanceof SpecError) throw new UsageError(`${file}: ${err.message}`);
        if (err instanceof RunFailure) {
          io.err(`modelops experiment run: ${err.message}\nthe experiment records where it stopped; run the same command again to resume it\n`);
          return 1;
        }
        throw err;
      }
      emit(io, { experiment: plain(res.experiment), resumed: res.resumed, counts: res.counts, wall_seconds: res.wall_seconds, files: res.files, report: res.report }, () => {
        io.out(`experiment ${res.experiment.id} (${res.experiment.title}): ${state(res.experiment.state)} in ${res.wall_seconds.toFixed(0)} s${res.resumed ? ' (resumed)' : ''}`);
        printRows(io, res.experiment);
        io.out('\nclaims of the seed document:');
        io.out(table(res.report.claims.map((c) => ({ row: c.row, claim: c.text.length > 60 ? `${c.text.slice(0, 59)}…` : c.text, verdict: c.verdict }))));
        io.out(res.files.length ? `\nwrote ${out}/report.md, report.json and ${Object.keys(res.plots).length} plots` : `\nthe report: modelops experiment show ${res.experiment.id} --out DIR`);
      });
    },
  },
  {
    name: 'experiment list',
    summary: 'List experiments, newest first, with their progress.',
    flags: pageFlags('Experiments'),
    async run(args, io) {
      const target = targetOf(args);
      const res = await call<object, { experiments: Experiment__Output[]; next_page_token: string }>(target, clientOf('ExperimentService', target), 'ListExperiments',
        pageOf(args));
      const rows = res.experiments.map(plain);
      emitPage(io, 'experiments', rows, res.next_page_token, () => {
        io.out(table(rows.map((e) => ({ ...e, rows: `${e.rows.filter((r) => r.state === 'done').length}/${e.rows.length} done`, progress: `${Math.round(100 * e.progress)}%` })),
          ['id', 'title', 'state', 'progress', 'rows', 'phase', 'created']));
      });
    },
  },
  {
    name: 'experiment show',
    summary: 'Show an experiment: its rows and progress, and its report (--out DIR writes report.md, report.json and plots/).',
    usage: '<experiment-id>',
    flags: { out: { type: 'string', description: 'Write the stored report and plots into this folder.', placeholder: 'DIR' } },
    async run(args, io) {
      const id = need(args, 0, '<experiment-id>', 'experiment show <experiment-id>');
      const target = targetOf(args);
      const { experiment: e } = await call<object, { experiment: Experiment__Output }>(target, clientOf('ExperimentService', target), 'GetExperiment', { name: id });
      const out = str(args, 'out');
      const files = out ? writeStored(out, e) : [];
      emit(io, { experiment: plain(e), spec: JSON.parse(e.spec_json), report: e.report_json ? JSON.parse(e.report_json) : null, plots: Object.keys(e.plots), files }, () => {
        const p = plain(e);
        io.out(fields({ id: p.id, title: p.title, state: p.state, progress: `${Math.round(100 * p.progress)}%`, phase: p.phase, error: p.error ?? '(none)', code: p.code_version, created: p.created, updated: p.updated }));
        io.out('');
        printRows(io, e);
        if (e.report_markdown) io.out(`\n${e.report_markdown}`);
        if (files.length) io.out(`wrote ${files.length} files into ${out}`);
      });
    },
  },
];
