// `modelops versions list|show|register|download`: a model's versions, registering files (or an external
// ONNX model with its input signature), and downloading a version's verified artifacts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { list, need, str, UsageError, type Command } from '../command';
import { call, clientOf, stream, targetOf, upload } from '../client';
import { emit, fields, isoTime, table } from '../output';
import type { ModelVersion__Output } from '../../proto/gen/modelops/v1/ModelVersion';
import type { ListModelVersionsResponse__Output } from '../../proto/gen/modelops/v1/ListModelVersionsResponse';
import type { GetModelVersionResponse__Output } from '../../proto/gen/modelops/v1/GetModelVersionResponse';
import type { CreateModelVersionResponse__Output } from '../../proto/gen/modelops/v1/CreateModelVersionResponse';
import type { DownloadModelVersionResponse__Output } from '../../proto/gen/modelops/v1/DownloadModelVersionResponse';
import { sha256Hex } from '../../registry/artifact-store';
import { plainProvenance, provenanceText } from '../provenance';
import { emitPage, pageFlags, pageOf } from '../paging';

/** The upload chunk size: well under the 64 MB message limit. */
const CHUNK = 1024 * 1024;

/** A version as the CLI prints it (--json and tables). */
export function plainVersion(v: ModelVersion__Output | null) {
  if (!v) return null;
  const json = (s: string) => (s ? JSON.parse(s) as unknown : null);
  return {
    model: v.model, number: v.number, name: v.version_name, resource: v.name, arch: v.arch, task: v.task, label: v.label,
    buckets: v.buckets, dataset_id: v.dataset_id, hyperparameters: json(v.hyperparameters_json), training_metrics: v.training_metrics,
    parity: json(v.parity_json), backend: v.backend, data_window: v.data_window, source: v.source,
    input_signature: v.input_signature.map((s) => ({ name: s.name, dtype: s.dtype, shape: s.shape.map(Number) })),
    artifacts: v.artifacts.map((a) => ({ name: a.name, key: a.key, sha256: a.sha256, size: Number(a.size) })),
    tags: v.tags, aliases: v.aliases, state: v.state, created_by: v.created_by, created: isoTime(v.create_time),
    provenance: plainProvenance(v.provenance),
  };
}

/**
 * Undoes the list flags' comma splitting where a piece cannot stand alone: a piece that does not look like
 * the start of an item (`isStart`) belongs to the item before it.
 */
export function rejoin(items: string[], isStart: (s: string) => boolean): string[] {
  const out: string[] = [];
  for (const it of items) {
    if (out.length > 0 && !isStart(it)) out[out.length - 1] += `,${it}`;
    else out.push(it);
  }
  return out;
}

/** Reads `key=value` flags into a map (a value may contain commas). */
export function keyValues(items: string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const it of rejoin(items, (s) => s.includes('='))) {
    const i = it.indexOf('=');
    if (i <= 0) throw new UsageError(`--${flag}: "${it}" is not key=value`);
    out[it.slice(0, i)] = it.slice(i + 1);
  }
  return out;
}

/** Parses `--input name:dtype:d1,d2` (dimension -1 or N is dynamic). */
export function parseInputSpec(s: string): { name: string; dtype: string; shape: string[] } {
  const m = /^([^:]+):([a-z0-9]+):([-0-9Nn,]+)$/.exec(s);
  if (!m) throw new UsageError(`--input: "${s}" is not name:dtype:shape, e.g. user_dense:float32:-1,16`);
  return { name: m[1], dtype: m[2], shape: m[3].split(',').map((d) => (/^n$/i.test(d) ? '-1' : d)) };
}

function filesOf(dir: string | undefined, files: string[]): { name: string; abs: string }[] {
  const out: { name: string; abs: string }[] = [];
  if (dir) {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`--dir: "${dir}" is not a folder`);
    for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
      const abs = path.join(dir, f);
      if (fs.statSync(abs).isFile() && f !== 'manifest.json') out.push({ name: f.split(path.sep).join('/'), abs });
    }
  }
  for (const f of files) {
    const [name, p] = f.includes('=') ? [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)] : [path.basename(f), f];
    if (!fs.existsSync(p)) throw new UsageError(`--file: "${p}" does not exist`);
    out.push({ name, abs: p });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

function* chunksOf(name: string, data: Buffer): Generator<{ chunk: { file_name: string; data: Buffer } }> {
  for (let off = 0; off === 0 || off < data.length; off += CHUNK) {
    yield { chunk: { file_name: name, data: data.subarray(off, off + CHUNK) } };
    if (data.length === 0) return;
  }
}

