// Which registered versions Score can serve. Serving runs the two-tower runtime (services/scoring/serving-artifacts.ts
// reads SERVING_FILES, serving-version.ts opens them in OnnxModel), so production and every rollout arm must be a
// two-tower version; promotion and rollouts ask `servingRefusal` before they move traffic, so the rule lives here
// and nowhere else.

/** The artifacts Score loads from a version; a version without any of them cannot take traffic. */
export const SERVING_FILES = ['user_tower.onnx', 'item_tower.onnx', 'model.json'] as const;

/** The part of a registered version the rule reads (ml/ does not import the registry). */
export interface ServableVersion {
  /** The version's name, for the message. */
  name: string;
  /** `trained` or `external` (an ONNX graph registered from another tool). */
  source: string;
  /** The architecture recorded at registration (`external-onnx` for external models). */
  arch: string;
  /** The stored files of the version. */
  artifacts: readonly { name: string }[];
}

/**
 * Why Score cannot serve a version (a sentence that says what to do instead), or undefined when it can.
 * External models are one ONNX graph with their own signature and no towers, so they are refused here; a
 * trained version is judged by the load check that runs before it takes traffic.
 */
export function servingRefusal(v: ServableVersion): string | undefined {
  if (v.source === 'external' || v.arch === 'external-onnx') {
    const files = v.artifacts.map((a) => a.name).filter((n) => n !== 'manifest.json').join(', ') || 'no model files';
    return `version ${v.name} is an external model (a single ONNX graph: ${files}): Score serves only two-tower versions with `
      + `${SERVING_FILES.join(', ')}; keep it for offline evaluation or register a two-tower export`;
  }
  return undefined;
}
