// TLS is one setting: MODELOPS_TLS_CERT/KEY on the server, MODELOPS_TLS_CA on the CLI.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTestPlatform } from '../helpers/platform';
import { runCli } from '../helpers/cli';

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

test('the server speaks TLS with a cert and key; the CLI connects with the CA, and plaintext is refused', { skip: hasOpenssl ? false : 'needs openssl' }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-tls-'));
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const tp = await startTestPlatform({ services: ['registry'], config: { tls: { certFile: cert, keyFile: key } } });
  try {
    const env = await tp.env('admin');
    const ok = await runCli(['models', 'list', '--json'], { ...env, MODELOPS_TLS_CA: cert });
    assert.equal(ok.code, 0, ok.stderr);
    const plain = await runCli(['models', 'list', '--json'], env);
    assert.notEqual(plain.code, 0);
    assert.match(plain.stderr, /UNAVAILABLE/);
  } finally {
    await tp.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
