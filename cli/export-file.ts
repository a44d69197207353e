// Files of `modelops data export`: the rows the ExportDataset stream carries, written as CSV (RFC 4180: a header
// line, ids quoted where they need it, NaN as an empty field, float32 values in the shortest decimal form
// that reads back to the same float32) or Parquet. Files are written to FILE.tmp and renamed into place, so
// a failed or interrupted export never leaves a partial FILE.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { once } from 'node:events';
import { UsageError } from './command';

/** A column as the export's header names it. */
export interface FileColumn {
  name: string;
  type: string;
}

/** A run of rows as ExportDataset sends it: ids and row-major numbers of the other columns. */
export interface FileChunk {
  rows: number;
  userIds: string[];
  itemIds: string[];
  values: ArrayLike<number>;
}

/** Writes an export file chunk by chunk. */
export interface TableWriter {
  /** Appends rows. */
  write(chunk: FileChunk): Promise<void>;
  /** Finishes the file (it is then complete at the temporary path). */
  close(): Promise<void>;
}

/** The export formats, chosen by the file's extension. */
export type ExportFormat = 'csv' | 'parquet';

/** The format of an output path, or a UsageError that says which extensions work. */
export function formatOf(file: string): ExportFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.parquet') return 'parquet';
  throw new UsageError(`--out ${file}: the format follows the extension; use a .csv or .parquet file name`);
}

/** The shortest decimal string that reads back to the float32 `x` (empty for NaN). */
export function float32Text(x: number): string {
  if (Number.isNaN(x)) return '';
  if (Number.isInteger(x) || !Number.isFinite(x)) return String(x);
  for (let p = 1; p < 9; p++) {
    const s = Number(x.toPrecision(p));
    if (Math.fround(s) === x) return String(s);
  }
  return String(Number(x.toPrecision(9)));
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A CSV writer over a file stream, respecting back-pressure. */
export async function csvWriter(file: string, columns: FileColumn[]): Promise<TableWriter> {
  const out = fs.createWriteStream(file);
  await once(out, 'open');
  const put = async (s: string) => { if (!out.write(s)) await once(out, 'drain'); };
  await put(`${columns.map((c) => csvField(c.name)).join(',')}\n`);
  const fmt = columns.slice(2).map((c) => (c.type === 'float32' ? float32Text : (v: number) => (Number.isNaN(v) ? '' : String(v))));
  const width = fmt.length;
  return {
    async write(chunk) {
      const lines: string[] = [];
      const v = chunk.values;
      for (let r = 0; r < chunk.rows; r++) {
        const cells = [csvField(chunk.userIds[r]), csvField(chunk.itemIds[r])];
        for (let k = 0; k < width; k++) cells.push(fmt[k](v[r * width + k]));
        lines.push(cells.join(','));
      }
      if (lines.length) await put(`${lines.join('\n')}\n`);
    },
    async close() {
      out.end();
      await once(out, 'finish');
    },
  };
}

/**
 * Writes an export to `file` atomically: `fill(writer)` writes the rows to `file.tmp`, which is renamed to
 * `file` only once complete; on any failure the temporary file is removed and the error rethrown.
 */
export async function writeAtomically(file: string, columns: FileColumn[], fill: (w: TableWriter) => Promise<void>): Promise<{ bytes: number; format: ExportFormat }> {
  const format = formatOf(file);
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir)) throw new UsageError(`--out ${file}: folder ${dir} does not exist`);
  const tmp = `${file}.tmp`;
  try {
    const w = format === 'csv' ? await csvWriter(tmp, columns) : await parquetWriter(tmp, columns);
    await fill(w);
    await w.close();
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  return { bytes: fs.statSync(file).size, format };
}

/** Rows per Parquet row group: about 20 MB of columns for the KuaiRand layout, buffered before each write. */
const PARQUET_ROW_GROUP = 65_536;

/** The part of hyparquet-writer's API used here (declared here so that type checking does not need the package). */
interface HyparquetWriter {
  ByteWriter: new () => { buffer: ArrayBuffer; index: number; flush?: () => Promise<void>; finish: () => void | Promise<void> };
  ParquetWriter: new (o: { writer: object; schema: unknown[]; createdBy?: string }) => {
    write(o: { columnData: ParquetColumn[]; rowGroupSize: number }): void | Promise<void>;
    finish(): void | Promise<void>;
  };
  schemaFromColumnData(o: { columnData: ParquetColumn[] }): unknown[];
}
interface ParquetColumn {
  name: string;
  type: string;
  nullable: boolean;
  data: ArrayLike<unknown>;
}

