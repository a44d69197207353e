// Kept scores of an evaluation: CSV rows (ml/metrics/scores-export.ts, without the header) written to the artifact
// store in parts of about PART_BYTES, so a catalog export of users x days x items rows never sits in memory whole.
// ExportEvaluationScores streams the header, then the parts in order.
import type { ArtifactStore } from './artifact-store';

/** The size at which a part is written out. */
export const PART_BYTES = 32 * 1024 * 1024;

/** Where one protocol's kept scores are. */
export interface KeptScores {
  /** Data rows (without the header). */
  rows: number;
  /** Bytes of all parts. */
  bytes: number;
  parts: { key: string; sha256: string; bytes: number }[];
}

/** Writes CSV lines into parts under `prefix` (keys prefix/0.csv, prefix/1.csv, ...). */
export class ScoresWriter {
  private pending: string[] = [];
  private pendingBytes = 0;
  private readonly kept: KeptScores = { rows: 0, bytes: 0, parts: [] };

  constructor(private readonly artifacts: ArtifactStore, private readonly prefix: string) {}

  /** Adds one line (with its newline); writes a part when PART_BYTES are pending. */
  async write(line: string): Promise<void> {
    this.pending.push(line);
    this.pendingBytes += line.length;
    this.kept.rows++;
    if (this.pendingBytes >= PART_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const data = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingBytes = 0;
    const stored = await this.artifacts.put(`${this.prefix}/${this.kept.parts.length}.csv`, data, 'text/csv');
    this.kept.parts.push({ key: stored.key, sha256: stored.sha256, bytes: data.length });
    this.kept.bytes += data.length;
  }

  /** Writes what is pending and returns where the parts are. */
  async close(): Promise<KeptScores> {
    await this.flush();
    return this.kept;
  }

  /** Removes the parts written so far (a failed or cancelled evaluation keeps nothing). */
  async discard(): Promise<void> {
    for (const p of this.kept.parts) await this.artifacts.remove(p.key).catch(() => undefined);
    this.kept.parts = [];
  }
}
