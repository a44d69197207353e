// Deleting what is no longer needed: a model version, a dataset, an evaluation, each with its objects in the
// bucket. Every deletion follows one order: (1) in one transaction, look for what still uses the resource and
// refuse (FAILED_PRECONDITION naming each user) or delete its rows and append the audit event; (2) after the
// commit, delete its objects. No row ever references a deleted object; an object whose deletion fails is
// referenced by nothing and the garbage collection (garbage.ts) removes it later. A dry run does step (1)'s
// checks and lists the objects, and changes nothing.
import { failedPrecondition, notFound } from '../core/errors';
import type { ArtifactStore, ObjectInfo } from './artifact-store';
import type { Database } from './data-source';
import { queryOn, withTransaction, type Query } from './transaction';
import { versionPrefix } from './model-names';
import type { EvaluationRecord, EvaluationStore } from './evaluation-store';
import type { ModelVersion, VersionStore } from './version-store';
import { insertAudit, type NewAuditEvent } from './audit-log';
import type { ModelLock } from './alias-store';

/** What a deletion removed (or, in a dry run, would remove). */
export interface Deletion {
  /** The object keys under the resource's prefixes. */
  objectKeys: string[];
  /** Their bytes. */
  objectBytes: number;
  /** True when nothing was changed. */
  dryRun: boolean;
  /** Keys whose deletion failed; nothing references them, so the garbage collection removes them later. */
  objectsLeft: string[];
}

/** The key prefix of a dataset's objects (ml/features/dataset.ts writes every one of them under it). */
export function datasetPrefix(id: string): string {
  return `datasets/${id}/`;
}

/** The key prefix of an evaluation's kept scores (registry/scores-store.ts). */
export function evaluationPrefix(id: string): string {
  return `evaluations/${id}/`;
}

/** Evaluation states in which an evaluation still reads its versions and dataset. */
const UNFINISHED_EVALUATIONS = ['pending', 'running'];
/** Training job states in which a job still reads its dataset. */
const UNFINISHED_JOBS = ['queued', 'running'];

/** The outcome of a deletion's checks: who still uses the resource, or the objects to delete. */
interface Checked {
  refused?: string[];
  objects: ObjectInfo[];
}

/** The registry stores a deletion reads and locks. */
export type RetentionStores = Pick<VersionStore, 'getVersion'> & Pick<EvaluationStore, 'getEvaluation'> & ModelLock;

/** Deletes versions, datasets and evaluations with their objects; see the file comment for the order. */
export class Retention {
  constructor(private readonly db: Database, private readonly artifacts: ArtifactStore, private readonly registry: RetentionStores) {}

  /**
   * Deletes a version that no alias and no active rollout (control, arm or shadow) uses and that no unfinished
   * evaluation reads, together with the evaluations of it as candidate; its number is never reused.
   */
  async deleteVersion(input: { model: string; version: string; actor: string; reason?: string; dryRun?: boolean }): Promise<Deletion & { version: ModelVersion; evaluationIds: string[] }> {
    const v = await this.registry.getVersion(input.model, input.version);
    const out = await this.registry.withModelLock(v.model, async (t): Promise<Checked & { evaluationIds: string[] }> => {
      const users = await versionUsers(t.query, v);
      if (users.length) return { refused: users, objects: [], evaluationIds: [] };
      const evals = await t.query<{ id: string }>('SELECT id FROM evaluations WHERE model = $1 AND candidate = $2 ORDER BY id', [v.model, v.number]);
      const evaluationIds = evals.map((e) => e.id);
      const objects = await this.objectsUnder([versionPrefix(v.model, v.number), ...evaluationIds.map(evaluationPrefix)]);
      if (!input.dryRun) {
        // The one path allowed to delete stored artifact keys (registry/migrations/17643060000000-retention.ts).
        await t.query(`SET LOCAL modelops.retention = 'on'`);
        await t.query('DELETE FROM evaluations WHERE model = $1 AND candidate = $2', [v.model, v.number]);
        await t.query('DELETE FROM version_tags WHERE model = $1 AND number = $2', [v.model, v.number]);
        await t.query('DELETE FROM model_versions WHERE model = $1 AND number = $2', [v.model, v.number]);
        await t.query('DELETE FROM artifact_reservations WHERE owner = $1', [versionPrefix(v.model, v.number).slice(0, -1)]);
        await t.audit({ action: 'version-delete', actor: input.actor, fromVersion: v.number, reason: input.reason ?? '',
          detail: { name: v.name, evaluations: evaluationIds, objects: objects.length, bytes: sumBytes(objects) } });
        await t.notify('version');
      }
      return { objects, evaluationIds };
    });
    if (out.refused) {
      await this.refuse({ model: v.model, action: 'version-delete', actor: input.actor, fromVersion: v.number, reason: input.reason ?? '',
        detail: { name: v.name, usedBy: out.refused } }, input.dryRun);
      throw failedPrecondition(`version "${v.name}" of model "${v.model}" is still used by ${out.refused.join('; ')}; ` +
        'free it first (move or delete the alias, stop the rollout, cancel the evaluation)');
    }
    return { version: v, evaluationIds: out.evaluationIds, ...(await this.finish(out.objects, input.dryRun)) };
  }

