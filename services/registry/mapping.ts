// Domain <-> proto for the RegistryService: the one place where registry objects become messages.
import { modelName, versionName } from '../../core/names';
import type { Model as ModelMsg } from '../../proto/gen/modelops/v1/Model';
import type { ModelVersion as VersionMsg } from '../../proto/gen/modelops/v1/ModelVersion';
import type { AuditEvent as AuditMsg } from '../../proto/gen/modelops/v1/AuditEvent';
import type { GatePolicy as PolicyMsg, GatePolicy__Output as PolicyIn } from '../../proto/gen/modelops/v1/GatePolicy';
import type { GateResult as GateMsg } from '../../proto/gen/modelops/v1/GateResult';
import type { ModelInputSpec__Output as SpecIn } from '../../proto/gen/modelops/v1/ModelInputSpec';
import type { AliasInfo } from '../../registry/alias-store';
import type { AuditEvent } from '../../registry/audit-log';
import type { InputSpec, ModelVersion } from '../../registry/version-store';
import type { Model } from '../../registry/model-store';
import type { GatePolicy, GateResult } from './promotion-gate';
import { invalid } from '../../core/errors';
import { toTimestamp } from '../common/timestamp';
import { provenanceMsg } from '../common/provenance';

/** Encodes a Timestamp (the shared encoder, under the name the registry's handlers use). */
export const timestamp = toTimestamp;

/** Encodes a model with its aliases. */
export function modelMsg(m: Model, aliases: AliasInfo[]): ModelMsg {
  return {
    name: modelName(m.id), id: m.id, description: m.description, created_by: m.createdBy, create_time: timestamp(m.createTime),
    aliases: aliases.map((a) => ({ alias: a.alias, version_number: a.number, version_name: a.versionName, updated_by: a.updatedBy,
      update_time: timestamp(a.updateTime) })),
  };
}

/** Encodes a version. */
export function versionMsg(v: ModelVersion): VersionMsg {
  return {
    name: versionName(v.model, v.number), model: v.model, number: v.number, version_name: v.name, arch: v.arch,
    task: v.task, label: v.label, buckets: v.buckets, dataset_id: v.datasetId, hyperparameters_json: JSON.stringify(v.hyperparameters),
    training_metrics: Object.fromEntries(Object.entries(v.trainingMetrics).filter(([, x]) => typeof x === 'number' && Number.isFinite(x))),
    parity_json: v.parity ? JSON.stringify(v.parity) : '', backend: v.backend, data_window: v.dataWindow,
    artifacts: v.artifacts.map((a) => ({ name: a.name, key: a.key, sha256: a.sha256, size: String(a.size) })),
    created_by: v.createdBy, create_time: timestamp(v.createTime), state: v.state, source: v.source,
    input_signature: (v.inputSignature ?? []).map((s) => ({ name: s.name, dtype: s.dtype, shape: s.shape.map((d) => String(typeof d === 'number' ? d : -1)) })),
    tags: v.tags, aliases: v.aliases, provenance: provenanceMsg(v.provenance),
  };
}

/** Encodes an audit event. */
export function auditMsg(e: AuditEvent): AuditMsg {
  return {
    id: e.id, model: e.model, action: e.action, actor: e.actor, alias: e.alias ?? '', from_version: e.fromVersion ?? 0,
    to_version: e.toVersion ?? 0, reason: e.reason, outcome: e.outcome, detail_json: e.detail ? JSON.stringify(e.detail) : '',
    time: timestamp(e.time),
  };
}

/** Encodes a gate policy (target and dataset empty when they follow the candidate). */
export function policyMsg(p: GatePolicy): PolicyMsg {
  return {
    include_overall: !!p.includeOverall, target: p.target ?? '', protocol: p.protocol ?? '', dataset_id: p.datasetId ?? '',
    must_beat: { names: [...(p.mustBeat ?? [])] }, min_seeds: p.minSeeds ?? 0,
    thresholds: p.thresholds.map((t) => ({
      metric: t.metric, lower_is_better: !!t.lowerIsBetter,
      ...(t.minValue !== undefined ? { min_value: t.minValue } : {}),
      ...(t.minAbsoluteChange !== undefined ? { min_absolute_change: t.minAbsoluteChange } : {}),
      ...(t.minRelativeChange !== undefined ? { min_relative_change: t.minRelativeChange } : {}),
    })),
  };
}

