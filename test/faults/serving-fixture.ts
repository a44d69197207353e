// Parts of the dependency-fault tests: a model that Score serves on the real platform (synthetic views through
// FeatureService, a version exported by the training exporter with precomputed item vectors, promoted), a
// Score load that records every call's outcome and time, and a poll that times how long an RPC takes to
// answer OK again.
import * as grpc from '@grpc/grpc-js';
import * as ort from 'onnxruntime-node';
import { call, clientOf, type TestPlatform } from '../helpers/platform';
import type { Target } from '../../cli/client';
import { layoutFor } from '../../ml/features/layout';
import { makeSpec } from '../../ml/model/spec';
import { Params } from '../../ml/model/params';
import { exportOnnx } from '../../ml/onnx/export';
import { modelMeta } from '../../ml/model/model-meta';
import { encodeItemVectors } from '../../ml/model/item-vectors';
import { OnlineFeatures } from '../../services/feature/online-features';
import { RegistryStore } from '../../registry/registry-store';
import { Promotions } from '../../services/registry/promotion';
import { PgOnlineFeatureStore } from '../../registry/online-feature-store';
import { PgEventSourceStore } from '../../registry/event-source-store';

const DIM = 4;

/** A served model: its users (known to the feature store) and the items whose vectors the version carries. */
export interface ServedModel {
  model: string;
  users: string[];
  items: string[];
  /** The files of a version with weights from `seed` (item vectors for `items` included). */
  files(seed: number): Promise<{ name: string; data: Buffer }[]>;
}

/** Fills the feature store with synthetic views and registers and promotes version `v1` of `model`. */
export async function serveModel(tp: TestPlatform, model: string): Promise<ServedModel> {
  const op = await tp.target('operator');
  await call(op, clientOf('FeatureService', op), 'GenerateEvents', { users: 20, items: 30, days: 2, seed: 5, dim: DIM, views_per_day: 4, source: 'syn' });
  const pool = tp.platform.ctx.db.pool;
  const users = (await pool.query<{ user_id: string }>("SELECT user_id FROM online_user_features WHERE source = 'syn' ORDER BY user_id LIMIT 4")).rows.map((r) => r.user_id);
  const items = (await pool.query<{ item_id: string }>("SELECT item_id FROM items WHERE source = 'syn' ORDER BY item_id LIMIT 20")).rows.map((r) => r.item_id);
  const layout = layoutFor(DIM);
  const online = new OnlineFeatures({ online: new PgOnlineFeatureStore(pool), sources: new PgEventSourceStore(pool) }, layout, { source: 'syn' });
  const rows = await online.itemRows(items, Date.now());
  const files = async (seed: number) => {
    const p = Params.init(makeSpec('two-tower-mod', 'binary', layout, { hidden: [8], dim: 8, catDim: 4, ageHidden: 4 }), seed);
    const out = exportOnnx(p);
    const s = await ort.InferenceSession.create(out['item_tower.onnx']);
    const iv = (await s.run({ item_cat: new ort.Tensor('int32', rows.batch.itemCat, [items.length, 1]),
      item_dense: new ort.Tensor('float32', rows.batch.itemDense, [items.length, layout.itemDenseDim]) })).item_vec.data as Float32Array;
    out['item_vectors.bin'] = encodeItemVectors(items, iv, 8);
    out['model.json'] = Buffer.from(JSON.stringify(modelMeta(p, {}, 'test', { id: 'ds-none', window: '', label: 'wtg', buckets: '', timezone: 'UTC' })));
    return Object.entries(out).map(([name, data]) => ({ name, data }));
  };
  const store = new RegistryStore(tp.platform.ctx.db, tp.platform.ctx.artifacts);
  await store.createModel({ id: model, createdBy: 'test' });
  await store.registerVersion({ model, name: 'v1', arch: 'two-tower-mod', task: 'binary', label: 'wtg', buckets: '', datasetId: 'ds-none',
    hyperparameters: {}, trainingMetrics: {}, parity: null, backend: 'test', dataWindow: '', files: await files(1), createdBy: 'test' });
  await new Promotions(store).promote({ model, version: 'v1', actor: 'test', force: true, reason: 'test' });
  return { model, users, items, files };
}

/** One Score call of a load: when it ended, its status, and the version that answered. */
export interface ScoreOutcome {
  at: number;
  code: number;
  details: string;
  version: string;
}

/** `concurrency` clients calling Score back to back (one user and the cached items each) until stop(). */
export class ScoreLoad {
  readonly outcomes: ScoreOutcome[] = [];
  private running = true;
  private readonly loops: Promise<void>[] = [];

  constructor(target: Target, served: ServedModel, concurrency = 4) {
    const client = clientOf('ScoringService', target);
    for (let k = 0; k < concurrency; k++) {
      const user = served.users[k % served.users.length];
      this.loops.push((async () => {
        while (this.running) {
          try {
            const res = await call<object, { version_name: string }>(target, client, 'Score',
              { model: served.model, user_id: user, item_ids: served.items, top_k: 5, context: { hod: 9, dow: 2 } });
            this.outcomes.push({ at: Date.now(), code: 0, details: '', version: res.version_name });
          } catch (err) {
            const e = err as grpc.ServiceError;
            this.outcomes.push({ at: Date.now(), code: e.code ?? -1, details: e.details ?? String(err), version: '' });
            await new Promise((r) => setTimeout(r, 20));
          }
        }
      })());
    }
  }

  /** The outcomes that ended in [from, to). */
  between(from: number, to: number): ScoreOutcome[] {
    return this.outcomes.filter((o) => o.at >= from && o.at < to);
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }
}

/** Calls `attempt` every 100 ms until it resolves; returns the milliseconds it took, or throws after `limitMs`. */
export async function untilOk(attempt: () => Promise<unknown>, limitMs: number, what: string): Promise<number> {
  const t0 = Date.now();
  let last: unknown;
  while (Date.now() - t0 < limitMs) {
    try {
      await attempt();
      return Date.now() - t0;
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${what}: still failing after ${limitMs} ms: ${(last as Error)?.message ?? last}`);
}
