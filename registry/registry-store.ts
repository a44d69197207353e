// The registry as one object: models, versions, aliases and the per-model lock, the audit log, gate policies,
// evaluation records and artifact orphans, each its own store behind its own interface (model-store.ts,
// version-store.ts, alias-store.ts, audit-log.ts, gate-policy-store.ts, evaluation-store.ts,
// artifact-reservations.ts). Built once per process by the composition root; a caller that needs one part
// takes that part's interface, and this class only forwards.
import type { Database } from './data-source';
import type { ArtifactStore } from './artifact-store';
import { PgModelStore, type Model, type ModelStore } from './model-store';
import { PgVersionStore, type ModelVersion, type RegisterVersionInput, type VersionStore } from './version-store';
import { PgAliasStore, type AliasInfo, type AliasStore, type ModelLock, type ModelTx } from './alias-store';
import { PgAuditLog, type AuditEvent, type AuditLog, type NewAuditEvent } from './audit-log';
import { PgGatePolicyStore, type GatePolicyStore, type StoredGatePolicy } from './gate-policy-store';
import {
  PgEvaluationStore, type CompletedEvaluation, type EvaluationRecord, type EvaluationStore, type GateEvaluationQuery,
} from './evaluation-store';
import { ArtifactReservations, type OrphanArtifacts, type OrphanKey } from './artifact-reservations';
import type { Query } from './transaction';

/** Every registry store in one object (see each interface for its members). */
export class RegistryStore implements ModelStore, VersionStore, AliasStore, ModelLock, AuditLog, GatePolicyStore, EvaluationStore,
  OrphanArtifacts {
  /** The parts, for a caller that passes one of them on. */
  readonly models: ModelStore;
  readonly versions: VersionStore;
  readonly aliases: AliasStore & ModelLock;
  readonly audit: AuditLog;
  readonly gatePolicies: GatePolicyStore;
  readonly evaluations: EvaluationStore;
  readonly reservations: ArtifactReservations;

  constructor(db: Database, artifacts: ArtifactStore) {
    this.models = new PgModelStore(db);
    this.reservations = new ArtifactReservations(db, artifacts);
    this.versions = new PgVersionStore(db, artifacts, this.models, this.reservations);
    this.aliases = new PgAliasStore(db, this.versions);
    this.audit = new PgAuditLog(db, this.models);
    this.gatePolicies = new PgGatePolicyStore(db, this.models, this.aliases);
    this.evaluations = new PgEvaluationStore(db);
  }

  createModel(input: { id: string; description?: string; createdBy: string }): Promise<Model> { return this.models.createModel(input); }
  getModel(id: string): Promise<Model> { return this.models.getModel(id); }
  listModels(opts: { after?: string; limit: number }): Promise<Model[]> { return this.models.listModels(opts); }

  registerVersion(input: RegisterVersionInput): Promise<ModelVersion> { return this.versions.registerVersion(input); }
  getVersion(model: string, nameOrNumber: string | number): Promise<ModelVersion> { return this.versions.getVersion(model, nameOrNumber); }
  listVersions(model: string, opts: { before?: number; limit: number }): Promise<ModelVersion[]> { return this.versions.listVersions(model, opts); }
  versionsTagged(model: string, key: string, value: string): Promise<ModelVersion[]> { return this.versions.versionsTagged(model, key, value); }
  loadArtifact(v: ModelVersion, name: string): Promise<Buffer> { return this.versions.loadArtifact(v, name); }
  loadAll(v: ModelVersion): Promise<Record<string, Buffer>> { return this.versions.loadAll(v); }

  orphans(olderThanMs?: number): Promise<OrphanKey[]> { return this.reservations.orphans(olderThanMs); }
  cleanupOrphans(olderThanMs?: number): Promise<string[]> { return this.reservations.cleanupOrphans(olderThanMs); }

  resolveAlias(model: string, alias: string): Promise<ModelVersion | undefined> { return this.aliases.resolveAlias(model, alias); }
  listAliases(model: string): Promise<AliasInfo[]> { return this.aliases.listAliases(model); }
  aliasesOf(models: string[]): Promise<Map<string, AliasInfo[]>> { return this.aliases.aliasesOf(models); }
  withModelLock<T>(model: string, fn: (tx: ModelTx) => Promise<T>): Promise<T> { return this.aliases.withModelLock(model, fn); }

  appendAudit(e: NewAuditEvent): Promise<void> { return this.audit.appendAudit(e); }
  listAudit(model: string, opts: { before?: string; limit: number; actions?: string[] }): Promise<AuditEvent[]> { return this.audit.listAudit(model, opts); }

  getGatePolicy(model: string): Promise<StoredGatePolicy | undefined> { return this.gatePolicies.getGatePolicy(model); }
  setGatePolicy(model: string, policy: Record<string, unknown>, actor: string): Promise<StoredGatePolicy> {
    return this.gatePolicies.setGatePolicy(model, policy, actor);
  }

  saveEvaluation(e: EvaluationRecord): Promise<void> { return this.evaluations.saveEvaluation(e); }
  getEvaluation(id: string): Promise<EvaluationRecord> { return this.evaluations.getEvaluation(id); }
  listEvaluations(model: string, filter: { candidate?: number; state?: string },
    page: { after?: [string, string]; limit: number }): Promise<EvaluationRecord[]> { return this.evaluations.listEvaluations(model, filter, page); }
  latestCompletedEvaluation(model: string, candidate: number, baseline: number, via?: { query: Query }): Promise<CompletedEvaluation | undefined> {
    return this.evaluations.latestCompletedEvaluation(model, candidate, baseline, via);
  }
  latestGateEvaluation(model: string, q: GateEvaluationQuery, via?: { query: Query }): Promise<EvaluationRecord | undefined> {
    return this.evaluations.latestGateEvaluation(model, q, via);
  }
  datasetLabel(id: string): Promise<string | undefined> { return this.evaluations.datasetLabel(id); }
}
