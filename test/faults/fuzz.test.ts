// Bad input at every RPC: fast-check generates request messages for every RPC of the loaded descriptors
// (an RPC added later is fuzzed without an edit here) with hostile values, sends them through real gRPC to
// a real server, and checks that only the expected status codes come back, that the server logs no error,
// that its memory stays bounded and that a stored string reads back verbatim.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import fc from 'fast-check';
import { status } from '@grpc/grpc-js';
import { call, clientOf, type TestPlatform } from '../helpers/platform';
import { FAULT_SUITE, LogWatch, RawClient, platformRpcs, resolveType, startWatchedPlatform, type MessageDesc, type RpcDesc } from './harness';

/** The codes a request can earn; anything else (INTERNAL, UNKNOWN, DEADLINE_EXCEEDED, UNAVAILABLE) is a fault. */
const ALLOWED = new Set<number>([
  status.OK, status.INVALID_ARGUMENT, status.NOT_FOUND, status.FAILED_PRECONDITION, status.UNAUTHENTICATED,
  status.PERMISSION_DENIED, status.RESOURCE_EXHAUSTED, status.ALREADY_EXISTS,
]);

/** Requests per RPC; with the 47 RPCs of today, 47 x 215 = 10,105 requests. */
const RUNS_PER_RPC = Number(process.env.FUZZ_RUNS_PER_RPC ?? 215);
/** RPCs whose valid requests start background work that grows with a number in the request (a training job's
 * epochs, a generated event count): their numbers are capped to small values, never skipped. */
const CAPPED = new Set(['StartTrainingJob', 'GenerateEvents', 'BuildDataset', 'CreateEvaluation', 'StartRollout']);
/** Memory bound asserted on this process (server and fuzzing client together). */
const RSS_BOUND_MB = 1024;

const watch = new LogWatch();
let tp: TestPlatform;
let raw: RawClient;
before(async () => {
  if (!FAULT_SUITE) return;
  tp = await startWatchedPlatform(watch);
  raw = new RawClient(tp.addr);
  // Existing targets, so that some fuzzed ids reach past "not found".
  const admin = await tp.target('admin');
  await call(admin, clientOf('RegistryService', admin), 'CreateModel', { model_id: 'fz-model', description: 'seed' });
});
after(async () => {
  raw?.close();
  await tp?.stop();
});

const csv = 'user_id,video_id,date,hourmin,time_ms,is_click,is_like,play_time_ms,duration_ms\n1,2,20220408,1000,1649381000000,1,0,3000,10000\n';
const hostileStrings: string[] = [
  '', ' ', "'", '"', "o'brien\"; DROP TABLE models; --", ';', '../../../etc/passwd', '..\\..\\windows', 'a\u0000b', '\u0000',
  'models/../fz-model', 'fz-model', 'models/fz-model', 'fz-model;', "fz-model'", '日本語のモデル', '🚀💥', '\u202e\u200b', 'é\u0301',
  '%s%n%x', '${jndi:ldap://x}', '<script>', 'null', 'undefined', 'NaN', '-1', '1e309', 'x'.repeat(70_000),
];
const hostileBytes: Buffer[] = [
  Buffer.alloc(0), Buffer.from(csv), Buffer.from('not,a,header\n\u0000\u0001\u0002'), Buffer.from('user_id\n' + '9'.repeat(400) + '\n'),
  zlib.gzipSync(Buffer.from(csv)), zlib.gzipSync(Buffer.from(csv)).subarray(0, 20), Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff]),
  zlib.gzipSync(Buffer.from('a,b\n' + '"unterminated\n'.repeat(50))), Buffer.from('"' + 'x'.repeat(5000)),
];

const str = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...hostileStrings) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }) },
);
const num = (capped: boolean) => capped
  ? fc.oneof(fc.constantFrom(NaN, -Infinity, -1, 0, 0.5, 1, 2, 3), fc.integer({ min: -5, max: 5 }))
  : fc.oneof(fc.constantFrom(NaN, Infinity, -Infinity, -1, -0, 0, 1, 1e308, -1e308, 2 ** 31, 2 ** 53 + 1, 1e-320), fc.double(), fc.integer());
const int = (capped: boolean, signed: boolean) => capped
  ? fc.integer({ min: signed ? -5 : 0, max: 5 })
  : fc.oneof(fc.constantFrom(0, 1, 2 ** 31 - 1, signed ? -1 : 0, signed ? -(2 ** 31) : 7), fc.integer({ min: signed ? -(2 ** 31) : 0, max: 2 ** 31 - 1 }));
const long = (capped: boolean) => capped
  ? fc.integer({ min: -5, max: 5 }).map(String)
  : fc.oneof(fc.constantFrom('0', '-1', '9223372036854775807', '-9223372036854775808', '4294967296'), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String));