/** Decodes a gate policy (validated later by checkPolicy); an unset must_beat means the default baselines. */
export function policyFromMsg(p: PolicyIn | null | undefined): GatePolicy {
  if (!p) throw invalid('policy: required; give at least one threshold');
  return {
    includeOverall: p.include_overall,
    ...(p.target ? { target: p.target } : {}),
    ...(p.protocol ? { protocol: p.protocol as GatePolicy['protocol'] } : {}),
    ...(p.dataset_id ? { datasetId: p.dataset_id } : {}),
    ...(p.must_beat ? { mustBeat: p.must_beat.names as NonNullable<GatePolicy['mustBeat']> } : {}),
    ...(p.min_seeds ? { minSeeds: p.min_seeds } : {}),
    thresholds: p.thresholds.map((t) => ({
      metric: t.metric, ...(t.lower_is_better ? { lowerIsBetter: true } : {}),
      ...(t.min_value !== undefined ? { minValue: Number(t.min_value) } : {}),
      ...(t.min_absolute_change !== undefined ? { minAbsoluteChange: Number(t.min_absolute_change) } : {}),
      ...(t.min_relative_change !== undefined ? { minRelativeChange: Number(t.min_relative_change) } : {}),
    })),
  };
}

/** Encodes a gate result. */
export function gateMsg(g: GateResult | null): GateMsg | null {
  if (!g) return null;
  const opt = (k: string, x: number | null) => (x === null ? {} : { [k]: x });
  return {
    passed: g.passed, days: g.days, intervals: g.intervals, seeds: g.seeds, seed_group: g.seedGroup ?? '',
    checks: g.checks.map((c) => ({
      metric: c.metric, scope: c.scope, condition: c.condition, op: c.op, passed: c.passed, note: c.note ?? '', skipped: !!c.skipped,
      ...opt('candidate', c.candidate), ...opt('baseline', c.baseline), ...opt('threshold', c.threshold),
      ...(c.ci95 ? { ci95_low: c.ci95[0], ci95_high: c.ci95[1] } : {}),
    })),
  };
}

const DTYPES = ['float32', 'float64', 'int32', 'int64', 'int8', 'uint8', 'bool', 'string', 'float16'];

/** Decodes and checks a declared input signature. */
export function signatureFromMsg(specs: SpecIn[]): InputSpec[] {
  if (specs.length === 0) throw invalid('input_signature: declare at least one input (name, dtype, shape), e.g. --input x:float32:-1,16');
  const names = new Set<string>();
  return specs.map((s, i) => {
    if (!s.name) throw invalid(`input_signature[${i}].name: required`);
    if (names.has(s.name)) throw invalid(`input_signature: "${s.name}" is declared twice`);
    names.add(s.name);
    if (!DTYPES.includes(s.dtype)) throw invalid(`input_signature[${i}].dtype: "${s.dtype}" is not one of ${DTYPES.join(', ')}`);
    const shape = s.shape.map(Number);
    if (shape.some((d) => !Number.isInteger(d) || d < -1 || d === 0)) {
      throw invalid(`input_signature[${i}].shape: dimensions are positive integers, or -1 for a dynamic one`);
    }
    return { name: s.name, dtype: s.dtype, shape };
  });
}

/** Parses a JSON object field; empty means the fallback. */
export function jsonObject(field: string, text: string, fallback: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!text) return fallback;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw invalid(`${field}: not valid JSON; give a JSON object such as {"lr": 0.001}`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw invalid(`${field}: give a JSON object such as {"lr": 0.001}`);
  return v as Record<string, unknown>;
}
