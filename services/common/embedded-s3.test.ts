// The embedded S3 server's thread: objects survive a stop and a start on the same folder, and a thread that dies
// (here terminated from outside, as an uncaught error in s3rver would end it) is started again on the same port,
// so a client holding the endpoint reads the objects stored before.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import pino from 'pino';
import { EmbeddedS3 } from './embedded';
import { S3ArtifactStore } from '../../registry/artifact-store';

test('a dead S3 thread is started again on the same port and folder; a stopped one is not', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelops-s3-'));
  const s3 = new EmbeddedS3(dir, pino({ level: 'silent' }));
  try {
    const endpoint = await s3.start('modelops');
    const store = new S3ArtifactStore({ endpoint, accessKey: EmbeddedS3.ACCESS_KEY, secretKey: EmbeddedS3.SECRET_KEY, bucket: 'modelops', region: 'us-east-1' });
    await store.put('a/before', Buffer.from('stored before the crash'));

    const dead = (s3 as unknown as { worker: Worker }).worker;
    await dead.terminate();
    let back: Buffer | undefined;
    for (let i = 0; i < 100 && !back; i++) {
      back = await store.get('a/before').catch(() => undefined);
      if (!back) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(back?.toString(), 'stored before the crash');
    assert.equal(s3.endpoint, endpoint);
    assert.notEqual((s3 as unknown as { worker: Worker }).worker, dead, 'a new thread serves');
    await store.put('a/after', Buffer.from('stored after'));

    await s3.stop();
    await new Promise((r) => setTimeout(r, 700));
    await assert.rejects(store.get('a/after'), 'a stopped server stays stopped');
    await s3.start('modelops');
    assert.equal((await store.get('a/after')).toString(), 'stored after');
  } finally {
    await s3.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