/** An arbitrary for one value of `field` of `parent`. */
function fieldValue(field: MessageDesc['field'][number], parent: MessageDesc, capped: boolean, depth: number): fc.Arbitrary<unknown> {
  switch (field.type) {
    case 'TYPE_STRING': return str;
    case 'TYPE_BYTES': return fc.oneof(fc.constantFrom(...hostileBytes), fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)));
    case 'TYPE_BOOL': return fc.boolean();
    case 'TYPE_DOUBLE': case 'TYPE_FLOAT': return num(capped);
    case 'TYPE_INT32': case 'TYPE_SINT32': case 'TYPE_SFIXED32': return int(capped, true);
    case 'TYPE_UINT32': case 'TYPE_FIXED32': return int(capped, false);
    case 'TYPE_INT64': case 'TYPE_SINT64': case 'TYPE_SFIXED64': case 'TYPE_UINT64': case 'TYPE_FIXED64': return long(capped);
    case 'TYPE_ENUM': {
      const t = resolveType(field.typeName, parent) as { enumValues: string[] };
      return fc.oneof(fc.constantFrom(...t.enumValues), fc.integer({ min: -3, max: 99 }));
    }
    case 'TYPE_MESSAGE': {
      const t = resolveType(field.typeName, parent) as MessageDesc;
      if (t.options?.mapEntry) {
        const [k, v] = t.field;
        return fc.dictionary(fieldValue(k, t, capped, depth + 1).map(String), fieldValue(v, t, capped, depth + 1), { maxKeys: 4 });
      }
      return depth >= 3 ? fc.constant({}) : message(t, capped, depth + 1);
    }
    default: return fc.constant(undefined);
  }
}

/** A small hostile element of a repeated field, for huge lists. */
function smallElement(f: MessageDesc['field'][number]): unknown {
  switch (f.type) {
    case 'TYPE_STRING': return "a'b;../\u00e9";
    case 'TYPE_BYTES': return Buffer.from('a,b\n');
    case 'TYPE_BOOL': return true;
    case 'TYPE_MESSAGE': return {};
    case 'TYPE_ENUM': return 1;
    case 'TYPE_DOUBLE': case 'TYPE_FLOAT': return NaN;
    default: return f.type.includes('64') ? '-1' : -1;
  }
}

/** An arbitrary request object for `desc`: every field may be absent, hostile, or (repeated) huge. */
function message(desc: MessageDesc, capped: boolean, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const parts: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of desc.field) {
    const one = fieldValue(f, desc, capped, depth);
    if (f.label === 'LABEL_REPEATED' && !(f.type === 'TYPE_MESSAGE' && (resolveType(f.typeName, desc) as MessageDesc).options?.mapEntry)) {
      const huge = capped || depth > 0 ? 50 : f.type === 'TYPE_MESSAGE' ? 1_000 : 5_000;
      parts[f.name] = fc.oneof(
        { weight: 8, arbitrary: fc.array(one, { maxLength: 5 }) },
        // A huge list repeats one small element (a giant string 5,000 times would be a 350 MB request, which
        // the message size limit answers, but only after the client has pushed it through the socket).
        { weight: 1, arbitrary: fc.constant(Array.from({ length: huge }, () => smallElement(f))) },
      );
    } else {
      parts[f.name] = one;
    }
  }
  return fc.record(parts, { requiredKeys: [] });
}

/** Re-encodes a field with the wrong wire type (a varint where a string goes, bytes where a number goes). */
function wireMutations(rpc: RpcDesc, good: Buffer): fc.Arbitrary<Buffer> {
  const numbers = rpc.request.field.map((f) => f.number);
  if (numbers.length === 0) return fc.constant(Buffer.from([0x08, 0x01]));
  return fc.oneof(
    // A field with the other wire type: varint (0), 64-bit (1), length-delimited (2), 32-bit (5).
    fc.tuple(fc.constantFrom(...numbers), fc.constantFrom(0, 1, 2, 5)).map(([n, w]) => {
      const tag = Buffer.from([(n << 3) | w]);
      const body = w === 0 ? Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]) : w === 1 ? Buffer.alloc(8, 0xff) : w === 2 ? Buffer.from([3, 0xff, 0xfe, 0x00]) : Buffer.alloc(4, 0x7f);
      return Buffer.concat([good, tag, body]);
    }),
    // Truncated or random bytes: a length that runs past the end, a bad varint.
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((a) => Buffer.from(a)),
    fc.constant(Buffer.concat([good, Buffer.from([(numbers[0] << 3) | 2, 0x7f])])),
  );
}

function encode(rpc: RpcDesc, obj: Record<string, unknown>): Buffer {
  try {
    return rpc.serialize(obj);
  } catch {
    // protobufjs refuses some values on the client side (an int64 string it cannot parse): send the rest.
    return rpc.serialize({});
  }
}

