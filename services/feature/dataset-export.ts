// ExportDataset: one part of a ready dataset, streamed as a header (the columns of ml/features/export-columns.ts)
// and chunks of consecutive rows, shard by shard, so the server holds one shard at a time whatever the size.
// The CLI writes the file (CSV or Parquet); the server never touches the caller's disk.
import type { ArtifactStore } from '../../registry/artifact-store';
import { hasValidation, loadDatasetMeta, loadShard, type DatasetMeta, type ShardRef } from '../../ml/features/dataset';
import { exportColumns, exportValues, type ExportColumn } from '../../ml/features/export-columns';
import { failedPrecondition, invalid } from '../../core/errors';
import type { DatasetStore } from '../../registry/dataset-store';

/** The parts a caller may ask for, and the shard tag each reads ('heldout' is the test part). */
export const EXPORT_PARTS: Record<string, ShardRef['split']> = { train: 'train', validation: 'validation', test: 'heldout' };

/** Numbers per chunk: 2 MiB of doubles, well under gRPC's 4 MiB message limit with the id lists. */
const CHUNK_VALUES = 1 << 18;

/** The first message of an export. */
export interface ExportHeader {
  datasetId: string;
  part: string;
  rows: number;
  columns: ExportColumn[];
  label: string;
  task: string;
}

/** A run of rows: ids and row-major numbers (see exportValues). */
export interface ExportChunk {
  rows: number;
  userIds: string[];
  itemIds: string[];
  values: Float64Array;
}

/**
 * Streams part `part` of dataset `id`: `send` gets the header, then each chunk (await it: it carries the
 * stream's back-pressure). Refuses an unknown part, a dataset that is not ready, and validation on a dataset
 * without a validation part, each saying what to do instead.
 */
export async function exportDataset(store: DatasetStore, artifacts: ArtifactStore, id: string, part: string,
  send: (m: { header: ExportHeader } | { chunk: ExportChunk }) => Promise<void>, cancelled: () => boolean = () => false): Promise<void> {
  const split = EXPORT_PARTS[part];
  if (!split) throw invalid(`part: "${part}" is not one of ${Object.keys(EXPORT_PARTS).join(', ')}`);
  const d = await store.get(id);
  if (d.state !== 'ready') throw failedPrecondition(`dataset "${id}" is ${d.state}${d.state === 'building' ? '; wait for it (modelops data show)' : '; build it again'}`);
  const meta = await loadDatasetMeta(artifacts, id, d.metaSha256 || undefined);
  if (part === 'validation' && !hasValidation(meta)) {
    throw failedPrecondition(`dataset "${id}" has no validation part (${meta.spec.valFrac === 0 ? 'built with --val-frac 0' : 'built before validation parts existed'}); export train or test, or rebuild it with --val-frac`);
  }
  await streamPart(artifacts, meta, part, send, cancelled);
}

/**
 * Streams the rows of one part of a dataset whose meta is at hand (`part` as in EXPORT_PARTS): the header, then
 * chunks of at most `chunkRows` rows (default: what fits in 2 MiB of numbers), shard after shard, in time order.
 */
export async function streamPart(artifacts: ArtifactStore, meta: DatasetMeta, part: string,
  send: (m: { header: ExportHeader } | { chunk: ExportChunk }) => Promise<void>, cancelled: () => boolean = () => false, chunkRows?: number): Promise<void> {
  const refs = meta.shards.filter((s) => s.split === EXPORT_PARTS[part]);
  const columns = exportColumns(meta.layout);
  await send({ header: { datasetId: meta.id, part, rows: refs.reduce((s, r) => s + r.rows, 0), columns, label: meta.spec.label, task: meta.spec.task } });
  const width = columns.length - 2;
  const perChunk = chunkRows ?? Math.max(1, Math.floor(CHUNK_VALUES / width));
  for (const ref of refs) {
    if (cancelled()) return;
    const { batch, facts } = await loadShard(artifacts, ref);
    for (let r0 = 0; r0 < batch.n; r0 += perChunk) {
      const r1 = Math.min(batch.n, r0 + perChunk);
      const values = new Float64Array((r1 - r0) * width);
      exportValues(batch, facts, meta.layout, r0, r1, values);
      const userIds: string[] = [];
      const itemIds: string[] = [];
      for (let r = r0; r < r1; r++) {
        userIds.push(meta.userIds[facts.userIdx[r]]);
        itemIds.push(meta.itemIds[facts.itemIdx[r]]);
      }
      await send({ chunk: { rows: r1 - r0, userIds, itemIds, values } });
      if (cancelled()) return;
    }
  }
}
