// What the steps of an experiment run share: the run's options, its counts, each row's record, and how a step
// reports progress (to stderr and to the server's record) and retries a busy server.
import type { Io } from '../command';
import type { Target } from '../client';
import type { ExperimentSpec } from './spec';

/** A failure of the run that its message explains (a job or evaluation that failed, a partial seed group). */
export class RunFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunFailure';
  }
}

/** What one run did: how much it made and how much it found made already. */
export interface RunCounts {
  datasets_built: number;
  datasets_reused: number;
  versions_trained: number;
  versions_reused: number;
  evaluations_run: number;
  evaluations_reused: number;
}

/** Options of a run. */
export interface RunOptions {
  spec: ExperimentSpec;
  specFile: string;
  target: Target;
  io: Io;
  /** A folder for report.md, report.json and the plots. */
  out?: string;
  /** The command line that started the run, recorded in the report. */
  command: string;
  /** Where the files of data.import are (--data-dir), instead of data.import.dir; not part of the specification. */
  dataDir?: string;
}

/** A row's record as the runner keeps it (ExperimentRow). */
export interface RowState { name: string; state: string; detail: string; dataset_ids: string[]; versions: string[]; evaluation_ids: string[]; training_seconds: number[] }

/** What every step of a run is handed. */
export interface RunSteps {
  o: RunOptions;
  counts: RunCounts;
  /** Reports a step (and a row it changed) with the units of work it finished: a progress line and the server's record. */
  step: (row: RowState | null, phase: string, unitsDone?: number) => Promise<void>;
  /** A progress line on stderr, not recorded on the server. */
  say: (s: string) => void;
  /** The retry notice for a call the server answers RESOURCE_EXHAUSTED. */
  onRetry: (what: string) => (attempt: number, ms: number) => void;
}
