// TLS end to end with certificates this test makes (openssl): a CA, and a server certificate for 127.0.0.1
// signed by it. The whole platform serves TLS (MODELOPS_TLS_CERT/KEY): a client trusting the CA scores,
// registers, promotes and reads over it, and so does the CLI (MODELOPS_TLS_CA); a plaintext client, a client
// trusting another CA, and a client expecting another host name are refused at the handshake. Tokens sent over
// TLS and the S3 key appear in no log line and no error message.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadProtos } from '../../proto/load';
import type { TestPlatform } from '../helpers/platform';
import { runCli } from '../helpers/cli';
import { FAULT_SUITE, LogWatch, startWatchedPlatform } from './harness';
import { serveModel, type ServedModel } from './serving-fixture';

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const skip = !FAULT_SUITE ? true : hasOpenssl ? false : 'needs openssl';
const watch = new LogWatch();
let dir = '';
let tp: TestPlatform;
let served: ServedModel;

function openssl(args: string[]): void {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `openssl ${args.join(' ')}: ${r.stderr}`);
}

/** A CA (key and self-signed certificate) named `name` in `dir`. */
function makeCa(name: string): { key: string; cert: string } {
  const key = path.join(dir, `${name}.key`);
  const cert = path.join(dir, `${name}.pem`);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  return { key, cert };
}

before(async () => {
  if (skip) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-tls-faults-'));
  const ca = makeCa('modelops-test-ca');
  makeCa('other-ca');
  const key = path.join(dir, 'server.key');
  const csr = path.join(dir, 'server.csr');
  const cert = path.join(dir, 'server.pem');
  const ext = path.join(dir, 'server.ext');
  fs.writeFileSync(ext, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', '/CN=localhost']);
  openssl(['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-out', cert, '-days', '1', '-extfile', ext]);
  tp = await startWatchedPlatform(watch, { config: { tls: { certFile: cert, keyFile: key } } });
  // The fixture's GenerateEvents call goes through the CLI's client, which trusts MODELOPS_TLS_CA.
  process.env.MODELOPS_TLS_CA = ca.cert;
  served = await serveModel(tp, 'tls-m');
});
after(async () => {
  await tp?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

type Unary = (req: object, md: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: any) => void) => void;

/** A client of `service` with these channel credentials (and an optional expected host name). */
function clientWith(service: string, creds: grpc.ChannelCredentials, hostOverride?: string): grpc.Client {
  const Ctor = (loadProtos().v1 as unknown as Record<string, grpc.ServiceClientConstructor>)[service];
  return new Ctor(tp.addr, creds, hostOverride ? { 'grpc.ssl_target_name_override': hostOverride } : {});
}

function unary(client: grpc.Client, method: string, req: object, token?: string): Promise<any> {
  const md = new grpc.Metadata();
  if (token) md.set('authorization', `Bearer ${token}`);
  return new Promise((resolve, reject) => {
    ((client as unknown as Record<string, Unary>)[method]).call(client, req, md, { deadline: Date.now() + 10_000 }, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

test('TLS end to end: Score, writes and the CLI over TLS with the test CA; plaintext, another CA and another name are refused', { skip, timeout: 120_000 }, async () => {
  const ca = fs.readFileSync(path.join(dir, 'modelops-test-ca.pem'));
  const tls = grpc.credentials.createSsl(ca);
  const op = await tp.target('operator');
  watch.secret(op.token!);

  const scoring = clientWith('ScoringService', tls);
  const res = await unary(scoring, 'Score', { model: served.model, user_id: served.users[0], item_ids: served.items, top_k: 3 }, op.token);
  assert.equal(res.item_ids.length, 3);
  assert.equal(res.version_name, 'v1');
  const registry = clientWith('RegistryService', tls);
  await unary(registry, 'CreateModel', { model_id: 'tls-created' }, op.token);
  assert.equal((await unary(registry, 'GetModel', { name: 'tls-created' })).model.id, 'tls-created');

  const cli = await runCli(['models', 'list', '--json'], { ...(await tp.env('operator')), MODELOPS_TLS_CA: path.join(dir, 'modelops-test-ca.pem') });
  assert.equal(cli.code, 0, cli.stderr);
  assert.ok(cli.stdout.includes('tls-created'));

  const refused: Record<string, { code: number; details: string }> = {};
  const attempt = async (name: string, client: grpc.Client) => {
    try {
      await unary(client, 'GetModel', { name: 'tls-created' }, op.token);
      refused[name] = { code: 0, details: 'answered' };
    } catch (err) {
      refused[name] = { code: (err as grpc.ServiceError).code, details: (err as grpc.ServiceError).details };
    }
  };
  await attempt('plaintext', clientWith('RegistryService', grpc.credentials.createInsecure()));
  await attempt('another CA', clientWith('RegistryService', grpc.credentials.createSsl(fs.readFileSync(path.join(dir, 'other-ca.pem')))));
  await attempt('another host name', clientWith('RegistryService', tls, 'not-the-server.example'));
  for (const [name, r] of Object.entries(refused)) {
    assert.equal(r.code, grpc.status.UNAVAILABLE, `${name}: ${grpc.status[r.code]} ${r.details}`);
    assert.ok(!r.details.includes(op.token!));
  }
  const plainEnv = { ...(await tp.env('operator')) };
  delete plainEnv.MODELOPS_TLS_CA;
  const cliPlain = await runCli(['models', 'list', '--json'], plainEnv);
  assert.notEqual(cliPlain.code, 0);
  assert.ok(!cliPlain.stderr.includes(op.token!), 'the CLI printed its token');
  for (const c of [scoring, registry]) c.close();

  assert.ok(watch.lines > 0);
  assert.deepEqual(watch.leaks, [], 'secrets in the server log');
  assert.deepEqual(watch.errors, []);
});
