// `modelops jobs list|show|cancel`: training jobs (TrainingService).
import { bool, need, str, type Command } from '../command';
import { call, clientOf, targetOf } from '../client';
import { emit, fields, table } from '../output';
import type { GetTrainingJobResponse__Output } from '../../proto/gen/modelops/v1/GetTrainingJobResponse';
import type { ListTrainingJobsResponse__Output } from '../../proto/gen/modelops/v1/ListTrainingJobsResponse';
import type { CancelTrainingJobResponse__Output } from '../../proto/gen/modelops/v1/CancelTrainingJobResponse';
import { follow, plainJob } from './train';
import { emitPage, pageFlags, pageOf } from '../paging';

export const commands: Command[] = [
  {
    name: 'jobs list',
    summary: 'List training jobs, newest first (optionally for one model).',
    flags: {
      model: { type: 'string', description: 'Only this model\'s jobs.', placeholder: 'MODEL' },
      ...pageFlags('Jobs'),
    },
    async run(args, io) {
      const target = targetOf(args);
      const res = await call<object, ListTrainingJobsResponse__Output>(target, clientOf('TrainingService', target), 'ListTrainingJobs',
        { model: str(args, 'model') ?? '', ...pageOf(args) });
      const rows = res.jobs.map(plainJob);
      emitPage(io, 'jobs', rows, res.next_page_token, () => {
        io.out(table(rows.map((r) => ({ ...r!, val: r![Object.keys(r!).find((k) => k.startsWith('val')) ?? 'val'] })) as Record<string, unknown>[],
          ['id', 'model', 'version_name', 'arch', 'task', 'state', 'epoch', 'loss', 'val', 'backend', 'version', 'created']));
      });
    },
  },
  {
    name: 'jobs show',
    summary: 'Show a training job (--follow: its progress until it ends).',
    usage: '<job-id>',
    flags: { follow: { type: 'boolean', description: 'Show progress until the job ends.' } },
    async run(args, io) {
      const id = need(args, 0, '<job-id>', 'jobs show <job-id>');
      const target = targetOf(args);
      const job = bool(args, 'follow') ? await follow(target, id, io)
        : (await call<object, GetTrainingJobResponse__Output>(target, clientOf('TrainingService', target), 'GetTrainingJob', { name: id })).job!;
      const out = plainJob(job);
      emit(io, { job: out }, () => io.out(fields(out as Record<string, unknown>)));
    },
  },
  {
    name: 'jobs cancel',
    summary: 'Cancel a queued or running training job.',
    usage: '<job-id>',
    async run(args, io) {
      const id = need(args, 0, '<job-id>', 'jobs cancel <job-id>');
      const target = targetOf(args);
      const res = await call<object, CancelTrainingJobResponse__Output>(target, clientOf('TrainingService', target), 'CancelTrainingJob', { name: id });
      const out = plainJob(res.job);
      emit(io, { job: out }, () => io.out(`job ${id}: ${out!.state}`));
    },
  },
];