function printVersion(io: { out(t: string): void }, v: ReturnType<typeof plainVersion>): void {
  if (!v) return;
  const { artifacts, input_signature: sig, provenance, ...rest } = v;
  io.out(fields(rest as Record<string, unknown>));
  io.out(provenanceText(provenance));
  if (sig.length) io.out(`\ninputs:\n${table(sig.map((s) => ({ ...s, shape: `[${s.shape.join(',')}]` })))}`);
  io.out(`\nartifacts:\n${table(artifacts, ['name', 'size', 'sha256', 'key'])}`);
}

/** The CLI commands `versions list|show|register|download` (found by folder by cli/main.ts). */
export const commands: Command[] = [
  {
    name: 'versions list',
    summary: 'List a model\'s versions, newest first.',
    usage: '<model>',
    flags: pageFlags('Versions'),
    async run(args, io) {
      const model = need(args, 0, '<model>', 'versions list <model>');
      const target = targetOf(args);
      const res = await call<object, ListModelVersionsResponse__Output>(target, clientOf('RegistryService', target), 'ListModelVersions',
        { model, ...pageOf(args) });
      const rows = res.versions.map(plainVersion);
      emitPage(io, 'versions', rows, res.next_page_token, () => {
        io.out(table(rows.map((v) => ({ number: v!.number, name: v!.name, arch: v!.arch, task: v!.task, label: v!.label,
          aliases: v!.aliases.join(','), source: v!.source, created_by: v!.created_by, created: v!.created }))));
      });
    },
  },
  {
    name: 'versions show',
    summary: 'Show one version: metadata, tags, aliases and artifacts with sha256.',
    usage: '<model> <version-name-or-number>',
    async run(args, io) {
      const model = need(args, 0, '<model>', 'versions show <model> <version>');
      const version = need(args, 1, '<version>', 'versions show <model> <version>');
      const target = targetOf(args);
      const res = await call<object, GetModelVersionResponse__Output>(target, clientOf('RegistryService', target), 'GetModelVersion', { model, version });
      const v = plainVersion(res.version);
      emit(io, { version: v }, () => printVersion(io, v));
    },
  },
  {
    name: 'versions register',
    summary: 'Register a version from files (--dir or --file), or an external ONNX model (--onnx with --input).',
    usage: '<model> <version-name>',
    flags: {
      dir: { type: 'string', description: 'Upload every file under this folder (names relative to it).', placeholder: 'DIR' },
      file: { type: 'list', description: 'A file to upload, as PATH or NAME=PATH (repeatable).', placeholder: 'FILE' },
      onnx: { type: 'string', description: 'An ONNX model trained elsewhere; needs --input for each of its inputs.', placeholder: 'FILE' },
      input: { type: 'list', description: 'A declared input of --onnx: name:dtype:shape, e.g. x:float32:-1,16 (repeatable).', placeholder: 'SPEC' },
      origin: { type: 'string', description: 'Where an --onnx model comes from (free text).', placeholder: 'TEXT' },
      arch: { type: 'string', description: 'Architecture, e.g. two-tower-base.' },
      task: { type: 'string', description: 'binary | regression.' },
      label: { type: 'string', description: 'The label, e.g. wtg or p90.' },
      buckets: { type: 'string', description: 'Duration bucket spec, e.g. equi-quantile:10.' },
      dataset: { type: 'string', description: 'The dataset id.' },
      'data-window': { type: 'string', description: 'The data window, e.g. 2022-04-25..2022-05-01.' },
      backend: { type: 'string', description: 'The training backend.' },
      hyperparameters: { type: 'string', description: 'Hyperparameters as a JSON object.', placeholder: 'JSON' },
      metric: { type: 'list', description: 'A training metric name=value (repeatable).', placeholder: 'NAME=VALUE' },
      tag: { type: 'list', description: 'A tag key=value (repeatable).', placeholder: 'KEY=VALUE' },
    },
    async run(args, io) {
      const model = need(args, 0, '<model>', 'versions register <model> <version-name> --dir DIR');
      const name = need(args, 1, '<version-name>', 'versions register <model> <version-name> --dir DIR');
      const tags = keyValues(list(args, 'tag'), 'tag');
      const target = targetOf(args);
      const client = clientOf('RegistryService', target);
      const onnx = str(args, 'onnx');
      let res: CreateModelVersionResponse__Output;
      if (onnx) {
        if (!fs.existsSync(onnx)) throw new UsageError(`--onnx: "${onnx}" does not exist`);
        const inputs = rejoin(list(args, 'input'), (s) => s.includes(':')).map(parseInputSpec);
        if (inputs.length === 0) throw new UsageError('--input: declare each input of the ONNX model, e.g. --input x:float32:-1,16');
        const data = fs.readFileSync(onnx);
        io.err(`uploading ${onnx} (${data.length} bytes)\n`);
        const msgs = function* () {
          yield { header: { model, version_name: name, task: str(args, 'task') ?? '', label: str(args, 'label') ?? '', input_signature: inputs,
            tags, origin: str(args, 'origin') ?? '' } };
          for (let off = 0; off < data.length; off += CHUNK) yield { onnx_chunk: data.subarray(off, off + CHUNK) };
        };
        res = await upload(target, client, 'RegisterExternalModel', msgs());
      } else {
        const files = filesOf(str(args, 'dir'), list(args, 'file'));
        if (files.length === 0) throw new UsageError('give the files: --dir DIR, --file PATH (repeatable), or --onnx FILE --input ...');
        const metrics = Object.fromEntries(Object.entries(keyValues(list(args, 'metric'), 'metric')).map(([k, v]) => {
          const n = Number(v);
          if (!Number.isFinite(n)) throw new UsageError(`--metric: "${k}=${v}" is not a number`);
          return [k, n];
        }));
        const header = {
          model, version_name: name, arch: str(args, 'arch') ?? '', task: str(args, 'task') ?? '', label: str(args, 'label') ?? '',
          buckets: str(args, 'buckets') ?? '', dataset_id: str(args, 'dataset') ?? '', hyperparameters_json: str(args, 'hyperparameters') ?? '',
          training_metrics: metrics, parity_json: '', backend: str(args, 'backend') ?? '', data_window: str(args, 'data-window') ?? '', tags,
        };
        const msgs = function* () {
          yield { header };
          for (const f of files) {
            io.err(`uploading ${f.name}\n`);
            yield* chunksOf(f.name, fs.readFileSync(f.abs));
          }
        };
        res = await upload(target, client, 'CreateModelVersion', msgs());
      }
      const v = plainVersion(res.version);
      emit(io, { version: v }, () => {
        io.out(`registered ${v!.model} version ${v!.number} "${v!.name}"`);
        printVersion(io, v);
      });
    },
  },
  {
    name: 'versions download',
    summary: 'Download a version\'s artifacts (each verified against its sha256) into a folder.',
    usage: '<model> <version-name-or-number>',
    flags: {
      out: { type: 'string', description: 'The folder to write into (created if missing).', placeholder: 'DIR' },
      file: { type: 'list', description: 'Only these artifacts (repeatable).', placeholder: 'NAME' },
    },
    async run(args, io) {
      const model = need(args, 0, '<model>', 'versions download <model> <version> --out DIR');
      const version = need(args, 1, '<version>', 'versions download <model> <version> --out DIR');
      const out = str(args, 'out');
      if (!out) throw new UsageError('--out is required: the folder to write the artifacts into');
      const root = path.resolve(out);
      const target = targetOf(args);
      const files = new Map<string, { parts: Buffer[]; sha256: string; size: number }>();
      for await (const m of stream<object, DownloadModelVersionResponse__Output>(target, clientOf('RegistryService', target), 'DownloadModelVersion',
        { model, version, files: list(args, 'file') })) {
        if (!files.has(m.file_name)) files.set(m.file_name, { parts: [], sha256: m.sha256, size: Number(m.size) });
        files.get(m.file_name)!.parts.push(m.data);
      }
      const written: { name: string; path: string; size: number; sha256: string }[] = [];
      for (const [name, f] of files) {
        const data = Buffer.concat(f.parts);
        // Verify again on this side of the network, and never write outside the folder.
        if (sha256Hex(data) !== f.sha256) throw new Error(`DATA_LOSS: ${name}: received bytes do not hash to ${f.sha256}`);
        const dest = path.resolve(root, name);
        if (!dest.startsWith(root + path.sep)) throw new Error(`refusing to write "${name}" outside ${root}`);
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        fs.writeFileSync(dest, data);
        written.push({ name, path: dest, size: data.length, sha256: f.sha256 });
      }
      emit(io, { files: written }, () => io.out(table(written, ['name', 'size', 'sha256', 'path'])));
    },
  },
];
