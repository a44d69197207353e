// `modelops data generate|import|build|list|show|export`: put views into the event store, build datasets and
// export their rows. Every command goes through the FeatureService API; `data import` streams the local files to
// the server and `data export` writes the rows the server streams back into a local file.
import { datasetName } from '../../core/names';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { once } from 'node:events';
import { syntheticViews } from '../../ml/data/synthetic';
import { ITEM_FILE_COLUMNS, VIEW_FILE_COLUMNS, itemLine, viewLine } from '../../ml/data/modelops-format';
import { bool, need, num, str, UsageError, type Command, type Io } from '../command';
import { call, clientOf, RpcError, stream, targetOf, type Target } from '../client';
import { importFilesOf, streamImport } from '../event-import';
import { formatOf, writeAtomically, type FileColumn } from '../export-file';
import type { ExportDatasetResponse__Output } from '../../proto/gen/modelops/v1/ExportDatasetResponse';
import { emit, fields, isoTime, progressLine, table } from '../output';
import type { Dataset__Output } from '../../proto/gen/modelops/v1/Dataset';
import type { GenerateEventsResponse__Output } from '../../proto/gen/modelops/v1/GenerateEventsResponse';
import type { ListDatasetsResponse__Output } from '../../proto/gen/modelops/v1/ListDatasetsResponse';
import { emitPage, pageFlags, pageOf } from '../paging';

function plain(d: Dataset__Output) {
  const counts = Object.fromEntries(Object.entries(d.counts).map(([k, v]) => [k, Number(v)]));
  return {
    id: d.id, state: d.state.replace('DATASET_STATE_', '').toLowerCase(), source: d.source, window: d.window, train_frac: d.train_frac,
    val_frac: typeof d.val_frac === 'number' ? d.val_frac : null, validation: validationOf(d),
    label: d.label, task: d.task, buckets: d.buckets, timezone: d.timezone, counts, summary: d.summary_json ? JSON.parse(d.summary_json) : {},
    meta_key: d.meta_key, meta_sha256: d.meta_sha256, shard_count: d.shard_count, progress: d.progress, phase: d.phase, error: d.error,
    created_by: d.created_by, created: isoTime(d.create_time), updated: isoTime(d.update_time),
  };
}

/** What a dataset's validation part is, in words (datasets built before it existed have none). */
function validationOf(d: Dataset__Output): string {
  if (typeof d.val_frac !== 'number') return 'none: built before the validation part existed (rebuild to get one; training reports no validation metrics)';
  if (d.val_frac === 0) return 'none: built with --val-frac 0 (training reports no validation metrics)';
  return `${d.val_frac} of the window, between training and test`;
}

/** Counts in the order the build produces them (others follow alphabetically). */
const COUNT_ORDER = ['events_total', 'history_before_window', 'rows_in_window', 'rows_no_length', 'rows_labelled', 'rows_after_user_filter',
  'rows_after_item_filter', 'rows_kept', 'rows_train', 'rows_validation', 'rows_heldout', 'users_kept', 'items_kept', 'groups'];

function human(io: Io, d: ReturnType<typeof plain>): void {
  const { summary, counts, ...rest } = d;
  const w = (summary as { window?: { from: string; to: string; split: string; validation_start?: string; test_start?: string } }).window;
  io.out(fields({ ...rest, ...(w ? { dates: `${w.from}..${w.to}`, split_at: w.split, ...(w.validation_start ? { validation_start: w.validation_start } : {}),
    test_start: w.test_start ?? w.split } : {}), error: rest.error || '(none)' }));
  if (Object.keys(counts).length) {
    io.out('\ncounts');
    const rank = (k: string) => (COUNT_ORDER.includes(k) ? COUNT_ORDER.indexOf(k) : COUNT_ORDER.length);
    const keys = Object.keys(counts).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    io.out(table(keys.map((k) => ({ count: k, value: counts[k] }))));
  }
  const s = summary as { per_day?: Record<string, number>; label_balance?: Record<string, Record<string, number>> };
  if (s.per_day) {
    io.out('\ntest rows per day');
    io.out(table(Object.entries(s.per_day).map(([day, rows]) => ({ day, rows }))));
  }
  if (s.label_balance) {
    io.out('\nlabel balance');
    io.out(table(Object.entries(s.label_balance).map(([split, v]) => ({ split, ...v }))));
  }
}

