// Access: every RPC that needs more than a reader (the role table the server enforces; every mutating RPC is
// in it) refuses a missing, wrong, revoked or too-weak token, and answers exactly the same for an existing
// and a missing target, so a refused caller learns nothing about what exists. Token secrets and the S3
// secret key never appear in an error message or in the server's log (captured at info level).
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import { call, clientOf, type TestPlatform } from '../helpers/platform';
import { roleTable } from '../../services/server';
import type { Role } from '../../registry/token-store';
import { FAULT_SUITE, LogWatch, RawClient, platformRpcs, resolveType, startWatchedPlatform, type MessageDesc, type RpcDesc } from './harness';

const watch = new LogWatch();
let tp: TestPlatform;
let raw: RawClient;
const secrets: Record<string, string> = {};
let existingTokenId = '';

before(async () => {
  if (!FAULT_SUITE) return;
  tp = await startWatchedPlatform(watch);
  raw = new RawClient(tp.addr);
  const admin = await tp.target('admin');
  await call(admin, clientOf('RegistryService', admin), 'CreateModel', { model_id: 'acc-model', description: 'exists' });
  const make = async (role: Role) => {
    const made = await tp.platform.ctx.tokens.create(role, `access ${role}`, 'test');
    watch.secret(made.secret);
    return made;
  };
  secrets.reader = (await make('reader')).secret;
  secrets.operator = (await make('operator')).secret;
  existingTokenId = (await make('reader')).token.id;
  // Revoked tokens of the two strong roles, revoked through the RPC as an admin would.
  for (const role of ['operator', 'admin'] as const) {
    const made = await make(role);
    await call(admin, clientOf('AuthService', admin), 'RevokeToken', { name: made.token.id });
    secrets[`revoked-${role}`] = made.secret;
  }
  secrets.wrong = 'mo_0000000000000000000000000000000000000000';
  watch.secret(secrets.wrong);
});
after(async () => {
  raw?.close();
  await tp?.stop();
});

/** A request whose every string names `id` (a model id, or a token id for AuthService), nested one level. */
function requestNaming(desc: MessageDesc, id: string, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of desc.field) {
    let v: unknown;
    if (f.type === 'TYPE_STRING') v = id;
    else if (f.type === 'TYPE_MESSAGE' && depth < 1) {
      const t = resolveType(f.typeName, desc) as MessageDesc;
      if (!t.options?.mapEntry) v = requestNaming(t, id, depth + 1);
    }
    if (v !== undefined) out[f.name] = f.label === 'LABEL_REPEATED' ? [v] : v;
  }
  return out;
}

function send(rpc: RpcDesc, id: string, token: string | undefined) {
  const bytes = rpc.serialize(requestNaming(rpc.request, id));
  return raw.call(rpc, [bytes], token, 20_000);
}

test('every RPC above reader refuses missing, wrong, revoked and too-weak tokens alike for existing and missing targets', { skip: !FAULT_SUITE, timeout: 120_000 }, async () => {
  const roles = roleTable([...tp.platform.server.modules.values()]);
  const guarded = platformRpcs().filter((r) => roles.get(r.path) !== 'reader');
  // Today 23 of the 47 RPCs need operator or admin; every mutating one is among them.
  assert.ok(guarded.length >= 20, `${guarded.length} RPCs above reader`);
  assert.ok(guarded.some((r) => r.method === 'PromoteModelVersion') && guarded.some((r) => r.method === 'CreateToken'));
  let checked = 0;
  for (const rpc of guarded) {
    const need = roles.get(rpc.path)!;
    const existing = rpc.service === 'AuthService' ? existingTokenId : 'acc-model';
    const callers: [string, string | undefined, number][] = [
      ['missing', undefined, status.UNAUTHENTICATED],
      ['wrong', secrets.wrong, status.UNAUTHENTICATED],
      ['revoked operator', secrets['revoked-operator'], status.UNAUTHENTICATED],
      ['revoked admin', secrets['revoked-admin'], status.UNAUTHENTICATED],
      ['reader', secrets.reader, status.PERMISSION_DENIED],
    ];
    if (need === 'admin') callers.push(['operator', secrets.operator, status.PERMISSION_DENIED]);
    for (const [who, token, want] of callers) {
      const a = await send(rpc, existing, token);
      const b = await send(rpc, 'acc-missing-target', token);
      assert.equal(a.code, want, `${rpc.path} with a ${who} token: ${status[a.code]} ${a.details}`);
      assert.deepEqual(b, a, `${rpc.path} with a ${who} token answers differently for a missing target`);
      for (const s of Object.values(secrets)) assert.ok(!a.details.includes(s), `${rpc.path}: a secret in "${a.details}"`);
      checked += 2;
    }
  }
  console.log(`access: ${guarded.length} RPCs above reader, ${checked} refused calls, identical for existing and missing targets`);
  // The targets were real: an admin gets different answers for the existing and the missing one.
  const byName = new Map(guarded.map((r) => [r.method, r]));
  const createModel = byName.get('CreateModel')!;
  const exists = await raw.call(createModel, [createModel.serialize({ model_id: 'acc-model' })], tp.adminToken, 10_000);
  const fresh = await raw.call(createModel, [createModel.serialize({ model_id: 'acc-fresh' })], tp.adminToken, 10_000);
  assert.deepEqual([exists.code, fresh.code], [status.ALREADY_EXISTS, status.OK]);
  const revoke = byName.get('RevokeToken')!;
  const missing = await raw.call(revoke, [revoke.serialize({ name: 'acc-missing-target' })], tp.adminToken, 10_000);
  const real = await raw.call(revoke, [revoke.serialize({ name: existingTokenId })], tp.adminToken, 10_000);
  assert.deepEqual([missing.code, real.code], [status.NOT_FOUND, status.OK]);
});

test('no token secret and no S3 secret key appears in the server log', { skip: !FAULT_SUITE }, () => {
  // The log of the whole file: start-up, token creation and revocation, and every refused call above.
  assert.ok(watch.lines > 0, 'the server logged nothing to check');
  assert.ok(watch.secretList.length >= 7, 'the secrets to look for');
  assert.deepEqual(watch.leaks, [], 'secrets in the server log');
  assert.deepEqual(watch.errors, []);
});
