// The artifact store (a real S3 server, s3rver, on its own port) stopped under Score load: a registration
// meanwhile answers UNAVAILABLE and leaves no version row, and the same registration works once S3 is back on
// the same address; a version promoted while S3 is down cannot load, and the version serving before keeps
// answering every Score call. No S3 secret reaches an error message or the log.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as net from 'node:net';
import pino from 'pino';
import { status } from '@grpc/grpc-js';
import { call, clientOf, rpcError, type TestPlatform } from '../helpers/platform';
import { upload, type Target } from '../../cli/client';
import { EmbeddedS3 } from '../../services/common/embedded';
import { RegistryStore } from '../../registry/registry-store';
import { S3ArtifactStore } from '../../registry/artifact-store';
import { FAULT_SUITE, LogWatch, startWatchedPlatform } from './harness';
import { ScoreLoad, serveModel, untilOk, type ServedModel } from './serving-fixture';

const watch = new LogWatch();
let s3Dir = '';
let s3: EmbeddedS3;
let tp: TestPlatform;
let served: ServedModel;
let op: Target;

before(async () => {
  if (!FAULT_SUITE) return;
  s3Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-s3-down-'));
  s3 = new EmbeddedS3(s3Dir, pino({ level: 'silent' }));
  const endpoint = await s3.start('modelops');
  tp = await startWatchedPlatform(watch, { config: { s3: { endpoint, accessKey: EmbeddedS3.ACCESS_KEY, secretKey: EmbeddedS3.SECRET_KEY, bucket: 'modelops', region: 'us-east-1' } } });
  served = await serveModel(tp, 'dep-s3');
  op = await tp.target('operator');
  watch.secret(op.token!);
});
after(async () => {
  await tp?.stop();
  await s3?.stop();
  if (s3Dir) fs.rmSync(s3Dir, { recursive: true, force: true });
});

/** Registers version `name` of the served model through the streaming RPC, as the CLI does. */
async function register(name: string, seed: number): Promise<unknown> {
  const files = await served.files(seed);
  return upload<object, unknown>(op, clientOf('RegistryService', op), 'CreateModelVersion', [
    { header: { model: served.model, version_name: name, arch: 'two-tower-mod', task: 'binary', label: 'wtg', dataset_id: 'ds-none' } },
    ...files.map((f) => ({ chunk: { file_name: f.name, data: f.data } }))]);
}

test('S3 down: registration is UNAVAILABLE with no version row and works once S3 is back; a version that cannot load leaves the old one serving', { skip: !FAULT_SUITE, timeout: 120_000 }, async () => {
  const store = new RegistryStore(tp.platform.ctx.db, tp.platform.ctx.artifacts);
  // v2 is registered while S3 is up; it is promoted while S3 is down, so Score cannot fetch its files.
  await register('v2', 2);
  const load = new ScoreLoad(await tp.target('reader'), served, 2);
  let downMs = 0;
  try {
    await untilOk(async () => { if (load.outcomes.filter((o) => o.code === 0).length < 10) throw new Error('warming'); }, 30_000, 'Score warm-up');
    const downAt = Date.now();
    await s3.stop();
    const refused = await rpcError(register('v3', 3));
    assert.equal(refused.code, status.UNAVAILABLE, `registration while S3 is down: ${status[refused.code]} ${refused.details}`);
    assert.ok(!refused.details.includes(EmbeddedS3.SECRET_KEY), refused.details);
    await assert.rejects(store.getVersion(served.model, 'v3'), 'no version row for the refused registration');

    const promotedAt = Date.now();
    await call(op, clientOf('RegistryService', op), 'PromoteModelVersion', { model: served.model, version: 'v2', force: true, reason: 'S3 is down' });
    // The load of v2 fails (its files cannot be read); Score keeps answering with v1 meanwhile.
    const scoring = clientOf('ScoringService', op);
    await untilOk(async () => {
      const st = await call<object, { failures?: { version_name?: string; name?: string; error?: string }[] }>(op, scoring, 'GetScoringStatus', {});
      if (!JSON.stringify(st.failures ?? []).includes('v2')) throw new Error(`no failed load of v2 yet: ${JSON.stringify(st)}`);
    }, 30_000, 'the failed load of v2 in the scoring status');
    await new Promise((r) => setTimeout(r, 1000));
    const whileDown = load.between(promotedAt, Date.now());
    assert.ok(whileDown.length >= 20, `${whileDown.length} Score calls after the promotion`);
    assert.deepEqual(whileDown.filter((o) => o.code !== 0).slice(0, 3), [], 'Score calls failed while S3 was down');
    assert.ok(whileDown.every((o) => o.version === 'v1'), 'v1 keeps serving');

    await s3.start('modelops');
    downMs = Date.now() - downAt;
    const retry = await untilOk(() => register('v3', 3), 10_000, 'the registration once S3 is back');
    assert.equal((await store.getVersion(served.model, 'v3')).name, 'v3');
    console.log(`s3 down: ${downMs} ms, ${whileDown.length} Score calls after the promotion answered by v1 (0 failed), registration OK ${retry} ms after S3 was back`);
  } finally {
    await load.stop();
  }
  assert.deepEqual(watch.leaks, [], 'secrets in the server log');
  assert.deepEqual(watch.errors.filter((l) => /unhandled|uncaught/i.test(l)), []);
});

test('a connection to S3 cut once (a keep-alive race, a proxy restarting) is retried: writes, reads and deletes succeed', { skip: !FAULT_SUITE }, async () => {
  // A TCP proxy in front of the S3 server that cuts the connection on every second request it sees start.
  let requests = 0;
  let cut = 0;
  const port = Number(new URL(s3.endpoint).port);
  const proxy = net.createServer((c) => {
    const up = net.connect(port, '127.0.0.1');
    c.on('data', (chunk: Buffer) => {
      if (/^(GET|PUT|HEAD|DELETE|POST) /.test(chunk.toString('latin1', 0, 8)) && requests++ % 2 === 0) {
        cut++;
        c.destroy();
        up.destroy();
        return;
      }
      up.write(chunk);
    });
    up.pipe(c);
    c.on('error', () => up.destroy());
    up.on('error', () => c.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  try {
    const store = new S3ArtifactStore({ endpoint: `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`, accessKey: EmbeddedS3.ACCESS_KEY,
      secretKey: EmbeddedS3.SECRET_KEY, bucket: 'modelops', region: 'us-east-1' });
    for (let k = 0; k < 4; k++) {
      const data = Buffer.from(`object ${k}`);
      const put = await store.put(`faults/cut-${k}`, data);
      assert.deepEqual(await store.get(put.key, put.sha256), data);
      await store.remove(put.key);
      assert.equal(await store.exists(put.key), false);
    }
    assert.ok(cut >= 4, `${cut} connections cut`);
  } finally {
    proxy.close();
  }
});
