// Test fixtures for rollout tests: a model with registered versions and a production alias, written
// through the registry's own store (the registry's RPCs need real model files; rollouts need only rows).
import { RegistryStore } from '../../registry/registry-store';
import type { TestPlatform } from '../helpers/platform';

/** Creates `model` with versions named `names` (numbers 1..n) and points production at the first. */
export async function modelWithVersions(tp: TestPlatform, model: string, names: string[], production = names[0]): Promise<RegistryStore> {
  const reg = new RegistryStore(tp.platform.ctx.db, tp.platform.ctx.artifacts);
  await reg.createModel({ id: model, createdBy: 'test' });
  for (const name of names) {
    await reg.registerVersion({ model, name, arch: 'two-tower-base', task: 'binary', label: 'wtg', buckets: 'equi-quantile:10',
      datasetId: 'ds-test', hyperparameters: {}, trainingMetrics: {}, parity: null, backend: 'test', dataWindow: '',
      files: [{ name: 'model.json', data: Buffer.from(JSON.stringify({ name })) }], createdBy: 'test' });
  }
  if (production) {
    const v = await reg.getVersion(model, production);
    await reg.withModelLock(model, async (t) => { await t.setAlias('production', v.number, 'test'); });
  }
  return reg;
}
