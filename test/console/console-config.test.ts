// The console's configuration and transport: MODELOPS_CONSOLE_ADDR parsing, and HTTPS with the server's own
// certificate when TLS is configured (the JSON API read over it, plaintext refused).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTestPlatform } from '../helpers/platform';
import { ConfigError, loadServerConfig } from '../../services/common/config';
import { RegistryStore } from '../../registry/registry-store';

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

test('MODELOPS_CONSOLE_ADDR: default 127.0.0.1:8080, "off" or empty disables, a bad value names the variable', () => {
  assert.equal(loadServerConfig({}, {}).consoleAddr, '127.0.0.1:8080');
  assert.equal(loadServerConfig({}, { MODELOPS_CONSOLE_ADDR: 'off' }).consoleAddr, '');
  assert.equal(loadServerConfig({}, { MODELOPS_CONSOLE_ADDR: '' }).consoleAddr, '');
  assert.equal(loadServerConfig({}, { MODELOPS_CONSOLE_ADDR: '0.0.0.0:9090' }).consoleAddr, '0.0.0.0:9090');
  assert.throws(() => loadServerConfig({}, { MODELOPS_CONSOLE_ADDR: '8080' }), (e: Error) => e instanceof ConfigError && /MODELOPS_CONSOLE_ADDR/.test(e.message));
});

function get(url: string, opts: https.RequestOptions = {}): Promise<{ status: number; body: string }> {
  const mod = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    mod.get(url, opts, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString('utf8'); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

test('with TLS configured the console serves HTTPS with the same certificate and reads through TLS gRPC', { skip: hasOpenssl ? false : 'needs openssl' }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-console-tls-'));
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const tp = await startTestPlatform({ services: ['registry'], config: { tls: { certFile: cert, keyFile: key }, consoleAddr: '127.0.0.1:0' } });
  try {
    await new RegistryStore(tp.platform.ctx.db, tp.platform.ctx.artifacts).createModel({ id: 'tls-model', createdBy: 'test' });
    const base = tp.platform.consoleUrl;
    assert.match(base, /^https:\/\/127\.0\.0\.1:\d+\/$/);
    const api = await get(`${base}api/models`, { ca: fs.readFileSync(cert) });
    assert.equal(api.status, 200, api.body);
    assert.deepEqual((JSON.parse(api.body) as { models: { id: string }[] }).models.map((m) => m.id), ['tls-model']);
    const page = await get(base, { ca: fs.readFileSync(cert) });
    assert.match(page.body, /<script src="\/vendor\/chart\.umd\.min\.js">/);
    await assert.rejects(get(base.replace('https:', 'http:')));
    // Without the CA the certificate is not trusted: the console uses the server's certificate, not another.
    await assert.rejects(get(`${base}api/models`), /self[- ]signed/i);
  } finally {
    await tp.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