  /**
   * Deletes a dataset that no version was trained on, no gate policy names, and no unfinished training job or
   * evaluation reads; a dataset still building is refused too. Finished evaluations on it keep their reports.
   */
  async deleteDataset(input: { id: string; actor: string; reason?: string; dryRun?: boolean }): Promise<Deletion> {
    const out = await this.tx(async (q): Promise<Checked> => {
      const rows = await q<{ state: string }>('SELECT state FROM datasets WHERE id = $1 FOR UPDATE', [input.id]);
      if (rows.length === 0) throw notFound(`dataset "${input.id}" not found; see \`modelops data list\``);
      const users = await datasetUsers(q, input.id, rows[0].state);
      if (users.length) return { refused: users, objects: [] };
      const objects = await this.objectsUnder([datasetPrefix(input.id)]);
      if (!input.dryRun) {
        await q('DELETE FROM datasets WHERE id = $1', [input.id]);
        await insertAudit(q, { model: '', action: 'dataset-delete', actor: input.actor, reason: input.reason ?? '',
          detail: { dataset: input.id, objects: objects.length, bytes: sumBytes(objects) } });
      }
      return { objects };
    });
    if (out.refused) {
      await this.refuse({ model: '', action: 'dataset-delete', actor: input.actor, reason: input.reason ?? '',
        detail: { dataset: input.id, usedBy: out.refused } }, input.dryRun);
      throw failedPrecondition(`dataset "${input.id}" is still used by ${out.refused.join('; ')}; ` +
        'delete those versions, change the gate policy, or wait for (or cancel) the job or evaluation first');
    }
    return this.finish(out.objects, input.dryRun);
  }

  /** Deletes a finished (succeeded, failed or cancelled) evaluation and its kept scores. */
  async deleteEvaluation(input: { id: string; actor: string; reason?: string; dryRun?: boolean }): Promise<Deletion & { evaluation: EvaluationRecord }> {
    const e = await this.registry.getEvaluation(input.id);
    const out = await this.registry.withModelLock(e.model, async (t): Promise<Checked> => {
      const rows = await t.query<{ state: string }>('SELECT state FROM evaluations WHERE id = $1 FOR UPDATE', [e.id]);
      if (rows.length === 0) throw notFound(`evaluation "${e.id}" not found; list a model's evaluations with \`modelops evaluations list <model>\``);
      if (UNFINISHED_EVALUATIONS.includes(rows[0].state.toLowerCase())) return { refused: [`its own run (state ${rows[0].state})`], objects: [] };
      const objects = await this.objectsUnder([evaluationPrefix(e.id)]);
      if (!input.dryRun) {
        await t.query('DELETE FROM evaluations WHERE id = $1', [e.id]);
        await t.audit({ action: 'evaluation-delete', actor: input.actor, toVersion: e.candidate, reason: input.reason ?? '',
          detail: { evaluation: e.id, baseline: e.baseline, dataset: e.datasetId, objects: objects.length, bytes: sumBytes(objects) } });
      }
      return { objects };
    });
    if (out.refused) {
      await this.refuse({ model: e.model, action: 'evaluation-delete', actor: input.actor, toVersion: e.candidate, reason: input.reason ?? '',
        detail: { evaluation: e.id, usedBy: out.refused } }, input.dryRun);
      throw failedPrecondition(`evaluation ${e.id} is still running; cancel it first: \`modelops evaluations cancel ${e.id}\``);
    }
    return { evaluation: e, ...(await this.finish(out.objects, input.dryRun)) };
  }

