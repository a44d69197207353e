// Production and every rollout arm must be servable by Score: an external ONNX model (one graph, no towers) is
// refused by promote (forced or not) and by rollout start/ramp with FAILED_PRECONDITION, before anything moves.
// Through real gRPC, Postgres and the S3 protocol.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import { startTestPlatform, rpcError, call, clientOf, type TestPlatform } from '../helpers/platform';
import { upload, type Target } from '../../cli/client';
import { tinyOnnx } from './tiny-onnx';

let tp: TestPlatform;
let op: Target;
const M = 'servable';

before(async () => {
  tp = await startTestPlatform({ services: ['registry', 'rollout'] });
  op = await tp.target('operator');
});
after(async () => { await tp?.stop(); });

const reg = () => clientOf('RegistryService', op);
const rpc = <Res = any>(method: string, req: object) => call<object, Res>(op, reg(), method, req);
const ro = <Res = any>(method: string, req: object) => call<object, Res>(op, clientOf('RolloutService', op), method, req);

/** A two-tower version: the three files Score loads (their bytes are not opened by promote or rollouts). */
function registerTwoTower(name: string) {
  const files = { 'user_tower.onnx': `u-${name}`, 'item_tower.onnx': `i-${name}`, 'model.json': '{"arch":"two-tower-base"}' };
  return upload<object, any>(op, reg(), 'CreateModelVersion', [
    { header: { model: M, version_name: name, arch: 'two-tower-base', task: 'binary', label: 'wtg', dataset_id: 'ds-1' } },
    ...Object.entries(files).map(([file_name, data]) => ({ chunk: { file_name, data: Buffer.from(data) } }))]);
}

async function productionOf(): Promise<string | undefined> {
  const m = await rpc<any>('GetModel', { name: M });
  return m.model.aliases.find((a: any) => a.alias === 'production')?.version_name;
}

test('an external model cannot become production or a rollout arm; a two-tower version still can', async () => {
  await rpc('CreateModel', { model_id: M });
  await registerTwoTower('tt1');
  await registerTwoTower('tt2');
  const onnx = tinyOnnx([{ name: 'x', dtype: 'float32', shape: ['N', 4] }]);
  const ext = await upload<object, any>(op, reg(), 'RegisterExternalModel', [
    { header: { model: M, version_name: 'ext1', task: 'binary', label: 'wtg', input_signature: [{ name: 'x', dtype: 'float32', shape: [-1, 4] }] } },
    { onnx_chunk: onnx }]);
  assert.equal(ext.version.source, 'external');

  // First promotion of the model (no gate): only servability could refuse it.
  const first = await rpcError(rpc('PromoteModelVersion', { model: M, version: 'ext1', force: true, reason: 'try it' }));
  assert.equal(first.code, status.FAILED_PRECONDITION);
  assert.match(first.details, /ext1 is an external model \(a single ONNX graph: model\.onnx\).*user_tower\.onnx.*item_tower\.onnx.*register a two-tower export/);
  assert.equal(await productionOf(), undefined);

  assert.equal((await rpc<any>('PromoteModelVersion', { model: M, version: 'tt1' })).outcome, 'done');
  // Forced past the gate, and not forced: both refused for servability, production stays tt1.
  for (const req of [{ force: true, reason: 'ship it' }, {}]) {
    const e = await rpcError(rpc('PromoteModelVersion', { model: M, version: 'ext1', ...req }));
    assert.equal(e.code, status.FAILED_PRECONDITION);
    assert.match(e.details, /external model/);
  }
  assert.equal(await productionOf(), 'tt1');
  const events = (await rpc<any>('ListAuditEvents', { model: M, actions: ['promote'], page_size: 100 })).events.reverse();
  // tt1 done, then three refusals of ext1 (ext1 is version 3); the refusals name why.
  assert.deepEqual(events.map((e: any) => `${e.outcome}:${e.to_version}`), ['refused:3', 'done:1', 'refused:3', 'refused:3']);
  assert.match(events[3].detail_json, /external model/);

  // Rollouts: ext1 as an arm is refused at start and at a ramp; no rollout starts, the ramp moves nothing.
  const start = await rpcError(ro('StartRollout', { model: M, arms: [{ version: 'ext1', weight: 10 }], reason: 'test' }));
  assert.equal(start.code, status.FAILED_PRECONDITION);
  assert.match(start.details, /"ext1" cannot serve traffic: .*external model/);
  assert.equal((await ro<any>('ListRollouts', { model: M })).rollouts.length, 0);
  const r = (await ro<any>('StartRollout', { model: M, arms: [{ version: 'tt2', weight: 10 }], reason: 'test' })).rollout;
  const ramp = await rpcError(ro('RampRollout', { model: M, arms: [{ version: 'ext1', weight: 5 }], reason: 'test', force: true }));
  assert.equal(ramp.code, status.FAILED_PRECONDITION);
  assert.match(ramp.details, /external model/);
  const after = (await ro<any>('GetRollout', { model: M })).rollout;
  assert.deepEqual(after.arms.map((a: any) => `${a.version}=${a.weight}`).sort(), r.arms.map((a: any) => `${a.version}=${a.weight}`).sort());
  await ro('StopRollout', { model: M, reason: 'done' });

  // A two-tower version still promotes past the gate when forced.
  const forced = await rpc<any>('PromoteModelVersion', { model: M, version: 'tt2', force: true, reason: 'no evaluation in this test' });
  assert.equal(forced.outcome, 'forced');
  assert.equal(await productionOf(), 'tt2');
});
