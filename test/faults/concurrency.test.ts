// Concurrency: rounds of 20 concurrent promotes, rollbacks and rollout starts, ramps and stops on one model,
// through real gRPC. Each call either does its change or is refused with a code that says why (no INTERNAL,
// no deadlock, no timeout); after each round the model has one production, at most one active rollout, and an
// audit log that holds exactly the calls that succeeded, in an order that replays to the state the tables
// hold (each production change starts from where the one before it left production; a rollout is started
// only when none was active, ramped or stopped only while one was). Scoring, serving in the same process,
// ends on the production and the rollout the registry holds.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import { call, clientOf, upload, type Target } from '../../cli/client';
import type { TestPlatform } from '../helpers/platform';
import { TEST_LAYOUT, versionFiles } from '../scoring/fixtures';
import { rng } from '../scoring/onnx-towers';
import { FAULT_SUITE, LogWatch, startWatchedPlatform } from './harness';

const MODEL = 'conc-model';
const VERSIONS = ['c1', 'c2', 'c3', 'c4'];
const ROUNDS = Number(process.env.FAULT_CONCURRENCY_ROUNDS ?? 5);
const AT_ONCE = 20;
/** Refusals a concurrent change may earn (the state moved under it); anything else is a fault. */
const REFUSALS = new Set<number>([status.FAILED_PRECONDITION, status.ALREADY_EXISTS, status.INVALID_ARGUMENT]);

type Kind = 'promote' | 'rollback' | 'rollout-start' | 'rollout-ramp' | 'rollout-stop';
interface Op { kind: Kind; version: string }

const watch = new LogWatch();
let tp: TestPlatform;
let op: Target;
before(async () => {
  if (!FAULT_SUITE) return;
  tp = await startWatchedPlatform(watch);
  op = await tp.target('operator');
  const registry = clientOf('RegistryService', op);
  await call(op, registry, 'CreateModel', { model_id: MODEL });
  for (const [k, name] of VERSIONS.entries()) {
    await upload(op, registry, 'CreateModelVersion', [
      { header: { model: MODEL, version_name: name, arch: 'two-tower-base', task: 'binary', label: 'wtg', dataset_id: 'ds-test' } },
      ...versionFiles({ seed: 11 + k, layout: TEST_LAYOUT }).map((f) => ({ chunk: { file_name: f.name, data: f.data } }))]);
  }
  await call(op, registry, 'PromoteModelVersion', { model: MODEL, version: 'c1', reason: 'first' });
});
after(async () => { await tp?.stop(); });

function run(o: Op): Promise<unknown> {
  const reason = `concurrency ${o.kind} ${o.version}`;
  const reg = clientOf('RegistryService', op);
  const ro = clientOf('RolloutService', op);
  const opts = { deadlineMs: 60_000 };
  switch (o.kind) {
    case 'promote': return call(op, reg, 'PromoteModelVersion', { model: MODEL, version: o.version, force: true, reason }, opts);
    case 'rollback': return call(op, reg, 'RollbackModel', { model: MODEL, reason }, opts);
    case 'rollout-start': return call(op, ro, 'StartRollout', { model: MODEL, arms: [{ version: o.version, weight: 10 }], reason }, opts);
    case 'rollout-ramp': return call(op, ro, 'RampRollout', { model: MODEL, arms: [{ version: o.version, weight: 30 }], reason, force: true }, opts);
    case 'rollout-stop': return call(op, ro, 'StopRollout', { model: MODEL, reason }, opts);
  }
}

interface AuditRow { id: string; action: string; from_version: number | null; to_version: number | null; outcome: string; detail: { rollout?: string } | null }

