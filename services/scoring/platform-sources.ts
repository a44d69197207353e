// Adapters from the platform's stores to scoring's narrow interfaces (sources.ts): the registry store for
// versions, the rollout store and assignment for arms, the online feature store for rows, and the
// registry's change listener. Parts that other issues deliver (online features, rollout store, item-vector
// file format) are looked up at start, so that scoring runs (without that part) before they land.
import type { Logger } from 'pino';
import type { PlatformContext } from '../common/context';
import { RegistryStore, type ModelVersion } from '../../registry/registry-store';
import { listenChanges } from '../../registry/change-listener';
import type { FeatureLayout } from '../../ml/features/layout';
import type { ChangeSubscriber, FeatureSource, FeatureSourceFactory, RolloutPlan, RolloutSource, VersionRef, VersionSource } from './sources';

/** The registry store as a VersionSource. */
export function registryVersions(store: RegistryStore): VersionSource {
  return {
    async checkModel(model) { await store.getModel(model); },
    production: (model) => store.resolveAlias(model, 'production'),
    version: (model, v) => store.getVersion(model, v),
    // Refs handed out above are the store's ModelVersion objects.
    loadArtifact: (v: VersionRef, name) => store.loadArtifact(v as ModelVersion, name),
  };
}

function optionalModule<T>(path: string): T | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path) as T;
  } catch (err) {
    if ((err as { code?: string }).code === 'MODULE_NOT_FOUND' && String((err as Error).message).includes(path.split('/').pop()!)) return undefined;
    throw err;
  }
}

/** A feature source that knows nobody (used only when the online feature store is not installed). */
const NO_FEATURES = (layout: FeatureLayout): FeatureSource => {
  const empty = (n: number) => ({
    n, userCat: new Int32Array(n * layout.userCat.length), userDense: new Float32Array(n * layout.userDenseDim),
    itemCat: new Int32Array(n * layout.itemCat.length), itemDense: new Float32Array(n * layout.itemDenseDim), itemAge: new Float32Array(n),
  });
  return {
    async userRows(ids) { return { batch: empty(ids.length), found: ids.map(() => false) }; },
    async itemRows(ids) { return { batch: empty(ids.length), found: ids.map(() => false) }; },
  };
};

/** The online feature store (contract A) per layout, one instance per distinct layout. */
export function onlineFeatures(ctx: PlatformContext, log: Logger): FeatureSourceFactory {
  type Ctor = new (pool: unknown, layout: FeatureLayout) => FeatureSource;
  const mod = optionalModule<{ OnlineFeatures?: Ctor }>('../feature/online-features');
  const byLayout = new Map<string, FeatureSource>();
  if (!mod?.OnlineFeatures) log.warn('scoring: services/feature/online-features.ts is not installed; every user is cold-start and every item unknown');
  return (layout) => {
    const key = JSON.stringify(layout);
    let f = byLayout.get(key);
    if (!f) {
      f = mod?.OnlineFeatures ? new mod.OnlineFeatures(ctx.db.pool, layout) : NO_FEATURES(layout);
      byLayout.set(key, f);
    }
    return f;
  };
}

/** The ids of item_vectors.bin (the items the version was trained with), when its decoder is installed. */
export function itemUniverseFromArtifact(files: Map<string, Buffer>): string[] {
  const buf = files.get('item_vectors.bin');
  if (!buf) return [];
  const mod = optionalModule<{ decodeItemVectors?: (b: Buffer) => { ids: string[] } }>('../../ml/model/item-vectors');
  return mod?.decodeItemVectors ? mod.decodeItemVectors(buf).ids : [];
}

/** The active rollout of a model from the rollout store, with the rollout's own assignment function. */
export function storeRollouts(ctx: PlatformContext, log: Logger): RolloutSource {
  type Stored = { id: string; control: string; salt: string; arms: { version: string; number: number; weight: number }[] };
  type Store = { activeRollout?(model: string): Promise<Stored | undefined | null>; getActive?(model: string): Promise<Stored | undefined | null> };
  const storeMod = optionalModule<{ RolloutStore?: new (db: unknown) => Store }>('../../registry/rollout-store');
  const assignMod = optionalModule<{ compileAssignment?: (spec: { salt: string; arms: { version: string; weight: number }[]; control: string }) => (u: string) => string }>('../../ml/rollout/assignment');
  if (!storeMod?.RolloutStore || !assignMod?.compileAssignment) {
    log.warn('scoring: the rollout store is not installed; every call is served by production');
    return { active: async () => undefined };
  }
  const store = new storeMod.RolloutStore(ctx.db);
  const compile = assignMod.compileAssignment;
  const plans = new Map<string, { sig: string; plan: RolloutPlan }>();
  return {
    async active(model) {
      const r = await (store.activeRollout ?? store.getActive)!.call(store, model);
      if (!r) return undefined;
      const sig = JSON.stringify([r.id, r.salt, r.control, r.arms]);
      const cached = plans.get(model);
      if (cached && cached.sig === sig) return cached.plan;
      const assign = compile({ salt: r.salt, control: r.control, arms: r.arms.map((a) => ({ version: a.version, weight: a.weight })) });
      const plan: RolloutPlan = { id: r.id, arms: r.arms.map((a) => ({ name: a.version, version: a.number, weight: a.weight })), assign };
      plans.set(model, { sig, plan });
      return plan;
    },
  };
}

/** Subscribes to the registry's NOTIFY channel on the platform database. */
export function registryChanges(ctx: PlatformContext, log: Logger): ChangeSubscriber {
  return async (onChange) => {
    const l = listenChanges(ctx.db.url, onChange, { onError: (err) => log.warn({ err: err.message }, 'scoring: change listener reconnecting') });
    await l.ready;
    return () => l.close();
  };
}
