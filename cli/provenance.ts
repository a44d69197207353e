// Provenance as the CLI shows it: the decoded message for --json, and a few lines for people.
import type { Provenance__Output } from '../proto/gen/modelops/v1/Provenance';

/** The provenance for --json (spec decoded); null when the resource recorded none. */
export function plainProvenance(p: Provenance__Output | null | undefined) {
  if (!p) return null;
  let spec: unknown = null;
  try {
    spec = p.spec_json ? JSON.parse(p.spec_json) : null;
  } catch {
    spec = p.spec_json;
  }
  return { code_version: p.code_version, git_commit: p.git_commit || null, git_dirty: p.git_dirty, dataset_ids: p.dataset_ids, seeds: p.seeds, spec };
}

/** The provenance block of `versions show` and `evaluations show`. */
export function provenanceText(p: ReturnType<typeof plainProvenance>): string {
  if (!p) return '\nprovenance: none recorded (made before provenance was recorded, or not trained by the platform)';
  const code = `modelops ${p.code_version || '?'}${p.git_commit ? ` @ ${p.git_commit.slice(0, 12)}${p.git_dirty ? ' (uncommitted changes)' : ''}` : ' (git commit unknown)'}`;
  return ['\nprovenance:', `  code      ${code}`, `  datasets  ${p.dataset_ids.join(', ') || '-'}`, `  seeds     ${p.seeds.join(', ') || '-'}`,
    `  spec      ${JSON.stringify(p.spec)}`].join('\n');
}
