// `modelops rollout outcomes` against a server that is busy: batches refused with RESOURCE_EXHAUSTED are sent
// again after a wait, so the whole file is recorded once; any other refusal still stops the command.
import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadProtos } from '../../proto/load';
import { runCli } from '../helpers/cli';

interface Received { outcomes: { user_id: string }[] }

/** A real gRPC RolloutService whose RecordOutcomes refuses the calls `refuse` picks, and records the others. */
async function busyServer(refuse: (call: number) => grpc.status | undefined) {
  const server = new grpc.Server();
  const recorded: string[] = [];
  let calls = 0;
  server.addService(loadProtos().v1.RolloutService.service, {
    RecordOutcomes: (call: grpc.ServerUnaryCall<Received, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      const code = refuse(++calls);
      if (code !== undefined) return cb({ code, details: code === grpc.status.RESOURCE_EXHAUSTED ? 'RecordOutcomes: 1 running, 0 waiting: try again shortly' : 'no' });
      for (const o of call.request.outcomes) recorded.push(o.user_id);
      cb(null, { accepted: call.request.outcomes.length, duplicates: 0, outside_rollout: 0, unmatched: 0, breaches: [] });
    },
  });
  const port = await new Promise<number>((res, rej) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
  return { addr: `127.0.0.1:${port}`, recorded, calls: () => calls, stop: () => server.forceShutdown() };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-busy-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = path.join(dir, 'views.jsonl');
fs.writeFileSync(file, Array.from({ length: 30 }, (_, i) => JSON.stringify({ user_id: `u${i}`, item_id: `v${i}`, timespent_s: 5, time: 1_700_000_000_000 + i })).join('\n') + '\n');

test('busy refusals are retried until every batch is recorded once', async () => {
  // Calls 1, 2 and 4 are refused: the first batch goes through on the third try, the second on its second.
  const s = await busyServer((n) => ([1, 2, 4].includes(n) ? grpc.status.RESOURCE_EXHAUSTED : undefined));
  try {
    const r = await runCli(['rollout', 'outcomes', 'm', '--file', file, '--batch-size', '15', '--json'], { MODELOPS_ADDR: s.addr });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).accepted, 30);
    assert.deepEqual(s.recorded, Array.from({ length: 30 }, (_, i) => `u${i}`));
    assert.equal(s.calls(), 5);
    assert.equal((r.stderr.match(/the server is busy \(RESOURCE_EXHAUSTED\); retry/g) ?? []).length, 3, r.stderr);
  } finally {
    s.stop();
  }
});

test('a refusal other than busy stops the command with its code', async () => {
  const s = await busyServer(() => grpc.status.INVALID_ARGUMENT);
  try {
    const r = await runCli(['rollout', 'outcomes', 'm', '--file', file, '--batch-size', '15'], { MODELOPS_ADDR: s.addr });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /INVALID_ARGUMENT/);
    assert.equal(s.calls(), 1);
  } finally {
    s.stop();
  }
});
