// Adapters from the platform's stores to scoring's narrow interfaces (sources.ts): the registry's model,
// version and alias stores for versions, the rollout store and assignment for arms, the online feature store for
// rows, and the registry's change listener. Each adapter takes only the store members it calls; the composition
// root (platformDeps in index.ts) hands them the process's stores.
import type { Logger } from 'pino';
import type { ModelStore } from '../../registry/model-store';
import type { ModelVersion, VersionStore } from '../../registry/version-store';
import type { AliasStore } from '../../registry/alias-store';
import { listenChanges } from '../../registry/change-listener';
import type { FeatureLayout } from '../../ml/features/layout';
import { loadDatasetMeta, type ArtifactReader } from '../../ml/features/dataset';
import { decodeItemVectors } from '../../ml/model/item-vectors';
import { compileAssignment } from '../../ml/rollout/assignment';
import type { RolloutStore } from '../../registry/rollout-store';
import { OnlineFeatures, type OnlineReadStores } from '../feature/online-features';
import { DomainError } from '../../core/errors';
import type { ChangeSubscriber, FeatureSource, FeatureSourceFactory, RolloutPlan, RolloutSource, VersionRef, VersionSource } from './sources';

/** The registry store members a VersionSource reads: the model check, production, a version and its artifacts. */
export type RegistryVersionStores = Pick<ModelStore, 'getModel'> & Pick<AliasStore, 'resolveAlias'> & Pick<VersionStore, 'getVersion' | 'loadArtifact'>;

/** The registry's stores as a VersionSource. */
export function registryVersions(store: RegistryVersionStores): VersionSource {
  return {
    async checkModel(model) { await store.getModel(model); },
    production: (model) => store.resolveAlias(model, 'production'),
    version: (model, v) => store.getVersion(model, v),
    // Refs handed out above are the store's ModelVersion objects.
    loadArtifact: (v: VersionRef, name) => store.loadArtifact(v as ModelVersion, name),
  };
}

/** A feature source that knows nobody: what an empty feature store answers. */
function nobody(layout: FeatureLayout): FeatureSource {
  const empty = (n: number) => ({
    n, userCat: new Int32Array(n * layout.userCat.length), userDense: new Float32Array(n * layout.userDenseDim),
    itemCat: new Int32Array(n * layout.itemCat.length), itemDense: new Float32Array(n * layout.itemDenseDim), itemAge: new Float32Array(n),
  });
  return {
    async userRows(ids, ctx) {
      const batch = empty(ids.length);
      ids.forEach((_, k) => { batch.userCat[k * layout.userCat.length] = ctx.hod; batch.userCat[k * layout.userCat.length + 1] = ctx.dow; });
      return { batch, found: ids.map(() => false) };
    },
    async itemRows(ids) { return { batch: empty(ids.length), found: ids.map(() => false) }; },
  };
}

/**
 * The online feature store (the Datasets seam's online side, docs/design.md) for a layout and an event source (the version's dataset's), one
 * instance per pair. An event store with no data yet knows nobody (cold-start users, unknown items) rather
 * than failing every call.
 */
export function onlineFeatures(stores: OnlineReadStores): FeatureSourceFactory {
  const cache = new Map<string, FeatureSource>();
  return (layout, source) => {
    const key = `${source ?? ''}\u0001${JSON.stringify(layout)}`;
    let f = cache.get(key);
    if (!f) {
      const online = new OnlineFeatures(stores, layout, { source });
      const empty = nobody(layout);
      const emptyStore = (err: unknown) => err instanceof DomainError && err.code === 'NOT_FOUND';
      f = {
        userRows: (ids, c) => online.userRows(ids, c).catch((err: unknown) => { if (emptyStore(err)) return empty.userRows(ids, c); throw err; }),
        itemRows: (ids, now) => online.itemRows(ids, now).catch((err: unknown) => { if (emptyStore(err)) return empty.itemRows(ids, now); throw err; }),
      };
      cache.set(key, f);
    }
    return f;
  };
}

/** The event source of a version's dataset (its features must come from the same market), if recorded. */
export async function datasetSource(artifacts: ArtifactReader, datasetId: string): Promise<string | undefined> {
  if (!datasetId) return undefined;
  try {
    return (await loadDatasetMeta(artifacts, datasetId)).spec.source || undefined;
  } catch {
    return undefined;
  }
}

/** The ids of item_vectors.bin: the items the version was trained with (the cache is built for them). */
export function itemUniverseFromArtifact(files: Map<string, Buffer>): string[] {
  const buf = files.get('item_vectors.bin');
  return buf ? decodeItemVectors(buf).ids : [];
}

/** The active rollout of a model from the rollout store, routed by the rollout's own assignment function. */
export function storeRollouts(store: Pick<RolloutStore, 'active'>): RolloutSource {
  const plans = new Map<string, { sig: string; plan: RolloutPlan }>();
  return {
    async active(model) {
      const r = await store.active(model);
      if (!r) return undefined;
      const sig = JSON.stringify([r.id, r.salt, r.control, r.arms, r.shadow, r.exploreShare]);
      const cached = plans.get(model);
      if (cached && cached.sig === sig) return cached.plan;
      const assign = compileAssignment({ salt: r.salt, control: r.control, arms: r.arms.map((a) => ({ version: a.version, weight: a.weight })) });
      const plan: RolloutPlan = {
        id: r.id, arms: r.arms.map((a) => ({ name: a.version, version: a.number, weight: a.weight })), assign,
        shadow: r.shadow.map((s) => ({ name: s.version, version: s.number })),
        ...(r.exploreShare > 0 ? { explore: { salt: r.salt, share: r.exploreShare } } : {}),
      };
      plans.set(model, { sig, plan });
      return plan;
    },
  };
}

/** Subscribes to the registry's NOTIFY channel on the platform database (at `databaseUrl`). */
export function registryChanges(databaseUrl: string, log: Logger): ChangeSubscriber {
  return async (onChange) => {
    const l = listenChanges(databaseUrl, onChange, { onError: (err) => log.warn({ err: err.message }, 'scoring: change listener reconnecting') });
    await l.ready;
    return () => l.close();
  };
}
