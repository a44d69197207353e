// `modelops versions delete`, `data delete`, `evaluations delete` and `gc`: deleting what is no longer needed,
// with its objects in the bucket, and collecting objects that no row references (docs/registry.md, Retention).
import { bool, need, str, UsageError, type Args, type Command, type Io } from '../command';
import { call, clientOf, targetOf } from '../client';
import { emit, table } from '../output';
import { parseDuration } from '../../ml/rollout/progression';
import type { DeleteModelVersionResponse__Output } from '../../proto/gen/modelops/v1/DeleteModelVersionResponse';
import type { DeleteDatasetResponse__Output } from '../../proto/gen/modelops/v1/DeleteDatasetResponse';
import type { DeleteEvaluationResponse__Output } from '../../proto/gen/modelops/v1/DeleteEvaluationResponse';
import type { CollectGarbageResponse__Output } from '../../proto/gen/modelops/v1/CollectGarbageResponse';

const deleteFlags = {
  reason: { type: 'string' as const, description: 'Why, for the audit log.', placeholder: 'TEXT' },
  'dry-run': { type: 'boolean' as const, description: 'Check and list what would be deleted; change nothing.' },
};

/** What every deletion answers about the bucket. */
interface DeletedObjects {
  object_keys: string[];
  object_bytes: string;
  dry_run: boolean;
  objects_left: string[];
}

/** The objects part of a deletion, for JSON and for the human line. */
function objectsOf(r: DeletedObjects) {
  return { objectKeys: r.object_keys, objectBytes: Number(r.object_bytes), dryRun: r.dry_run, objectsLeft: r.objects_left };
}

function summary(what: string, r: ReturnType<typeof objectsOf>, io: Io): void {
  const mb = (r.objectBytes / 1e6).toFixed(1);
  io.out(r.dryRun
    ? `would delete ${what} and ${r.objectKeys.length} objects (${mb} MB); nothing was changed (--dry-run)`
    : `deleted ${what} and ${r.objectKeys.length - r.objectsLeft.length} objects (${mb} MB)`);
  if (r.objectsLeft.length) io.out(`${r.objectsLeft.length} objects could not be deleted now; \`modelops gc\` removes them later: ${r.objectsLeft.join(', ')}`);
}

/**
 * A deletion of one resource named by its id (`data delete`, `evaluations delete`): the RPC with the reason and
 * --dry-run, answered with `json(r)` and the objects part, or a summary line naming `what(r)`.
 */
function deleteById<R extends DeletedObjects>(c: { name: string; summary: string; id: string; service: 'FeatureService' | 'EvaluationService';
  method: string; json: (r: R) => object; what: (r: R) => string }): Command {
  return {
    name: c.name,
    summary: c.summary,
    usage: c.id,
    flags: deleteFlags,
    async run(args, io) {
      const name = need(args, 0, c.id, `${c.name} ${c.id}`);
      const target = targetOf(args);
      const r = await call<object, R>(target, clientOf(c.service, target), c.method, { name, reason: str(args, 'reason') ?? '', dry_run: bool(args, 'dry-run') });
      const o = objectsOf(r);
      emit(io, { ...c.json(r), ...o }, () => summary(c.what(r), o, io));
    },
  };
}

/** --grace in whole seconds (0, the server's default of 1 h, when the flag is absent). */
function graceSeconds(args: Args): number {
  const text = str(args, 'grace');
  if (text === undefined) return 0;
  try {
    return Math.ceil(parseDuration(text) / 1000);
  } catch (err) {
    throw new UsageError(`--grace: ${(err as Error).message}`);
  }
}

/** The CLI commands of retention (found by folder by cli/main.ts). */
export const commands: Command[] = [
  {
    name: 'versions delete',
    summary: 'Delete a version no alias or active rollout uses, with its evaluations and objects (admin).',
    usage: '<model> <version-name-or-number>',
    flags: deleteFlags,
    async run(args, io) {
      const usage = 'versions delete <model> <version>';
      const model = need(args, 0, '<model>', usage);
      const version = need(args, 1, '<version>', usage);
      const target = targetOf(args);
      const r = await call<object, DeleteModelVersionResponse__Output>(target, clientOf('RegistryService', target), 'DeleteModelVersion',
        { model, version, reason: str(args, 'reason') ?? '', dry_run: bool(args, 'dry-run') });
      const o = objectsOf(r);
      emit(io, { model, version: r.version?.version_name, number: r.version?.number, evaluationIds: r.evaluation_ids, ...o },
        () => summary(`version "${r.version?.version_name}" of ${model} (number ${r.version?.number}), ${r.evaluation_ids.length} evaluations of it,`, o, io));
    },
  },
  deleteById<DeleteDatasetResponse__Output>({
    name: 'data delete', id: '<dataset-id>', service: 'FeatureService', method: 'DeleteDataset',
    summary: 'Delete a dataset no version, gate policy, job or running evaluation uses, with its objects (admin).',
    json: (r) => ({ dataset: r.dataset?.id }), what: (r) => `dataset ${r.dataset?.id}`,
  }),
  deleteById<DeleteEvaluationResponse__Output>({
    name: 'evaluations delete', id: '<evaluation-id>', service: 'EvaluationService', method: 'DeleteEvaluation',
    summary: 'Delete a finished evaluation and its kept scores (admin).',
    json: (r) => ({ evaluation: r.evaluation?.id, model: r.evaluation?.model }), what: (r) => `evaluation ${r.evaluation?.id}`,
  }),
  {
    name: 'gc',
    summary: 'Delete objects in the bucket that no row references and that are older than the grace period (admin).',
    flags: {
      grace: { type: 'string', description: 'Leave objects written within this time alone (default 1h), e.g. 1h, 30m, 10s.', placeholder: 'DURATION' },
      'dry-run': { type: 'boolean', description: 'List what would be deleted; delete nothing.' },
    },
    async run(args, io) {
      const target = targetOf(args);
      const r = await call<object, CollectGarbageResponse__Output>(target, clientOf('RegistryService', target), 'CollectGarbage',
        { grace_seconds: graceSeconds(args), dry_run: bool(args, 'dry-run') });
      const objects = r.objects.map((o) => ({ key: o.key, kind: o.kind, size: Number(o.size), lastModified: o.last_modified ? new Date(Number(o.last_modified.seconds) * 1000).toISOString() : '' }));
      const out = { count: Number(r.count), bytes: Number(r.bytes), scanned: Number(r.scanned), young: Number(r.young), graceSeconds: Number(r.grace_seconds),
        dryRun: r.dry_run, failed: r.failed, reservationsRemoved: Number(r.reservations_removed), objects };
      emit(io, out, () => {
        if (objects.length) io.out(table(objects, ['kind', 'key', 'size', 'lastModified']));
        io.out(`${out.dryRun ? 'would delete' : 'deleted'} ${out.count - out.failed.length} unreferenced objects (${(out.bytes / 1e6).toFixed(1)} MB) ` +
          `of ${out.scanned} looked at; ${out.young} unreferenced but younger than ${out.graceSeconds} s left alone` +
          `${out.dryRun ? ' (--dry-run: nothing deleted)' : ''}${out.reservationsRemoved ? `; ${out.reservationsRemoved} stale reservations removed` : ''}`);
        if (out.failed.length) io.out(`${out.failed.length} could not be deleted (the next gc retries): ${out.failed.join(', ')}`);
      });
    },
  },
];
