// Integration harness of the scoring tests: the platform (real Postgres, real S3, registry store) plus a
// scoring gRPC server built by createScoring over that platform's stores, with the feature source the test
// chooses, and helpers to register, promote and roll back test versions through the registry.
import * as grpc from '@grpc/grpc-js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform';
import { Metrics } from '../../services/common/metrics';
import { MAX_RECEIVE_BYTES, MAX_SEND_BYTES, roleTable } from '../../services/server';
import { accessInterceptor } from '../../services/common/auth';
import { RegistryStore } from '../../registry/registry-store';
import type { ModelVersion } from '../../registry/version-store';
import { Promotions } from '../../services/registry/promotion';
import { createScoring, type ScoringDeps, type ScoringModule } from '../../services/scoring';
import type { FeatureLayout } from '../../ml/features/layout';
import { MemoryFeatures, TEST_LAYOUT, versionFiles } from './fixtures';

/** A running scoring test setup. */
export interface ScoringHarness {
  tp: TestPlatform;
  store: RegistryStore;
  promotions: Promotions;
  features: MemoryFeatures;
  scoring: ScoringModule;
  metrics: Metrics;
  /** host:port of the scoring server. */
  addr: string;
  /** Registers a test version of `model` (creating the model if needed). */
  register(model: string, name: string, seed: number, arch?: string): Promise<ModelVersion>;
  /** Moves production (forced: test versions have no evaluation). */
  promote(model: string, name: string): Promise<void>;
  rollback(model: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the platform (registry only) and a scoring server over it. */
export async function startScoringHarness(overrides: Partial<ScoringDeps> = {},
  opts: { layout?: FeatureLayout; dim?: number } = {}): Promise<ScoringHarness> {
  const layout = opts.layout ?? TEST_LAYOUT;
  const tp = await startTestPlatform({ services: ['registry'] });
  const ctx = tp.platform.ctx;
  const store = new RegistryStore(ctx.db, ctx.artifacts);
  const promotions = new Promotions(store);
  const features = new MemoryFeatures(layout);
  const metrics = new Metrics();
  const scoring = createScoring({ ...ctx, metrics }, {
    features: () => features, itemUniverse: () => [...features.items], recheckMs: 0, ...overrides,
  });
  // The same options and access interceptor as `modelops serve` (services/server.ts), so calls pay what they pay there.
  const server = new grpc.Server({
    'grpc.max_receive_message_length': MAX_RECEIVE_BYTES, 'grpc.max_send_message_length': MAX_SEND_BYTES,
    interceptors: [accessInterceptor({ roles: roleTable([scoring]), verifier: ctx.verifier, requireTokenForReads: false, log: ctx.log })],
  });
  server.addService(scoring.definition, scoring.handlers);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
  });
  await scoring.start?.();
  const models = new Set<string>();
  return {
    tp, store, promotions, features, scoring, metrics, addr: `127.0.0.1:${port}`,
    async register(model, name, seed, arch = 'two-tower-base') {
      if (!models.has(model)) {
        await store.createModel({ id: model, createdBy: 'test' }).catch((e: { code?: string }) => { if (e.code !== 'ALREADY_EXISTS') throw e; });
        models.add(model);
      }
      return store.registerVersion({
        model, name, arch, task: 'binary', label: 'wtg', buckets: 'equi-quantile:10', datasetId: 'ds-test', hyperparameters: {},
        trainingMetrics: {}, parity: null, backend: 'test', dataWindow: '', files: versionFiles({ seed, arch, layout, dim: opts.dim }), createdBy: 'test',
      });
    },
    async promote(model, name) {
      await promotions.promote({ model, version: name, actor: 'test', force: true, reason: 'test' });
    },
    async rollback(model) {
      await promotions.rollback({ model, actor: 'test', reason: 'test' });
    },
    async stop() {
      await new Promise<void>((r) => server.tryShutdown(() => r()));
      await scoring.close?.();
      await tp.stop();
    },
  };
}
