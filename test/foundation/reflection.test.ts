// Server reflection as a client that knows nothing else sees it: test/foundation/reflection_client.py, on
// Debian's python3-grpcio and python3-protobuf (whose C++ descriptor pool is as strict as protoc), lists
// the services, loads every service's files into a fresh pool, builds ScoreRequest from the pool and calls
// Score on a platform with a promoted version. Score's answer through Python must equal the one the
// TypeScript client gets for the same request.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startTestPlatform, call, clientOf, type TestPlatform } from '../helpers/platform';
import type { ScoreResponse__Output } from '../../proto/gen/modelops/v1/ScoreResponse';
import { GRPC_SERVICE, PROTO_FILES, SERVICE_NAMES } from '../../proto/load';
import { layoutFor } from '../../ml/features/layout';
import { makeSpec } from '../../ml/model/spec';
import { Params } from '../../ml/model/params';
import { exportOnnx } from '../../ml/onnx/export';
import { modelMeta } from '../../ml/model/model-meta';
import { RegistryStore } from '../../registry/registry-store';
import { Promotions } from '../../services/registry/promotion';

const PYTHON = '/usr/bin/python3';
const CLIENT = path.join(__dirname, 'reflection_client.py');
const probe = fs.existsSync(PYTHON)
  ? spawnSync(PYTHON, ['-c', 'import grpc, google.protobuf'], { encoding: 'utf8' })
  : undefined;
const skip = probe?.status === 0 ? false
  : 'needs Debian python3-grpcio and python3-protobuf (apt-get install -y python3-grpcio python3-protobuf)';

const DIM = 4;
let tp: TestPlatform;
let users: string[];
let items: string[];

before(async () => {
  if (skip) return;
  tp = await startTestPlatform();
  const op = await tp.target('operator');
  await call(op, clientOf('FeatureService', op), 'GenerateEvents', { users: 10, items: 20, days: 2, seed: 5, dim: DIM, views_per_day: 3, source: 'syn' });
  const pool = tp.platform.ctx.db.pool;
  users = (await pool.query<{ user_id: string }>("SELECT user_id FROM online_user_features WHERE source = 'syn' ORDER BY user_id LIMIT 1")).rows.map((r) => r.user_id);
  items = (await pool.query<{ item_id: string }>("SELECT item_id FROM items WHERE source = 'syn' ORDER BY item_id LIMIT 6")).rows.map((r) => r.item_id);
  assert.ok(users.length === 1 && items.length === 6, `${users.length} users, ${items.length} items`);

  const layout = layoutFor(DIM);
  const p = Params.init(makeSpec('two-tower-base', 'binary', layout, { hidden: [8], dim: 4, catDim: 4, ageHidden: 4 }), 7);
  const files = exportOnnx(p);
  files['model.json'] = Buffer.from(JSON.stringify(modelMeta(p, {}, 'test', { id: 'ds-none', window: '', label: 'p90', buckets: '', timezone: 'Asia/Kolkata' })));
  const store = new RegistryStore(tp.platform.ctx.db, tp.platform.ctx.artifacts);
  await store.createModel({ id: 'feed-ranker-hi', createdBy: 'test' });
  await store.registerVersion({ model: 'feed-ranker-hi', name: 'prod-p90', arch: 'two-tower-base', task: 'binary', label: 'p90', buckets: '',
    datasetId: 'ds-none', hyperparameters: {}, trainingMetrics: {}, parity: null, backend: 'test', dataWindow: '',
    files: Object.entries(files).map(([name, data]) => ({ name, data })), createdBy: 'test' });
  await new Promotions(store).promote({ model: 'feed-ranker-hi', version: 'prod-p90', actor: 'test', force: true, reason: 'test' });
});
after(async () => { await tp?.stop(); });

interface ClientReport {
  reflection: string;
  services: Record<string, string[]>;
  files: string[];
  score: { item_ids?: string[]; scores?: number[]; version_name?: string; arm?: string; unknown_item_ids?: string[] };
}

/** Runs the Python client against the test platform (asynchronously: the platform answers in this process). */
async function runClient(args: string[]): Promise<ClientReport> {
  const child = spawn(PYTHON, [CLIENT, tp.addr, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 0, `reflection client failed:\n${err}`);
  return JSON.parse(out) as ClientReport;
}

for (const version of ['v1', 'v1alpha']) {
  test(`a reflection-only Python client (${version}) with a strict descriptor pool builds every service and calls Score`, { skip }, async () => {
    const reader = await tp.target('reader');
    const cands = [...items, 'not-an-item'];
    const want = await call<object, ScoreResponse__Output>(reader, clientOf('ScoringService', reader), 'Score',
      { model: 'feed-ranker-hi', user_id: users[0], item_ids: cands });
    const report = await runClient(['feed-ranker-hi', users[0], cands.join(','), version]);
    assert.equal(report.reflection, `grpc.reflection.${version}`);

    // The served files are the ones in proto/modelops/v1, under their own names, each after its import.
    for (const file of PROTO_FILES) assert.ok(report.files.includes(file), `${file} reflected: ${report.files}`);
    assert.equal(report.files[0], 'google/protobuf/timestamp.proto');
    assert.ok(!report.files.some((f) => /modelops_v1/.test(f)), `no synthetic per-package file: ${report.files}`);
    for (const name of SERVICE_NAMES) assert.ok(report.services[GRPC_SERVICE[name]]?.length > 0, `${GRPC_SERVICE[name]} built with its methods`);
    // Every RPC of the .proto file, in its order, as the strict pool built it.
    const scoringProto = fs.readFileSync(path.join(__dirname, '../../proto/modelops/v1/scoring_service.proto'), 'utf8');
    assert.deepEqual(report.services['modelops.v1.ScoringService'], [...scoringProto.matchAll(/^\s*rpc (\w+)\(/gm)].map((m) => m[1]));

    assert.equal(report.score.version_name, 'prod-p90');
    assert.equal(report.score.arm, 'production');
    assert.deepEqual(report.score.unknown_item_ids, ['not-an-item']);
    assert.deepEqual(report.score.item_ids, want.item_ids);
    assert.equal(report.score.item_ids?.length, 6);
    // Both sides decode the same float32s; JSON keeps them to ~7 significant digits.
    report.score.scores?.forEach((s, i) => assert.ok(Math.abs(s - want.scores[i]) < 1e-5, `${s} vs ${want.scores[i]}`));
  });
}
