// What serving reads of a registered version: the files its runtime needs (the towers, the head, model.json and
// the item vectors, each verified against its recorded sha256 by the version source) and the parts of model.json
// it uses. A version that lacks a file or whose model.json does not parse fails here, before any session opens.
import { layoutFor, type FeatureLayout } from '../../ml/features/layout';
import { SERVING_FILES } from '../../ml/model/servable';
import type { VersionRef, VersionSource } from './sources';

/** The parts of model.json that serving reads. */
export interface ServingMeta {
  layout: FeatureLayout;
  /** The market time zone of the model's data (hour/day of a request default to "now" there). */
  timezone: string;
}

/** Reads model.json leniently: the layout, else a layout from its embedding dimension. */
export function servingMetaOf(json: Record<string, unknown>, fallbackTz = 'UTC'): ServingMeta {
  const layout = (json.layout ?? json.featureLayout) as FeatureLayout | undefined;
  const dim = Number(json.embeddingDim ?? json.embedding_dim ?? NaN);
  const resolved = layout && Array.isArray(layout.userCat) ? layout : Number.isFinite(dim) ? layoutFor(dim) : undefined;
  if (!resolved) throw new Error('model.json has no "layout" (nor "embeddingDim"); the version cannot be served');
  const tz = (json.timezone ?? (json.dataset as { timezone?: string } | undefined)?.timezone ?? fallbackTz) as string;
  return { layout: resolved, timezone: tz };
}

/** A version's serving files by name, and its model.json read. */
export interface ServingArtifacts {
  files: Map<string, Buffer>;
  meta: ServingMeta;
}

/**
 * Reads the files serving needs of `ref` (every ONNX file, model.json, item_vectors.bin when present) and its
 * model.json; throws naming the version when a required file is missing or model.json is not JSON.
 */
export async function readServingArtifacts(ref: VersionRef, versions: VersionSource, defaultTimezone: string): Promise<ServingArtifacts> {
  const names = ref.artifacts.map((a) => a.name);
  for (const need of SERVING_FILES) {
    if (!names.includes(need)) throw new Error(`version ${ref.name} has no ${need}`);
  }
  const wanted = names.filter((n) => n.endsWith('.onnx') || n === 'model.json' || n === 'item_vectors.bin');
  const files = new Map<string, Buffer>();
  await Promise.all(wanted.map(async (n) => { files.set(n, await versions.loadArtifact(ref, n)); }));
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(files.get('model.json')!.toString('utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`model.json of ${ref.name} is not JSON: ${(err as Error).message}`);
  }
  return { files, meta: servingMetaOf(json, defaultTimezone) };
}
