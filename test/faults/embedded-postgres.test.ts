// The embedded default's Postgres (DATABASE_URL unset) SIGKILLed under Score load: the server notices the
// death and starts it again on the same port (services/common/embedded.ts revive), Score keeps answering from
// the loaded version and its caches meanwhile, other RPCs answer UNAVAILABLE (never INTERNAL) until it is back,
// and then recover by themselves.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { status } from '@grpc/grpc-js';
import { call, clientOf, type TestPlatform } from '../helpers/platform';
import type { Target } from '../../cli/client';
import { pidAlive } from '../../services/common/home-lock';
import { FAULT_SUITE, LogWatch, startWatchedPlatform } from './harness';
import { ScoreLoad, serveModel, untilOk, type ServedModel } from './serving-fixture';

const watch = new LogWatch();
let tp: TestPlatform;
let served: ServedModel;

before(async () => {
  if (!FAULT_SUITE) return;
  tp = await startWatchedPlatform(watch, { config: { databaseUrl: undefined } });
  served = await serveModel(tp, 'dep-embedded');
});
after(async () => { await tp?.stop(); });

test('the embedded Postgres SIGKILLed under Score load is started again; Score keeps answering, other RPCs recover', { skip: !FAULT_SUITE, timeout: 120_000 }, async () => {
  const pidFile = path.join(tp.platform.ctx.config.home, 'pg', 'postmaster.pid');
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  assert.ok(pid > 0 && pidAlive(pid), 'the embedded postmaster runs');
  const reader: Target = await tp.target('reader');
  const anon: Target = { addr: tp.addr };
  const load = new ScoreLoad(reader, served, 4);
  const codes: number[] = [];
  let recoveredMs = 0;
  let killedAt = 0;
  try {
    await untilOk(async () => { if (load.outcomes.filter((o) => o.code === 0).length < 20) throw new Error('warming'); }, 30_000, 'Score warm-up');
    killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    recoveredMs = await untilOk(async () => {
      try {
        await call(anon, clientOf('RegistryService', anon), 'GetModel', { name: served.model });
        codes.push(0);
      } catch (err) {
        codes.push((err as { code: number }).code);
        throw err;
      }
    }, 45_000, 'GetModel after the embedded Postgres was killed');
    await new Promise((r) => setTimeout(r, 500));
  } finally {
    await load.stop();
  }
  const newPid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  assert.notEqual(newPid, pid, 'a new postmaster runs');
  assert.ok(pidAlive(newPid));
  assert.deepEqual(codes.filter((c) => c !== 0 && c !== status.UNAVAILABLE), [], `GetModel answered ${codes.map((c) => status[c]).join(',')}`);
  const during = load.between(killedAt, killedAt + recoveredMs);
  assert.deepEqual(during.filter((o) => o.code !== 0).slice(0, 3), [], 'Score failed while the embedded Postgres was down');
  // The token check and a write work again too.
  const admin = await tp.target('admin');
  await call(admin, clientOf('RegistryService', admin), 'CreateModel', { model_id: 'after-revive' });
  console.log(`embedded postgres killed: GetModel OK again after ${recoveredMs} ms (${codes.length - 1} UNAVAILABLE polls), ${during.length} Score calls meanwhile, 0 failed`);
  assert.deepEqual(watch.leaks, []);
  assert.deepEqual(watch.errors.filter((l) => /unhandled|uncaught/i.test(l)), []);
});
