// An evaluation's record as the service stores and answers it: the protocols it ranks, the parameters kept in
// its params column, the view every read returns (defaults for records made before a field existed), and when a
// pending or running record belongs to a process that died.
import type { EvaluationRecord } from '../../registry/evaluation-store';
import type { KeptScores } from '../../registry/scores-store';
import { DEFAULT_KS } from '../../ml/metrics/definitions';
import type { Provenance } from '../../core/provenance';

/** An evaluation whose record has not changed for this long while pending/running belongs to a dead process. */
const STALE_MS = 5 * 60 * 1000;

/** Which lists an evaluation ranks. */
export type Protocol = 'viewed' | 'catalog' | 'both';

/** The protocols a Protocol value names. */
export function protocolsOf(p: Protocol): ('viewed' | 'catalog')[] {
  return p === 'both' ? ['viewed', 'catalog'] : [p];
}

/** Parameters stored with an evaluation (params column). */
export interface EvaluationParams {
  candidateName: string;
  baselineName: string;
  ks: number[];
  resamples: number;
  phase: string;
  /** viewed | catalog | both; absent on evaluations made before protocols existed (= viewed). */
  protocol: Protocol;
  /** The protocols whose scores were asked to be kept. */
  keepScores: Protocol;
  /** The kept scores per protocol (artifact parts), once the evaluation succeeded. */
  exports?: Partial<Record<'viewed' | 'catalog', KeptScores>>;
  /** The candidate seed group of a group evaluation. */
  group?: string;
  /** The baseline seed group of a group evaluation (absent when the baseline is one version). */
  baselineGroup?: string;
  /** The per-seed evaluations a group evaluation pools, in seed order. */
  members?: string[];
  /** What the evaluation was made from (absent on evaluations made before it was recorded). */
  provenance?: Provenance;
}

/** An evaluation as the service returns it. */
export interface EvaluationView extends EvaluationRecord {
  params: EvaluationParams & Record<string, unknown>;
}

/** The view of a stored record: its params with their defaults; an abandoned one reads as failed. */
export function evaluationView(r: EvaluationRecord): EvaluationView {
  const p = (r.params ?? {}) as Partial<EvaluationParams>;
  if (isAbandoned(r)) r = { ...r, state: 'failed', error: 'the server running this evaluation stopped before it finished; start it again' };
  return { ...r, params: { candidateName: p.candidateName ?? String(r.candidate), baselineName: p.baselineName ?? (r.baseline ? String(r.baseline) : ''),
    ks: p.ks ?? DEFAULT_KS, resamples: p.resamples ?? 1000, phase: p.phase ?? '', protocol: p.protocol ?? 'viewed', keepScores: p.keepScores ?? 'viewed',
    ...(p.exports ? { exports: p.exports } : {}), ...(p.group ? { group: p.group, members: p.members ?? [] } : {}),
    ...(p.baselineGroup ? { baselineGroup: p.baselineGroup } : {}), ...(p.provenance ? { provenance: p.provenance } : {}) } };
}

/** True when a pending/running evaluation has not been updated for STALE_MS (its process died). */
export function isAbandoned(e: EvaluationRecord, now = Date.now()): boolean {
  return (e.state === 'pending' || e.state === 'running') && !!e.updateTime && now - e.updateTime.getTime() > STALE_MS;
}
