// `modelops train`: start a training job (TrainingService.StartTrainingJob), optionally following its
// progress (ETA, loss, examples/s, validation metric) until it ends.
import { list, num, str, UsageError, type Args, type Command, type Io } from '../command';
import { call, clientOf, stream, targetOf, type Target } from '../client';
import { emit, fields, isoTime, progressLine } from '../output';
import type { StartTrainingJobResponse__Output } from '../../proto/gen/modelops/v1/StartTrainingJobResponse';
import type { WatchTrainingJobResponse__Output } from '../../proto/gen/modelops/v1/WatchTrainingJobResponse';
import type { TrainingJob__Output } from '../../proto/gen/modelops/v1/TrainingJob';

/** A job as the CLI prints it. */
export function plainJob(j: TrainingJob__Output | null) {
  if (!j) return null;
  const p = j.progress;
  return {
    id: j.id, model: j.model, version_name: j.version_name, dataset: j.dataset_id, arch: j.arch, task: j.task,
    state: j.state.replace('TRAINING_JOB_STATE_', '').toLowerCase(), phase: p?.phase ?? '',
    epoch: p ? `${p.epoch}/${p.epochs}` : '', loss: p && Number.isFinite(p.loss) ? Number(p.loss.toFixed(5)) : null,
    [p?.validation_metric_name ? `val_${p.validation_metric_name}` : 'val']: p && Number.isFinite(p.validation_metric) ? Number(p.validation_metric.toFixed(4)) : null,
    note: p?.validation_note || null,
    examples_per_s: p ? Math.round(p.examples_per_second) : 0, backend: j.backend, version: j.version_number || null, seed: j.seed,
    seed_group: j.seed_group || null,
    hyperparameters: j.hyperparameters, metrics: j.metrics, error: j.error || null, created_by: j.created_by,
    created: isoTime(j.create_time), started: isoTime(j.start_time), ended: isoTime(j.end_time), duration_s: Number(j.duration_seconds.toFixed(1)),
  };
}

function eta(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  return m ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;
}

/** Follows a job until it ends, drawing a progress bar on stderr; returns the final job. */
export async function follow(target: Target, id: string, io: Io): Promise<TrainingJob__Output> {
  let last: TrainingJob__Output | undefined;
  for await (const m of stream<object, WatchTrainingJobResponse__Output>(target, clientOf('TrainingService', target), 'WatchTrainingJob', { name: id })) {
    last = m.job!;
    const p = last.progress;
    if (!p) continue;
    const val = Number.isFinite(p.validation_metric) ? ` val_${p.validation_metric_name} ${p.validation_metric.toFixed(4)}` : '';
    const loss = Number.isFinite(p.loss) ? ` loss ${p.loss.toFixed(4)}` : '';
    progressLine(io, p.fraction, `${p.phase} epoch ${p.epoch}/${p.epochs} step ${p.step}/${p.steps_per_epoch}${loss}${val} ${Math.round(p.examples_per_second)} ex/s ETA ${p.phase === 'training' ? eta(p.eta_seconds) : '-'}`);
  }
  if (io.tty) io.err('\n');
  if (!last) throw new Error(`no updates for job ${id}`);
  return last;
}

function hyper(args: Args) {
  const hidden = list(args, 'hidden').map(Number);
  if (hidden.some((h) => !Number.isInteger(h) || h <= 0)) throw new UsageError(`--hidden: "${list(args, 'hidden').join(',')}" is not a list of positive whole numbers`);
  return {
    epochs: num(args, 'epochs') ?? 0, batch_size: num(args, 'batch-size') ?? 0, learning_rate: num(args, 'lr') ?? 0, hidden,
    vector_dim: num(args, 'vector-dim') ?? 0, cat_dim: num(args, 'cat-dim') ?? 0, grl_lambda: num(args, 'grl-lambda') ?? 0, workers: num(args, 'workers') ?? 0,
    ...(num(args, 'patience') !== undefined ? { patience: num(args, 'patience') } : {}),
    ...(num(args, 'negatives') !== undefined ? { negatives: num(args, 'negatives') } : {}),
  };
}

