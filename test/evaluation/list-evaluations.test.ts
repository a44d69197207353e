// ListEvaluations through real gRPC and Postgres: newest first, paged with opaque tokens bound to the listing
// (model and version filter), also across rows created within one millisecond.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform, clientOf, call, rpcError, grpc } from '../helpers/platform';
import { RegistryStore } from '../../registry/registry-store';

test('ListEvaluations pages newest first; tokens are opaque and bound to the filters', async () => {
  const tp = await startTestPlatform({ services: ['evaluation'] });
  try {
    const store = new RegistryStore(tp.platform.ctx.db, tp.platform.ctx.artifacts);
    await store.createModel({ id: 'm', createdBy: 'test' });
    for (const name of ['a', 'b']) {
      await store.registerVersion({ model: 'm', name, arch: 'two-tower-base', task: 'binary', label: 'wtg', buckets: 'equi-quantile:10',
        datasetId: 'ds', hyperparameters: {}, trainingMetrics: {}, parity: null, backend: 'test', dataWindow: '',
        files: [{ name: 'model.json', data: Buffer.from(name) }], createdBy: 'test' });
    }
    const ids = ['ev-1', 'ev-2', 'ev-3', 'ev-4', 'ev-5'];
    for (const [i, id] of ids.entries()) {
      await store.saveEvaluation({ id, model: 'm', candidate: i % 2 === 0 ? 2 : 1, baseline: null, datasetId: 'ds', target: 'wtg',
        state: 'succeeded', report: null, createdBy: 'test' });
    }
    // ev-3 and ev-4 share a millisecond (Postgres keeps µs); the rest are a second apart.
    const at = ['00.000', '01.000', '02.000100', '02.000900', '03.000'];
    for (const [i, id] of ids.entries()) await tp.platform.ctx.db.pool.query(`UPDATE evaluations SET create_time = '2026-01-01T00:00:${at[i]}Z' WHERE id = $1`, [id]);

    const reader = await tp.target('reader');
    const ev = clientOf('EvaluationService', reader);
    const list = (req: object) => call<object, { evaluations: { id: string }[]; next_page_token: string }>(reader, ev, 'ListEvaluations', req);
    const all = async (req: object) => {
      const seen: string[] = [];
      let token = '';
      do {
        const r = await list({ ...req, page_size: 2, page_token: token });
        assert.ok(r.evaluations.length <= 2);
        seen.push(...r.evaluations.map((e) => e.id));
        token = r.next_page_token;
      } while (token && seen.length < 20);
      return seen;
    };
    assert.deepEqual(await all({ model: 'm' }), ['ev-5', 'ev-4', 'ev-3', 'ev-2', 'ev-1']);
    // Version b (number 2) is the candidate of ev-1, ev-3 and ev-5.
    assert.deepEqual(await all({ model: 'm', version: 'b' }), ['ev-5', 'ev-3', 'ev-1']);
    const first = await list({ model: 'm', page_size: 2 });
    assert.equal((await rpcError(list({ model: 'm', version: 'b', page_token: first.next_page_token }))).code, grpc.status.INVALID_ARGUMENT);
    assert.equal((await rpcError(list({ model: 'm', page_token: '2' }))).code, grpc.status.INVALID_ARGUMENT);
    assert.equal((await rpcError(list({ model: 'm', page_size: 501 }))).code, grpc.status.INVALID_ARGUMENT);
    assert.equal((await rpcError(list({ model: 'nope' }))).code, grpc.status.NOT_FOUND);
  } finally {
    await tp.stop();
  }
});