test(`${ROUNDS} rounds of ${AT_ONCE} concurrent promotes, rollbacks and rollout changes: one production, at most one rollout, the audit complete and in order`, { skip: !FAULT_SUITE, timeout: 300_000 }, async () => {
  const pool = tp.platform.ctx.db.pool;
  const r = rng(20261205);
  const kinds: Kind[] = ['promote', 'promote', 'rollback', 'rollout-start', 'rollout-ramp', 'rollout-stop'];
  const ok: Record<string, number> = {};
  const codes: Record<string, number> = {};
  const faults: string[] = [];
  // The rounds' events follow the set-up's (model-create, register, the first promote).
  let lastId = (await pool.query<{ id: string }>('SELECT max(id) AS id FROM audit_events WHERE model = $1', [MODEL])).rows[0].id;
  let production = 1;
  let activeRollout: string | undefined;
  const started = Date.now();
  for (let round = 0; round < ROUNDS; round++) {
    const ops: Op[] = Array.from({ length: AT_ONCE }, () => ({ kind: kinds[Math.floor(r() * kinds.length)], version: VERSIONS[Math.floor(r() * VERSIONS.length)] }));
    const okThisRound: Record<string, number> = {};
    await Promise.all(ops.map(async (o) => {
      try {
        await run(o);
        okThisRound[o.kind] = (okThisRound[o.kind] ?? 0) + 1;
        codes.OK = (codes.OK ?? 0) + 1;
      } catch (err) {
        const e = err as { code: number; details: string };
        codes[status[e.code] ?? String(e.code)] = (codes[status[e.code] ?? String(e.code)] ?? 0) + 1;
        if (!REFUSALS.has(e.code)) faults.push(`${o.kind} ${o.version}: ${status[e.code]} ${e.details}`);
      }
    }));
    for (const [k, n] of Object.entries(okThisRound)) ok[k] = (ok[k] ?? 0) + n;

    // One production, at most one active rollout.
    const prod = (await pool.query<{ number: number }>("SELECT number FROM model_aliases WHERE model = $1 AND alias = 'production'", [MODEL])).rows;
    assert.equal(prod.length, 1, `round ${round}: production rows`);
    const active = (await pool.query<{ id: string }>("SELECT id FROM rollouts WHERE model = $1 AND state = 'active'", [MODEL])).rows;
    assert.ok(active.length <= 1, `round ${round}: ${active.length} active rollouts`);

    // The audit holds exactly the calls that succeeded (a promote of production is a no-op, audited as one).
    const events = (await pool.query<AuditRow>(`SELECT id, action, from_version, to_version, outcome, detail FROM audit_events
      WHERE model = $1 AND id > $2 ORDER BY id`, [MODEL, lastId])).rows;
    lastId = events.at(-1)?.id ?? lastId;
    const audited: Record<string, number> = {};
    for (const e of events) if (e.outcome !== 'refused') audited[e.action] = (audited[e.action] ?? 0) + 1;
    assert.deepEqual(audited, okThisRound, `round ${round}: audited changes vs calls that succeeded`);

    // Replayed in id order, the audit is a chain that ends in the state the tables hold.
    for (const e of events) {
      if (e.action === 'promote' || e.action === 'rollback') {
        assert.equal(e.from_version, production, `audit ${e.id} (${e.action}) starts from version ${e.from_version}, production was ${production}`);
        production = e.to_version!;
      } else if (e.action === 'rollout-start') {
        assert.equal(activeRollout, undefined, `audit ${e.id} starts a rollout while ${activeRollout} is active`);
        assert.equal(e.from_version, production, `audit ${e.id}: the control is production`);
        activeRollout = e.detail!.rollout;
      } else if (e.action === 'rollout-ramp' || e.action === 'rollout-stop') {
        assert.equal(e.detail?.rollout, activeRollout, `audit ${e.id} (${e.action}) names rollout ${e.detail?.rollout}, the active one is ${activeRollout}`);
        if (e.action === 'rollout-stop') activeRollout = undefined;
      }
    }
    assert.equal(production, prod[0].number, `round ${round}: the audit replays to production ${production}, the alias is ${prod[0].number}`);
    assert.equal(activeRollout, active[0]?.id, `round ${round}: the audit replays to the active rollout`);
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(`concurrency: ${ROUNDS * AT_ONCE} changes, ${AT_ONCE} at once, in ${seconds.toFixed(1)} s; codes ${JSON.stringify(codes)}; succeeded ${JSON.stringify(ok)}`);
  assert.deepEqual(faults, []);
  for (const k of kinds) assert.ok((ok[k] ?? 0) > 0, `no ${k} succeeded: ${JSON.stringify(ok)}`);

  // Scoring (same process) follows: it serves the registry's production, and the active rollout's arms.
  const want = `models/${MODEL}/versions/${production}`;
  const scoring = clientOf('ScoringService', op);
  await call(op, clientOf('ScoringService', op), 'Score', { model: MODEL, user_id: 'u1', item_ids: ['v1'], top_k: 1, context: { hod: 1, dow: 1 } }).catch(() => undefined);
  const until = Date.now() + 20_000;
  let st: { models: { production_version: string; arms: unknown[] }[] } = { models: [] };
  while (Date.now() < until) {
    st = await call(op, scoring, 'GetScoringStatus', { model: MODEL });
    const m = st.models[0];
    if (m && m.production_version === want && (m.arms.length > 0) === (activeRollout !== undefined)) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  assert.equal(st.models[0]?.production_version, want);
  assert.equal(st.models[0].arms.length > 0, activeRollout !== undefined);
  assert.deepEqual(watch.errors, [], 'the server logged errors');
});