export const commands: Command[] = [
  {
    name: 'train',
    summary: 'Train a model version on a dataset as a job (returns at once; --follow shows progress until it ends).',
    usage: '[<model>]',
    flags: {
      model: { type: 'string', description: 'The model to register the version under (or the first positional).', placeholder: 'MODEL' },
      name: { type: 'string', description: 'The new version\'s name (e.g. prod-wtg-2).', placeholder: 'NAME' },
      dataset: { type: 'string', description: 'The dataset id; it carries the label.', placeholder: 'ID' },
      arch: { type: 'string', description: 'two-tower-base | two-tower-mod | two-tower-grl | modified-two-tower.', placeholder: 'ARCH' },
      task: { type: 'string', description: 'binary | regression (default: the dataset\'s).', placeholder: 'TASK' },
      epochs: { type: 'number', description: 'Passes over the training rows (default 5).' },
      'batch-size': { type: 'number', description: 'Examples per step (default 1024).' },
      lr: { type: 'number', description: 'Adam learning rate (default 0.001).' },
      seed: { type: 'number', description: 'Random seed (default 42).' },
      seeds: { type: 'number', description: 'Train N seeds: versions NAME, NAME-s2 ... NAME-sN with seeds SEED, SEED+1, ..., tagged seed_group=NAME (default 1, at most 20).', placeholder: 'N' },
      hidden: { type: 'list', description: 'Tower hidden widths, comma-separated (default 256,128).' },
      'vector-dim': { type: 'number', description: 'User/item vector width (default 64).' },
      'cat-dim': { type: 'number', description: 'Categorical embedding width (default 8).' },
      'grl-lambda': { type: 'number', description: 'Weight of the adversarial length loss of two-tower-grl (default 1).' },
      workers: { type: 'number', description: 'Worker threads (default: cores, at most 2).' },
      patience: { type: 'number', description: 'Early stopping on the validation part: epochs without improvement before stopping, keeping the best epoch (default 2; 0 = off).', placeholder: 'N' },
      negatives: { type: 'number', description: 'Sampled catalog negatives per training row: items the user did not view, added with the lowest label (default 0 = none; see docs/training.md).', placeholder: 'K' },
      follow: { type: 'boolean', description: 'Show progress until the job ends; exit non-zero if it fails.' },
    },
    async run(args, io) {
      const model = args.positional[0] ?? str(args, 'model');
      if (!model) throw new UsageError('give the model: modelops train <model> --name NAME --dataset ID --arch ARCH');
      for (const f of ['name', 'dataset', 'arch']) if (!str(args, f)) throw new UsageError(`--${f} is required`);
      const seed = num(args, 'seed');
      const seeds = num(args, 'seeds');
      if (seeds !== undefined && (!Number.isInteger(seeds) || seeds < 1 || seeds > 20)) throw new UsageError(`--seeds: ${seeds} is not a whole number from 1 to 20`);
      const target = targetOf(args);
      const res = await call<object, StartTrainingJobResponse__Output>(target, clientOf('TrainingService', target), 'StartTrainingJob', {
        model, version_name: str(args, 'name'), dataset_id: str(args, 'dataset'), arch: str(args, 'arch'), task: str(args, 'task') ?? '',
        hyperparameters: hyper(args), ...(seed !== undefined ? { seed } : {}), ...(seeds !== undefined ? { seeds } : {}),
      });
      let jobs = res.jobs.length ? res.jobs : [res.job!];
      if (args.flags.follow) {
        const done: TrainingJob__Output[] = [];
        for (const [i, j] of jobs.entries()) {
          if (jobs.length > 1) io.err(`seed ${i + 1}/${jobs.length}: ${j.version_name} (seed ${j.seed})\n`);
          done.push(await follow(target, j.id, io));
        }
        jobs = done;
      }
      const outs = jobs.map(plainJob);
      // One job prints as before ({ job }); a seed group adds every job ({ job, jobs }).
      emit(io, jobs.length > 1 ? { job: outs[0], jobs: outs } : { job: outs[0] }, () => {
        if (jobs.length === 1) io.out(fields(outs[0] as Record<string, unknown>));
        else for (const o of outs) io.out(`${o!.id}  ${o!.version_name}  seed ${o!.seed}  ${o!.state}${o!.error ? `  ${o!.error}` : ''}`);
        if (jobs.length > 1) io.out(`\nseed group ${jobs[0].seed_group}: evaluate it with: modelops evaluate ${model} --group ${jobs[0].seed_group} --baseline VERSION`);
        if (!args.flags.follow) io.out(`\nfollow it with: modelops jobs show ${jobs[0].id} --follow`);
      });
      const failed = args.flags.follow ? jobs.filter((j) => j.state !== 'TRAINING_JOB_STATE_SUCCEEDED') : [];
      for (const j of failed) io.err(`job ${j.id} ${j.state.replace('TRAINING_JOB_STATE_', '').toLowerCase()}${j.error ? `: ${j.error}` : ''}\n`);
      if (failed.length) return 1;
    },
  },
];
