// Provenance <-> proto: the one encoder of the Provenance message that versions, evaluations and experiments share.
import type { Provenance as ProvenanceMsg } from '../../proto/gen/modelops/v1/Provenance';
import type { Provenance } from '../../core/provenance';

/** Encodes stored provenance; null (a resource made before provenance was recorded) encodes as unset. */
export function provenanceMsg(p: Provenance | null | undefined): ProvenanceMsg | null {
  if (!p) return null;
  return {
    code_version: p.code_version ?? '', git_commit: p.git_commit ?? '', git_dirty: !!p.git_dirty, dataset_ids: p.dataset_ids ?? [],
    seeds: p.seeds ?? [], spec_json: p.spec === undefined ? '' : JSON.stringify(p.spec),
  };
}
