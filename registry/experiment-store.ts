// Experiments: one record per specification (its sha256), with its rows' progress and its report. The runner
// (`modelops experiment run`) does the work through the other services and writes its progress here; the
// console and `modelops experiment list|show` read it.
import * as crypto from 'node:crypto';
import type { DataSource, Repository } from 'typeorm';
import { ExperimentEntity, type ExperimentDbRow, type ExperimentRowRecord } from './entities/experiment.entity';
import { invalid, notFound } from '../core/errors';
import { mapPgError } from './pg-errors';
import type { Provenance } from '../core/provenance';

/** Where an experiment is in its life. */
export type ExperimentState = 'running' | 'succeeded' | 'failed';

/** An experiment as the rest of the platform sees it. */
export interface Experiment {
  id: string;
  title: string;
  /** The specification as stored (JSON text, so its sha256 can be checked). */
  specJson: string;
  specSha256: string;
  state: ExperimentState;
  progress: number;
  phase: string;
  rows: ExperimentRowRecord[];
  reportJson: string;
  reportMarkdown: string;
  plots: Record<string, string>;
  error: string;
  codeVersion: string;
  provenance: Provenance | null;
  createdBy: string;
  createTime: Date;
  updateTime: Date;
}

/** What an update may change; undefined fields keep their values, `rows` replace the stored rows of their names. */
export interface ExperimentUpdate {
  state?: ExperimentState;
  progress?: number;
  phase?: string;
  rows?: ExperimentRowRecord[];
  reportJson?: string;
  reportMarkdown?: string;
  plots?: Record<string, string>;
  error?: string;
  codeVersion?: string;
  provenance?: Provenance;
}

/** Size limits of what a client may store. */
export const EXPERIMENT_LIMITS = { specBytes: 1 << 20, reportJsonBytes: 8 << 20, markdownBytes: 1 << 20, plotsBytes: 8 << 20, rows: 500 };

const TITLE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** The sha256 of a specification's JSON text, hex. */
export function specSha256(specJson: string): string {
  return crypto.createHash('sha256').update(specJson, 'utf8').digest('hex');
}

function toExperiment(r: ExperimentDbRow): Experiment {
  return {
    id: r.id, title: r.title, specJson: JSON.stringify(r.spec), specSha256: r.specSha256, state: r.state as ExperimentState,
    progress: r.progress, phase: r.phase, rows: r.rows ?? [], reportJson: r.reportJson, reportMarkdown: r.reportMarkdown,
    plots: r.plots ?? {}, error: r.error, codeVersion: r.codeVersion, provenance: (r.provenance as Provenance | null) ?? null, createdBy: r.createdBy, createTime: r.createTime, updateTime: r.updateTime,
  };
}

function pendingRow(name: string): ExperimentRowRecord {
  return { name, state: 'pending', detail: '', datasetIds: [], versions: [], evaluationIds: [], trainingSeconds: [] };
}

/** Stores experiments in Postgres. */
export class ExperimentStore {
  private readonly repo: Repository<ExperimentDbRow>;

  constructor(private readonly dataSource: DataSource) {
    this.repo = dataSource.getRepository(ExperimentEntity);
  }

  /**
   * Creates the experiment of a specification, or returns the stored one with the same sha256 (`existing`), so
   * a rerun of the same file resumes it. A resumed experiment goes back to running.
   */
  async create(input: { title: string; specJson: string; rowNames: string[]; codeVersion: string; provenance?: Provenance | null; createdBy: string }): Promise<{ experiment: Experiment; existing: boolean }> {
    if (!TITLE.test(input.title)) throw invalid(`title: "${input.title}" is not a name (letters, digits, '.', '_', '-'; at most 100 characters)`);
    if (Buffer.byteLength(input.specJson) > EXPERIMENT_LIMITS.specBytes) throw invalid(`spec_json: ${Buffer.byteLength(input.specJson)} bytes given, at most ${EXPERIMENT_LIMITS.specBytes} allowed`);
    let spec: unknown;
    try {
      spec = JSON.parse(input.specJson);
    } catch (err) {
      throw invalid(`spec_json: not JSON (${(err as Error).message})`);
    }
    if (!spec || typeof spec !== 'object' || Array.isArray(spec)) throw invalid('spec_json: give a JSON object');
    if (input.rowNames.length > EXPERIMENT_LIMITS.rows) throw invalid(`row_names: ${input.rowNames.length} rows given, at most ${EXPERIMENT_LIMITS.rows} allowed`);
    if (new Set(input.rowNames).size !== input.rowNames.length) throw invalid('row_names: each row needs its own name');
    // The hash is of the parsed and re-serialised JSON, so spacing does not make a second experiment.
    const sha = specSha256(JSON.stringify(spec));
    const found = await this.repo.findOne({ where: { specSha256: sha } });
    if (found) return { experiment: toExperiment(found), existing: true };
    const id = `exp-${crypto.randomBytes(5).toString('hex')}`;
    try {
      const row = await this.repo.save(this.repo.create({
        id, title: input.title, spec: spec as Record<string, unknown>, specSha256: sha, state: 'running', progress: 0, phase: 'created',
        rows: input.rowNames.map(pendingRow), reportJson: '', reportMarkdown: '', plots: {}, error: '', codeVersion: input.codeVersion,
        provenance: (input.provenance ?? null) as Record<string, unknown> | null, createdBy: input.createdBy,
      }));
      return { experiment: toExperiment(row), existing: false };
    } catch (err) {
      // Two runners of one specification at once: the second gets the first's record.
      const again = await this.repo.findOne({ where: { specSha256: sha } });
      if (again) return { experiment: toExperiment(again), existing: true };
      throw mapPgError(err);
    }
  }