/** The npm package that writes Parquet (an optional dependency: only .parquet exports load it). */
const PARQUET_PACKAGE = 'hyparquet-writer';

const PARQUET_TYPES: Record<string, 'STRING' | 'INT32' | 'INT64' | 'FLOAT' | 'DOUBLE'> = {
  string: 'STRING', int32: 'INT32', int64: 'INT64', float32: 'FLOAT', float64: 'DOUBLE',
};

/**
 * A Parquet writer (hyparquet-writer, pure JS, loaded only when a .parquet file is asked for): columns typed as
 * the export's header says (ids UTF-8 strings, ts INT64 epoch ms, float32 inputs FLOAT, NaN kept as NaN), rows
 * buffered into row groups of 65,536 and appended to the file group by group, snappy-compressed.
 */
export async function parquetWriter(file: string, columns: FileColumn[], rowGroupRows = PARQUET_ROW_GROUP): Promise<TableWriter> {
  let pq: HyparquetWriter;
  try {
    pq = await import(PARQUET_PACKAGE) as HyparquetWriter;
  } catch {
    throw new UsageError(`--out: Parquet output needs the ${PARQUET_PACKAGE} package, which this installation lacks; write a .csv file or run npm install ${PARQUET_PACKAGE}`);
  }
  const types = columns.map((c) => {
    const t = PARQUET_TYPES[c.type];
    if (!t) throw new Error(`column ${c.name} has type ${c.type}, which the Parquet writer does not know`);
    return t;
  });
  const fh = await fs.promises.open(file, 'w');
  // hyparquet-writer's ByteWriter, flushed to the file after each row group (ParquetWriter awaits the flush).
  const bytes = new pq.ByteWriter();
  const flush = async () => {
    await fh.write(new Uint8Array(bytes.buffer, 0, bytes.index));
    bytes.index = 0;
  };
  bytes.flush = flush;
  bytes.finish = flush;
  let writer: InstanceType<HyparquetWriter['ParquetWriter']> | undefined;
  const width = columns.length - 2;
  let rows = 0;
  const alloc = () => columns.map((c, k) => (k < 2 ? [] as string[] : c.type === 'int64' ? new BigInt64Array(rowGroupRows)
    : c.type === 'int32' ? new Int32Array(rowGroupRows) : c.type === 'float32' ? new Float32Array(rowGroupRows) : new Float64Array(rowGroupRows)));
  let cols = alloc();
  const writeGroup = async () => {
    if (rows === 0) return;
    const columnData = columns.map((c, k) => ({
      name: c.name, type: types[k], nullable: false,
      data: k < 2 ? cols[k] as string[] : (cols[k] as BigInt64Array | Int32Array | Float32Array | Float64Array).subarray(0, rows),
    }));
    writer ??= new pq.ParquetWriter({ writer: bytes, schema: pq.schemaFromColumnData({ columnData }), createdBy: 'modelops data export' });
    await writer.write({ columnData, rowGroupSize: rows });
    rows = 0;
    cols = alloc();
  };
  return {
    async write(chunk) {
      const v = chunk.values;
      for (let r = 0; r < chunk.rows; r++) {
        (cols[0] as string[]).push(chunk.userIds[r]);
        (cols[1] as string[]).push(chunk.itemIds[r]);
        for (let k = 0; k < width; k++) {
          const x = v[r * width + k];
          const col = cols[k + 2];
          if (col instanceof BigInt64Array) col[rows] = BigInt(x);
          else (col as Int32Array | Float32Array | Float64Array)[rows] = x;
        }
        if (++rows === rowGroupRows) await writeGroup();
      }
    },
    async close() {
      try {
        await writeGroup();
        // An export with no rows still gets a valid file with its schema.
        writer ??= new pq.ParquetWriter({ writer: bytes, schema: pq.schemaFromColumnData({
          columnData: columns.map((c, k) => ({ name: c.name, type: types[k], nullable: false, data: [] })) }), createdBy: 'modelops data export' });
        await writer.finish();
      } finally {
        await fh.close();
      }
    },
  };
}
