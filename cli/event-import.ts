// Sending a folder of event files to FeatureService.ImportEvents, for `data import` and `experiment run`: which
// files a format reads (and in which order the server needs them), and the client stream itself (a header, then
// each file's bytes in chunks, respecting back-pressure).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from './command';
import { clientOf, upload, type Target } from './client';
import type { ImportEventsResponse__Output } from '../proto/gen/modelops/v1/ImportEventsResponse';

/** Bytes per streamed chunk of an import. */
const CHUNK = 256 * 1024;

/** The defaults a modelops-format folder's source.json gives the import header. */
export interface SourceDefaults {
  timezone?: string;
  language?: string;
  dim?: number;
}

/** The KuaiRand files of a folder in the order the server needs them: videos before the log. */
export function kuairandFiles(dir: string): string[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`${dir}: not a folder; give the folder that holds the KuaiRand-Pure files`);
  const names = fs.readdirSync(dir).sort();
  const videos = names.filter((n) => /^video_features.*\.csv(\.gz)?$/.test(n));
  const logs = names.filter((n) => /log.*\.csv(\.gz)?$/.test(n));
  if (logs.length === 0) throw new UsageError(`${dir}: no KuaiRand log file (kuairand_pure_log_*.csv.gz) found`);
  return [...videos, ...logs].map((n) => path.join(dir, n));
}

/** The modelops-format files of a folder (items before views) and its source.json defaults, if any. */
export function modelopsFiles(dir: string): { files: string[]; defaults: SourceDefaults } {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`${dir}: not a folder; give the folder that holds items.csv.gz and views.csv.gz`);
  const names = fs.readdirSync(dir).sort();
  const items = names.filter((n) => /^items.*\.csv(\.gz)?$/.test(n));
  const views = names.filter((n) => /^views.*\.csv(\.gz)?$/.test(n));
  if (items.length + views.length === 0) throw new UsageError(`${dir}: no items*.csv[.gz] or views*.csv[.gz] files found`);
  const meta = path.join(dir, 'source.json');
  const defaults = fs.existsSync(meta) ? JSON.parse(fs.readFileSync(meta, 'utf8')) as SourceDefaults : {};
  return { files: [...items, ...views].map((n) => path.join(dir, n)), defaults };
}

/** The files a folder of `format` imports, in order, and the header defaults it carries (only modelops folders carry any). */
export function importFilesOf(format: 'kuairand' | 'modelops', dir: string): { files: string[]; defaults: SourceDefaults } {
  return format === 'kuairand' ? { files: kuairandFiles(dir), defaults: {} } : modelopsFiles(dir);
}

/**
 * Streams `files` to ImportEvents after `header`; `onSent` hears the bytes sent so far after each chunk (of `total`,
 * the files' sizes, while sending `file`). Resolves with the server's import summary.
 */
export async function streamImport(target: Target, header: object, files: string[],
  onSent?: (sent: number, total: number, file: string) => void): Promise<ImportEventsResponse__Output> {
  const total = files.reduce((s, f) => s + fs.statSync(f).size, 0);
  async function* messages() {
    yield { header };
    let sent = 0;
    for (const f of files) {
      const name = path.basename(f);
      for await (const data of fs.createReadStream(f, { highWaterMark: CHUNK })) {
        yield { chunk: { file_name: name, data } };
        sent += (data as Buffer).length;
        onSent?.(sent, total, name);
      }
    }
  }
  return upload<object, ImportEventsResponse__Output>(target, clientOf('FeatureService', target), 'ImportEvents', messages());
}