/** Writes lines to a gzip file, respecting back-pressure. */
async function writeGz(file: string, header: string, rows: Iterable<string>): Promise<number> {
  const gz = zlib.createGzip();
  const out = fs.createWriteStream(file);
  gz.pipe(out);
  let n = 0;
  const put = async (s: string) => { if (!gz.write(s)) await once(gz, 'drain'); };
  await put(`${header}\n`);
  let chunk: string[] = [];
  for (const r of rows) {
    chunk.push(r);
    n++;
    if (chunk.length === 5000) { await put(`${chunk.join('\n')}\n`); chunk = []; }
  }
  if (chunk.length) await put(`${chunk.join('\n')}\n`);
  gz.end();
  await once(out, 'finish');
  return n;
}

async function waitFor(target: Target, id: string, io: Io): Promise<Dataset__Output> {
  const client = clientOf('FeatureService', target);
  for (;;) {
    const { dataset } = await call<object, { dataset: Dataset__Output }>(target, client, 'GetDataset', { name: datasetName(id) });
    if (dataset.state !== 'DATASET_STATE_BUILDING') {
      // The bar ends at 100% with what was built, so a finished build never looks stalled at its last poll.
      if (dataset.state === 'DATASET_STATE_READY') {
        progressLine(io, 1, `${id}: ready`);
        const c = Object.entries(dataset.counts).map(([k, v]) => `${k} ${Number(v).toLocaleString('en-US')}`).join(', ');
        io.err(`${id}: ${dataset.label} ${dataset.task}, window ${dataset.window}, ${dataset.shard_count} shard(s)${c ? `; ${c}` : ''}\n`);
      }
      return dataset;
    }
    progressLine(io, dataset.progress, `${id}: ${dataset.phase}`);
    // A GetDataset is one indexed row read; polling every 500 ms made a finished build wait 250 ms on average
    // before the command returned (5% of a 1M-view build).
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const commands: Command[] = [
  {
    name: 'data generate',
    summary: 'Generate a seeded synthetic watch log (users with latent tastes, items, views) into the event store, or to files with --out.',
    flags: {
      users: { type: 'number', description: 'Number of users.', placeholder: 'N' },
      items: { type: 'number', description: 'Number of items.', placeholder: 'M' },
      days: { type: 'number', description: 'Number of days (default 7).', placeholder: 'D' },
      seed: { type: 'number', description: 'The seed (default 1); the same seed gives the same log.', placeholder: 'S' },
      dim: { type: 'number', description: 'Content-vector dimension (default 16).', placeholder: 'K' },
      start: { type: 'string', description: 'First date, YYYY-MM-DD (default 2024-01-01).', placeholder: 'DATE' },
      timezone: { type: 'string', description: 'Market time zone (default Asia/Kolkata).', placeholder: 'TZ' },
      'views-per-day': { type: 'number', description: 'Mean views per user per day (default 8).', placeholder: 'V' },
      source: { type: 'string', description: 'Source name (default synthetic-<seed>).', placeholder: 'NAME' },
      out: { type: 'string', description: 'Write the log to files in this folder (items.csv.gz, views.csv.gz, source.json) instead of the store; import them with --format modelops.', placeholder: 'DIR' },
    },
    async run(args, io) {
      const users = num(args, 'users');
      const items = num(args, 'items');
      if (users === undefined || items === undefined) throw new UsageError('--users and --items are required');
      const outDir = str(args, 'out');
      for (const [k, v] of Object.entries({ users, items, days: num(args, 'days') ?? 7 })) {
        if (!Number.isInteger(v) || v < 1) throw new UsageError(`--${k}: ${v} is not a positive whole number`);
      }
      if (outDir) {
        const p = { users, items, days: num(args, 'days') ?? 7, seed: num(args, 'seed') ?? 1, dim: num(args, 'dim') ?? 16, start: str(args, 'start'),
          timezone: str(args, 'timezone') ?? 'Asia/Kolkata', viewsPerDay: num(args, 'views-per-day') };
        fs.mkdirSync(outDir, { recursive: true });
        const itemRows: string[] = [];
        let views: Generator<string>;
        try {
          const gen = syntheticViews(p, (it) => itemRows.push(itemLine(it)));
          views = (function* () { for (const v of gen) yield viewLine(v, v.affinity); })();
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
        // Items are produced before the first view, so the views file is written first and the items after it.
        const nViews = await writeGz(path.join(outDir, 'views.csv.gz'), [...VIEW_FILE_COLUMNS, 'affinity'].join(','), views);
        const nItems = await writeGz(path.join(outDir, 'items.csv.gz'), ITEM_FILE_COLUMNS.join(','), itemRows);
        fs.writeFileSync(path.join(outDir, 'source.json'), `${JSON.stringify({ timezone: p.timezone, language: 'hi', dim: p.dim, seed: p.seed })}\n`);
        const res = { out: outDir, counts: { views_generated: nViews, items: nItems } };
        emit(io, res, () => io.out(`${fields({ out: outDir, ...res.counts })}\nimport with: modelops data import --format modelops ${outDir}`));
        return;
      }
      const target = targetOf(args);
      const res = await call<object, GenerateEventsResponse__Output>(target, clientOf('FeatureService', target), 'GenerateEvents', {
        users, items, days: num(args, 'days') ?? 7, seed: num(args, 'seed') ?? 1, dim: num(args, 'dim') ?? 0, start_date: str(args, 'start') ?? '',
        timezone: str(args, 'timezone') ?? '', views_per_day: num(args, 'views-per-day') ?? 0, source: str(args, 'source') ?? '',
      });
      const counts = Object.fromEntries(Object.entries(res.counts).map(([k, v]) => [k, Number(v)]));
      emit(io, { source: res.source, counts }, () => io.out(fields({ source: res.source, ...counts })));
    },
  },
  {
    name: 'data import',
    summary: 'Stream a folder of source files to the server and load them (KuaiRand-Pure or modelops CSVs); prints the import summary.',
    usage: '<dir>',
    flags: {
      format: { type: 'string', description: 'The file format: kuairand (KuaiRand-Pure) or modelops (items.csv.gz + views.csv.gz, see docs/features.md).', placeholder: 'FORMAT' },
      source: { type: 'string', description: 'Source name (default: the format).', placeholder: 'NAME' },
      timezone: { type: 'string', description: 'Market time zone (default Asia/Shanghai for kuairand).', placeholder: 'TZ' },
      language: { type: 'string', description: 'Market language (default zh for kuairand).', placeholder: 'LANG' },
      dim: { type: 'number', description: 'Content-vector dimension (default 16).', placeholder: 'K' },
    },
    async run(args, io) {
      const dir = need(args, 0, '<dir>', 'data import --format kuairand|modelops <dir>');
      const format = str(args, 'format') ?? '';
      if (format !== 'kuairand' && format !== 'modelops') throw new UsageError(`--format: "${format}" is not supported; use --format kuairand or --format modelops`);
      const { files, defaults } = importFilesOf(format, dir);
      const target = targetOf(args);
      const res = await streamImport(target, {
        format, source: str(args, 'source') ?? '', timezone: str(args, 'timezone') ?? defaults.timezone ?? '',
        language: str(args, 'language') ?? defaults.language ?? '', dim: num(args, 'dim') ?? defaults.dim ?? 0,
      }, files, (sent, total, file) => progressLine(io, sent / total, `sending ${file}`));
      if (io.tty) io.err('\n');
      const counts = Object.fromEntries(Object.entries(res.counts).map(([k, v]) => [k, Number(v)]));
      const rejections = res.rejections.map((r) => ({ file: r.file, line: Number(r.line), reason: r.reason }));
      emit(io, { source: res.source, counts, rejections, notes: res.notes }, () => {
        io.out(fields({ source: res.source }));
        io.out(table(Object.entries(counts).map(([k, v]) => ({ count: k, value: v }))));
        if (rejections.length) io.out(`\nrejected rows (first ${rejections.length})\n${table(rejections)}`);
        io.out(`\n${res.notes.map((n) => `note: ${n}`).join('\n')}`);
      });
    },
  },
  {
    name: 'data build',
    summary: 'Build an immutable dataset (filters, train | validation | test split by time, point-in-time features, labels); waits and prints its summary.',
    flags: {
      window: { type: 'string', description: 'FROM..TO (inclusive dates in the market zone) or last-Nd (default last-7d).', placeholder: 'WINDOW' },
      'train-frac': { type: 'number', description: 'Training fraction of the window (default 0.6).', placeholder: 'F' },
      'val-frac': { type: 'number', description: 'Validation fraction of the window, right after training (default 0.1; 0 = none); the test part is the rest.', placeholder: 'F' },
      label: { type: 'string', description: 'wtg | wtg:pcc | wtg-quantile | p90 | pcc98 (default wtg).', placeholder: 'LABEL' },
      task: { type: 'string', description: 'binary | regression (default binary).', placeholder: 'TASK' },
      buckets: { type: 'string', description: 'fixed-1s | fixed-5s | equi-quantile:K | item (default equi-quantile:10).', placeholder: 'SPEC' },
      source: { type: 'string', description: 'Event source (default: the most recently updated).', placeholder: 'NAME' },
      timezone: { type: 'string', description: 'Market time zone (default: the source\'s).', placeholder: 'TZ' },
      'min-user-views': { type: 'number', description: 'User filter minimum (default 4).', placeholder: 'N' },
      'max-user-views': { type: 'number', description: 'User filter maximum (default 2000).', placeholder: 'N' },
      'min-item-views': { type: 'number', description: 'Item filter minimum (default 100).', placeholder: 'N' },
      'exploration-of': { type: 'string', description: 'An unbiased test part: keep only views of items the exploration slot of MODEL\'s rollouts showed at random positions (docs/rollout.md).', placeholder: 'MODEL' },
      'no-wait': { type: 'boolean', description: 'Return the building dataset at once instead of waiting.' },
    },
    async run(args, io) {
      const target = targetOf(args);
      const { dataset } = await call<object, { dataset: Dataset__Output }>(target, clientOf('FeatureService', target), 'BuildDataset', {
        window: str(args, 'window') ?? '', train_frac: num(args, 'train-frac') ?? 0, ...(num(args, 'val-frac') !== undefined ? { val_frac: num(args, 'val-frac') } : {}),
        label: str(args, 'label') ?? '', task: str(args, 'task') ?? '',
        buckets: str(args, 'buckets') ?? '', source: str(args, 'source') ?? '', timezone: str(args, 'timezone') ?? '',
        min_user_views: num(args, 'min-user-views') ?? 0, max_user_views: num(args, 'max-user-views') ?? 0, min_item_views: num(args, 'min-item-views') ?? 0,
        exploration_of: str(args, 'exploration-of') ?? '',
      });
      const final = bool(args, 'no-wait') ? dataset : await waitFor(target, dataset.id, io);
      if (io.tty) io.err('\n');
      const out = plain(final);
      emit(io, out, () => human(io, out));
      if (out.state === 'failed') throw new RpcError(9, `dataset ${out.id} failed: ${out.error}`);
    },
  },
  {
    name: 'data list',
    summary: 'List datasets, newest first.',
    flags: pageFlags('Datasets'),
    async run(args, io) {
      const target = targetOf(args);
      const res = await call<object, ListDatasetsResponse__Output>(target, clientOf('FeatureService', target), 'ListDatasets',
        pageOf(args));
      const rows = res.datasets.map(plain);
      emitPage(io, 'datasets', rows, res.next_page_token, () => {
        io.out(table(rows.map((d) => ({ ...d, rows: d.counts.rows_kept ?? null })) as Record<string, unknown>[],
          ['id', 'state', 'source', 'window', 'label', 'task', 'buckets', 'rows', 'created']));
      });
    },
  },
  {
    name: 'data show',
    summary: 'Show a dataset: spec, state, counts, per-day rows, label balance and the full summary with --json.',
    usage: '<dataset-id>',
    async run(args, io) {
      const id = need(args, 0, '<dataset-id>', 'data show <dataset-id>');
      const target = targetOf(args);
      const { dataset } = await call<object, { dataset: Dataset__Output }>(target, clientOf('FeatureService', target), 'GetDataset', { name: id });
      const out = plain(dataset);
      emit(io, out, () => human(io, out));
    },
  },
  {
    name: 'data export',
    summary: 'Export one part of a dataset (train, validation or test) to a CSV or Parquet file: ids, time, every feature column, label, WTG, watch time, length, day.',
    usage: '<dataset-id>',
    flags: {
      part: { type: 'string', description: 'train | validation | test.', placeholder: 'PART' },
      out: { type: 'string', description: 'The file to write; .csv or .parquet picks the format. Written to FILE.tmp, then renamed.', placeholder: 'FILE' },
    },
    async run(args, io) {
      const id = need(args, 0, '<dataset-id>', 'data export <dataset-id> --part train|validation|test --out FILE.csv|FILE.parquet');
      const part = str(args, 'part');
      if (!part || !['train', 'validation', 'test'].includes(part)) throw new UsageError(`--part: ${part ? `"${part}" is not` : 'give'} one of train, validation, test`);
      const out = str(args, 'out');
      if (!out) throw new UsageError('--out: give the file to write, FILE.csv or FILE.parquet');
      formatOf(out);
      if (!fs.existsSync(path.dirname(path.resolve(out)))) throw new UsageError(`--out ${out}: folder ${path.dirname(path.resolve(out))} does not exist`);
      const target = targetOf(args);
      const messages = stream<object, ExportDatasetResponse__Output>(target, clientOf('FeatureService', target), 'ExportDataset', { name: id, part });
      let rows = 0;
      let written: { bytes: number; format: string };
      let header: ExportDatasetResponse__Output['header'];
      try {
        const first = await messages.next();
        header = first.done ? null : first.value.header;
        if (!header) throw new Error(`ExportDataset sent no header for ${id}`);
        const total = Number(header.rows);
        let lastDraw = 0;
        written = await writeAtomically(out, header.columns.map((c): FileColumn => ({ name: c.name, type: c.type })), async (w) => {
          for await (const m of messages) {
            if (!m.chunk) continue;
            await w.write({ rows: m.chunk.rows, userIds: m.chunk.user_ids, itemIds: m.chunk.item_ids, values: m.chunk.values });
            rows += m.chunk.rows;
            if (Date.now() - lastDraw > 500) {
              lastDraw = Date.now();
              progressLine(io, total ? rows / total : 1, `${rows} of ${total} rows`);
            }
          }
          if (rows !== total) throw new Error(`the export of ${id} ended after ${rows} of ${total} rows; nothing was written, run it again`);
        });
      } finally {
        await messages.return(undefined);
      }
      const { bytes, format } = written;
      if (io.tty) io.err('\n');
      const res = { dataset: header.dataset_id, part, out, format, rows, columns: header.columns.length, bytes, label: header.label, task: header.task };
      emit(io, res, () => io.out(fields(res)));
    },
  },
];