/** One generated request: the messages of the call (a stream sends several). */
function requestOf(rpc: RpcDesc): fc.Arbitrary<Buffer[]> {
  const capped = CAPPED.has(rpc.method);
  const typed = message(rpc.request, capped).map((o) => encode(rpc, o));
  const one = fc.oneof({ weight: 6, arbitrary: typed }, { weight: 1, arbitrary: typed.chain((b) => wireMutations(rpc, b)) });
  return rpc.requestStream ? fc.array(one, { minLength: 0, maxLength: 5 }) : one.map((b) => [b]);
}

interface Fault { rpc: string; code: number; details: string; sample: string }

test('fuzzing every request of every RPC of the descriptors returns only expected codes, logs no error, stays within memory', { skip: !FAULT_SUITE, timeout: 900_000 }, async () => {
  const rpcs = platformRpcs();
  assert.ok(rpcs.length >= 40, `only ${rpcs.length} RPCs found in the descriptors`);
  const faults: Fault[] = [];
  const codes = new Map<string, number>();
  let sent = 0;
  let peakRss = process.memoryUsage().rss;
  const baseRss = peakRss;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 100);
  const started = Date.now();
  try {
    // Every RPC is fuzzed at once (47 calls in flight), each by its own fast-check property run.
    await Promise.all(rpcs.map((rpc) => fc.assert(fc.asyncProperty(requestOf(rpc), async (messages) => {
      const r = await raw.call(rpc, messages, tp.adminToken, 30_000);
      sent++;
      const name = status[r.code] ?? String(r.code);
      codes.set(name, (codes.get(name) ?? 0) + 1);
      if (!ALLOWED.has(r.code)) faults.push({ rpc: rpc.path, code: r.code, details: r.details, sample: messages.map((m) => m.subarray(0, 120).toString('hex')).join('|') });
      for (const s of watch.secretList) if (r.details.includes(s)) faults.push({ rpc: rpc.path, code: r.code, details: 'a secret in the error message', sample: '' });
    }), { numRuns: RUNS_PER_RPC, seed: Number(process.env.FUZZ_SEED ?? 20261205), endOnFailure: true })));
  } finally {
    clearInterval(sampler);
  }
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const mb = (n: number) => Math.round(n / 2 ** 20);
  console.log(`fuzz: ${sent} requests over ${rpcs.length} RPCs in ${((Date.now() - started) / 1000).toFixed(1)} s; codes ${JSON.stringify(Object.fromEntries(codes))}; RSS ${mb(baseRss)} MB before, peak ${mb(peakRss)} MB; ${watch.lines} log lines, ${watch.errors.length} at error level`);
  const byKind = new Map<string, Fault>();
  for (const f of faults) byKind.set(`${f.rpc} ${f.code}`, f);
  assert.deepEqual([...byKind.values()].map((f) => `${f.rpc} ${status[f.code]}: ${f.details} [${f.sample}]`), []);
  assert.deepEqual(watch.errors, [], 'the server logged errors while fuzzed');
  assert.ok(sent >= 10_000, `${sent} requests`);
  assert.ok(mb(peakRss) < RSS_BOUND_MB, `peak RSS ${mb(peakRss)} MB`);
  // The server still answers after the fuzzing.
  const admin = await tp.target('admin');
  const got = await call<object, { model: { id: string } }>(admin, clientOf('RegistryService', admin), 'GetModel', { name: 'fz-model' });
  assert.equal(got.model.id, 'fz-model');
});

test('a model created with any description reads back with exactly that description', { skip: !FAULT_SUITE, timeout: 300_000 }, async () => {
  const admin = await tp.target('admin');
  const client = clientOf('RegistryService', admin);
  let i = 0;
  let stored = 0;
  await fc.assert(fc.asyncProperty(
    fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom(...hostileStrings)),
    async (description) => {
      const name = `verbatim-${i++}`;
      try {
        await call(admin, client, 'CreateModel', { model_id: name, description });
      } catch (err) {
        // Refusing a string it cannot store is allowed (a NUL), with INVALID_ARGUMENT; anything else is not.
        assert.equal((err as { code: number }).code, status.INVALID_ARGUMENT, String(err));
        assert.ok(description.includes('\u0000') || [...description].length > 1000, `refused ${JSON.stringify(description.slice(0, 80))}: ${String(err)}`);
        return;
      }
      stored++;
      const got = await call<object, { model: { description: string } }>(admin, client, 'GetModel', { name });
      assert.equal(got.model.description, description);
    }), { numRuns: 200, seed: 7 });
  assert.ok(stored >= 150, `${stored} stored`);
  assert.deepEqual(watch.errors, []);
  assert.deepEqual(watch.leaks, []);
});
