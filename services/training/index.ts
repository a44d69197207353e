// The TrainingService of `modelops serve`: thin handlers over services/training/service.ts.
import { trainingJobName } from '../../core/names';
import { loadProtos } from '../../proto/load';
import type { TrainingServiceHandlers } from '../../proto/gen/modelops/v1/TrainingService';
import type { TrainingJob as JobMsg } from '../../proto/gen/modelops/v1/TrainingJob';
import type { TrainingJobState as StateEnum } from '../../proto/gen/modelops/v1/TrainingJobState';
import type { ServiceFactory } from '../common/context';
import { serverStream, unary } from '../common/rpc';
import { decodePageToken, pageOf, pageSize } from '../common/paging';
import { RegistryStore } from '../../registry/registry-store';
import { toTimestamp as timestamp } from '../common/timestamp';
import { readVar } from '../../core/config';
import { JobStore, TERMINAL, type JobState, type TrainingJob } from './job-store';
import { JobRunner } from './job-runner';
import { jobId, TrainingService } from './service';

const STATE: Record<JobState, StateEnum> = {
  queued: 'TRAINING_JOB_STATE_QUEUED', running: 'TRAINING_JOB_STATE_RUNNING', succeeded: 'TRAINING_JOB_STATE_SUCCEEDED',
  failed: 'TRAINING_JOB_STATE_FAILED', cancelled: 'TRAINING_JOB_STATE_CANCELLED',
};

const num = (v: unknown, def = 0) => (typeof v === 'number' ? v : v === null ? NaN : def);

/** Encodes a job. */
export function toMsg(j: TrainingJob): JobMsg {
  const h = j.hyperparameters;
  const p = j.progress;
  const end = j.endTime ?? (j.state === 'running' ? new Date() : null);
  return {
    name: trainingJobName(j.id), id: j.id, model: j.model, version_name: j.versionName, dataset_id: j.datasetId, arch: j.arch, task: j.task,
    hyperparameters: { epochs: h.epochs, batch_size: h.batchSize, learning_rate: h.learningRate, hidden: h.hidden, vector_dim: h.vectorDim,
      cat_dim: h.catDim, grl_lambda: h.grlLambda, workers: h.workers, ...(h.patience !== undefined ? { patience: h.patience } : {}),
      ...(h.negatives ? { negatives: h.negatives } : {}) },
    seed: j.seed, state: STATE[j.state],
    progress: { epoch: num(p.epoch), epochs: num(p.epochs, h.epochs), step: num(p.step), steps_per_epoch: num(p.stepsPerEpoch), loss: num(p.loss, NaN),
      validation_metric_name: p.valMetricName ?? (j.task === 'binary' ? 'auc' : 'rmse'), validation_metric: num(p.valMetric, NaN),
      examples_per_second: num(p.examplesPerSec), eta_seconds: num(p.etaS, NaN), fraction: num(p.fraction), phase: p.phase ?? j.state,
      validation_note: p.validationNote ?? '' },
    metrics: j.metrics, backend: j.backend, version_number: j.versionNumber ?? 0, error: j.error, created_by: j.createdBy,
    create_time: timestamp(j.createTime), start_time: timestamp(j.startTime), end_time: timestamp(j.endTime),
    duration_seconds: j.startTime && end ? (end.getTime() - j.startTime.getTime()) / 1000 : 0, data_window: j.dataWindow,
    seed_group: j.seedGroup,
  };
}

export const create: ServiceFactory = (ctx) => {
  const env = { log: ctx.log, metrics: ctx.metrics };
  const store = new JobStore(ctx.db.pool, readVar('MODELOPS_TRAINING_QUEUE_MAX'));
  const registry = new RegistryStore(ctx.db, ctx.artifacts);
  const runner = new JobRunner(ctx.db, store, { artifacts: ctx.artifacts, registry, log: ctx.log.child({ service: 'training' }) },
    { concurrency: readVar('MODELOPS_TRAINING_CONCURRENCY'), pollMs: readVar('MODELOPS_TRAINING_POLL_MS') });
  const svc = new TrainingService(store, runner, registry, ctx.artifacts);

  const handlers: TrainingServiceHandlers = {
    StartTrainingJob: unary(env, 'StartTrainingJob', async (req, call) => {
      const h = req.hyperparameters;
      const jobs = await svc.startSeeds({
        model: req.model, versionName: req.version_name, datasetId: req.dataset_id, arch: req.arch, task: req.task,
        hyperparameters: { epochs: h?.epochs, batchSize: h?.batch_size, learningRate: h?.learning_rate, hidden: h?.hidden, vectorDim: h?.vector_dim,
          catDim: h?.cat_dim, grlLambda: h?.grl_lambda, workers: h?.workers, patience: h?.patience ?? undefined,
          negatives: h?.negatives ?? undefined },
        seed: req.seed, seeds: req.seeds, createdBy: call.principal.actor,
      });
      return { job: toMsg(jobs[0]), jobs: jobs.map(toMsg) };
    }),
    GetTrainingJob: unary(env, 'GetTrainingJob', async (req) => ({ job: toMsg(await svc.get(req.name)) })),
    ListTrainingJobs: unary(env, 'ListTrainingJobs', async (req) => {
      const size = pageSize(req.page_size);
      const scope = `trainingJobs:${req.model}`;
      const key = decodePageToken(req.page_token, scope) as [string, string] | undefined;
      const rows = await svc.list({ model: req.model || undefined, after: key, limit: size + 1 });
      const page = pageOf(rows, size, (j) => [j.createTime.toISOString(), j.id], scope);
      return { jobs: page.items.map(toMsg), next_page_token: page.nextPageToken };
    }),
    WatchTrainingJob: serverStream(env, 'WatchTrainingJob', async (req, send, call) => {
      const id = jobId(req.name);
      let last = '';
      for (;;) {
        const job = await svc.get(id);
        const stamp = `${job.updateTime.getTime()}:${job.state}`;
        if (stamp !== last) {
          last = stamp;
          await send({ job: toMsg(job) });
        }
        if (TERMINAL.includes(job.state) || call.cancelled()) return;
        await new Promise((r) => setTimeout(r, 300));
      }
    }),
    CancelTrainingJob: unary(env, 'CancelTrainingJob', async (req) => ({ job: toMsg(await svc.cancel(req.name)) })),
  };
  return {
    definition: loadProtos().v1.TrainingService.service,
    handlers,
    roles: { StartTrainingJob: 'operator', GetTrainingJob: 'reader', ListTrainingJobs: 'reader', WatchTrainingJob: 'reader', CancelTrainingJob: 'operator' },
    start: () => runner.start(),
    close: () => runner.close(),
  };
};