  /** Every object under the prefixes. */
  private async objectsUnder(prefixes: string[]): Promise<ObjectInfo[]> {
    const all: ObjectInfo[] = [];
    for (const p of prefixes) all.push(...await this.artifacts.listObjects(p));
    return all;
  }

  /** Deletes the objects (unless a dry run) and reports them. */
  private async finish(objects: ObjectInfo[], dryRun = false): Promise<Deletion> {
    const objectsLeft: string[] = [];
    if (!dryRun) {
      for (const o of objects) await this.artifacts.remove(o.key).catch(() => { objectsLeft.push(o.key); });
    }
    return { objectKeys: objects.map((o) => o.key), objectBytes: sumBytes(objects), dryRun, objectsLeft };
  }

  /** Audits a refused deletion (not a dry run's: it changes nothing and asks nothing). */
  private async refuse(e: NewAuditEvent, dryRun = false): Promise<void> {
    if (!dryRun) await insertAudit(queryOn(this.db.pool), { ...e, outcome: 'refused' });
  }

  private tx<T>(fn: (q: Query) => Promise<T>): Promise<T> {
    return withTransaction(this.db.pool, (c) => fn(queryOn(c)));
  }
}

function sumBytes(objects: ObjectInfo[]): number {
  return objects.reduce((s, o) => s + o.size, 0);
}

/** What uses a version now: its aliases, the active rollout, unfinished evaluations that score it. */
async function versionUsers(q: Query, v: ModelVersion): Promise<string[]> {
  const users: string[] = [];
  const aliases = await q<{ alias: string }>('SELECT alias FROM model_aliases WHERE model = $1 AND number = $2 ORDER BY alias', [v.model, v.number]);
  for (const a of aliases) users.push(`alias "${a.alias}"`);
  const rollouts = await q<{ id: string; control_number: number; arms: { number: number }[]; shadow: { number: number }[] }>(
    `SELECT id, control_number, arms, shadow FROM rollouts WHERE model = $1 AND state = 'active'`, [v.model]);
  for (const r of rollouts) {
    if (r.control_number === v.number || r.arms.some((a) => a.number === v.number)) users.push(`active rollout ${r.id} (arm)`);
    else if (r.shadow.some((s) => s.number === v.number)) users.push(`active rollout ${r.id} (shadow)`);
  }
  const evals = await q<{ id: string; state: string }>(
    `SELECT id, state FROM evaluations WHERE model = $1 AND (candidate = $2 OR baseline = $2) AND lower(state) = ANY($3::text[]) ORDER BY id`,
    [v.model, v.number, UNFINISHED_EVALUATIONS]);
  for (const e of evals) users.push(`evaluation ${e.id} (${e.state})`);
  return users;
}

/** What uses a dataset now: versions trained on it, gate policies naming it, unfinished jobs and evaluations. */
async function datasetUsers(q: Query, id: string, state: string): Promise<string[]> {
  const users: string[] = [];
  if (state === 'building') users.push('its own build (state building)');
  const bare = `regexp_replace(dataset_id, '^datasets/', '') = $1`;
  const versions = await q<{ model: string; name: string }>(`SELECT model, name FROM model_versions WHERE ${bare} ORDER BY model, number`, [id]);
  for (const v of versions) users.push(`version "${v.name}" of model "${v.model}"`);
  const policies = await q<{ model: string }>(`SELECT model FROM gate_policies WHERE regexp_replace(policy->>'datasetId', '^datasets/', '') = $1 ORDER BY model`, [id]);
  for (const p of policies) users.push(`the gate policy of model "${p.model}"`);
  const jobs = await q<{ id: string; state: string }>(`SELECT id, state FROM training_jobs WHERE ${bare} AND state = ANY($2::text[]) ORDER BY id`, [id, UNFINISHED_JOBS]);
  for (const j of jobs) users.push(`training job ${j.id} (${j.state})`);
  const evals = await q<{ id: string; state: string }>(`SELECT id, state FROM evaluations WHERE ${bare} AND lower(state) = ANY($2::text[]) ORDER BY id`, [id, UNFINISHED_EVALUATIONS]);
  for (const e of evals) users.push(`evaluation ${e.id} (${e.state})`);
  return users;
}