  /** One experiment by id. */
  async get(id: string): Promise<Experiment> {
    const row = await this.repo.findOne({ where: { id } });
    if (!row) throw notFound(`experiment "${id}" not found: list them with \`modelops experiment list\``);
    return toExperiment(row);
  }

  /** Experiments newest first after the keyset `after` ([create_time ISO, id]), at most `limit`, without reports and plots. */
  async list(opts: { after?: [string, string]; limit: number }): Promise<Experiment[]> {
    const q = this.repo.createQueryBuilder('e')
      .select(['e.id', 'e.title', 'e.spec', 'e.specSha256', 'e.state', 'e.progress', 'e.phase', 'e.rows', 'e.error', 'e.codeVersion', 'e.provenance', 'e.createdBy', 'e.createTime', 'e.updateTime'])
      .orderBy('e.create_time', 'DESC').addOrderBy('e.id', 'DESC').take(opts.limit);
    if (opts.after) q.andWhere('(e.create_time, e.id) < (:at, :id)', { at: opts.after[0], id: opts.after[1] });
    return (await q.getMany()).map((r) => toExperiment({ ...r, reportJson: '', reportMarkdown: '', plots: {} }));
  }

  /** Applies an update under the row's lock, so concurrent updates of different rows all land. */
  async update(id: string, u: ExperimentUpdate): Promise<Experiment> {
    if (u.progress !== undefined && !(u.progress >= 0 && u.progress <= 1)) throw invalid(`progress: ${u.progress} is not within 0..1`);
    const bytes = (s: string | undefined) => (s === undefined ? 0 : Buffer.byteLength(s));
    if (bytes(u.reportJson) > EXPERIMENT_LIMITS.reportJsonBytes) throw invalid(`report_json: ${bytes(u.reportJson)} bytes given, at most ${EXPERIMENT_LIMITS.reportJsonBytes} allowed`);
    if (bytes(u.reportMarkdown) > EXPERIMENT_LIMITS.markdownBytes) throw invalid(`report_markdown: ${bytes(u.reportMarkdown)} bytes given, at most ${EXPERIMENT_LIMITS.markdownBytes} allowed`);
    const plotBytes = Object.entries(u.plots ?? {}).reduce((s, [k, v]) => s + bytes(k) + bytes(v), 0);
    if (plotBytes > EXPERIMENT_LIMITS.plotsBytes) throw invalid(`plots: ${plotBytes} bytes given, at most ${EXPERIMENT_LIMITS.plotsBytes} allowed`);
    if (u.reportJson) {
      try {
        JSON.parse(u.reportJson);
      } catch (err) {
        throw invalid(`report_json: not JSON (${(err as Error).message})`);
      }
    }
    for (const r of u.rows ?? []) if (!r.name) throw invalid('rows: every row needs its name');
    return this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(ExperimentEntity);
      const row = await repo.createQueryBuilder('e').setLock('pessimistic_write').where('e.id = :id', { id }).getOne();
      if (!row) throw notFound(`experiment "${id}" not found: list them with \`modelops experiment list\``);
      if (u.state !== undefined) row.state = u.state;
      if (u.progress !== undefined) row.progress = u.progress;
      if (u.phase !== undefined) row.phase = u.phase;
      if (u.error !== undefined) row.error = u.error;
      else if (u.state === 'running') row.error = '';
      if (u.codeVersion !== undefined) row.codeVersion = u.codeVersion;
      if (u.provenance !== undefined) row.provenance = u.provenance as unknown as Record<string, unknown>;
      if (u.reportJson !== undefined) row.reportJson = u.reportJson;
      if (u.reportMarkdown !== undefined) row.reportMarkdown = u.reportMarkdown;
      if (u.plots !== undefined) row.plots = u.plots;
      if (u.rows?.length) {
        const rows = [...(row.rows ?? [])];
        for (const r of u.rows) {
          const i = rows.findIndex((x) => x.name === r.name);
          if (i >= 0) rows[i] = r;
          else rows.push(r);
        }
        if (rows.length > EXPERIMENT_LIMITS.rows) throw invalid(`rows: at most ${EXPERIMENT_LIMITS.rows} rows allowed`);
        row.rows = rows;
      }
      row.updateTime = new Date();
      return toExperiment(await repo.save(row));
    });
  }
}
