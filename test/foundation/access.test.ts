// Access control through real gRPC: every RPC declares a role; missing and wrong tokens are refused
// before any handler runs; the CLI manages tokens.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import { startTestPlatform, rpcError, call, clientOf, type TestPlatform } from '../helpers/platform';
import { runCli, cliJson } from '../helpers/cli';
import { loadProtos } from '../../proto/load';

let tp: TestPlatform;
before(async () => { tp = await startTestPlatform(); });
after(async () => { await tp?.stop(); });

test('every RPC of every service declares a role (none is open by accident)', () => {
  const table: Record<string, string> = {};
  for (const m of tp.platform.server.modules.values()) {
    for (const [method, def] of Object.entries(m.definition)) {
      assert.ok(m.roles[method], `${def.path} has no role`);
      table[def.path] = m.roles[method];
    }
  }
  // The methods in the loaded contracts and the role table are the same set.
  const all = Object.values(loadProtos().definition).flatMap((d) =>
    Object.values(d as Record<string, { path?: string }>).map((m) => m.path).filter((p): p is string => typeof p === 'string'));
  const platformPaths = all.filter((p) => p.startsWith('/modelops.v1.'));
  assert.deepEqual(Object.keys(table).sort(), [...new Set(platformPaths)].sort());
  for (const [p, role] of Object.entries(table)) assert.ok(['reader', 'operator', 'admin'].includes(role), `${p}: ${role}`);
  assert.equal(table['/modelops.v1.ScoringService/Score'], 'reader');
  assert.equal(table['/modelops.v1.AuthService/CreateToken'], 'admin');
});

test('no token is UNAUTHENTICATED, a reader token is PERMISSION_DENIED, an admin token works', async () => {
  const none = { addr: tp.addr };
  const e1 = await rpcError(call(none, clientOf('AuthService', none), 'ListTokens', {}));
  assert.equal(e1.code, status.UNAUTHENTICATED);
  const bad = { addr: tp.addr, token: 'not-a-token' };
  const e2 = await rpcError(call(bad, clientOf('AuthService', bad), 'ListTokens', {}));
  assert.equal(e2.code, status.UNAUTHENTICATED);
  const reader = await tp.target('reader');
  const e3 = await rpcError(call(reader, clientOf('AuthService', reader), 'ListTokens', {}));
  assert.equal(e3.code, status.PERMISSION_DENIED);
  const admin = await tp.target('admin');
  const res = await call<object, { tokens: unknown[] }>(admin, clientOf('AuthService', admin), 'ListTokens', {});
  assert.ok(res.tokens.length >= 2);
});

test('the CLI creates, lists and revokes tokens; a revoked token is refused', async () => {
  const env = await tp.env('admin');
  const made = await cliJson<{ token: { id: string; role: string }; secret: string }>(['tokens', 'create', '--role', 'operator', '--description', 'ci bot'], env);
  assert.equal(made.token.role, 'operator');
  const listed = await cliJson<{ tokens: { id: string }[] }>(['tokens', 'list'], env);
  assert.ok(listed.tokens.some((t) => t.id === made.token.id));
  // An operator token cannot create tokens (admin only).
  const denied = await runCli(['tokens', 'create', '--role', 'reader'], { ...env, MODELOPS_TOKEN: made.secret });
  assert.notEqual(denied.code, 0);
  assert.match(denied.stderr, /PERMISSION_DENIED/);
  await cliJson(['tokens', 'revoke', made.token.id], env);
  const refused = await runCli(['tokens', 'list'], { ...env, MODELOPS_TOKEN: made.secret });
  assert.match(refused.stderr, /UNAUTHENTICATED/);
});

test('a bad role is a usage error with exit code 2', async () => {
  const r = await runCli(['tokens', 'create', '--role', 'root'], await tp.env());
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--role: "root" is not one of reader, operator, admin/);
});

test('a reader token made with `tokens create --role reader` is PERMISSION_DENIED where operator is needed; none is UNAUTHENTICATED', async () => {
  const env = await tp.env('admin');
  const made = await cliJson<{ secret: string }>(['tokens', 'create', '--role', 'reader', '--description', 'dashboard'], env);
  const asReader = await runCli(['models', 'create', 'feed-ranker-hi'], { ...env, MODELOPS_TOKEN: made.secret });
  assert.equal(asReader.code, 1);
  assert.match(asReader.stderr, /PERMISSION_DENIED: .*needs role operator; this token has role reader/);
  const noToken = { ...env };
  delete noToken.MODELOPS_TOKEN;
  noToken.MODELOPS_HOME = '/nonexistent-modelops-home';
  const anonymous = await runCli(['models', 'create', 'feed-ranker-hi'], noToken);
  assert.match(anonymous.stderr, /UNAUTHENTICATED/);
  // Reads stay open without a token (MODELOPS_REQUIRE_TOKEN_FOR_READS unset).
  const read = await runCli(['models', 'list', '--json'], noToken);
  assert.equal(read.code, 0, read.stderr);
});
