// Integration-test harness: a real server in this process, on a fresh database of the tests' Postgres
// (TEST_DATABASE_URL, which `npm test` always sets: the machine's Postgres at 127.0.0.1:5432 when one answers
// there, else an embedded Postgres that scripts/run-tests.js starts for the run) and a real S3 server (s3rver)
// on a temp folder. Every test gets its own database, so test files can run in parallel.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { Client } from 'pg';
import pino, { type Logger } from 'pino';
import { EmbeddedS3 } from '../../services/common/embedded';
import type { ServerConfig } from '../../services/common/config';
import { startPlatform, type Platform } from '../../services/serve';
import type { Role } from '../../registry/token-store';
import { SERVICE_NAMES, type ServiceName } from '../../proto/load';
import { clientOf, call, type Target } from '../../cli/client';

/** The admin URL of the test Postgres. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Creates an empty database and returns its URL and a function that drops it. */
export async function createTestDatabase(prefix = 'mo_test'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A running test platform and what a test needs to talk to it. */
export interface TestPlatform {
  platform: Platform;
  /** host:port of the gRPC server. */
  addr: string;
  /** The S3 endpoint and folder of the test's S3 server. */
  s3Endpoint: string;
  s3Dir: string;
  /** The database URL of this test. */
  databaseUrl: string;
  /** An admin token's secret. */
  adminToken: string;
  /** A CLI target (address + token) with the given role (admin by default). */
  target(role?: Role): Promise<Target>;
  /** Env for running the CLI or a child server against this platform. */
  env(role?: Role): Promise<NodeJS.ProcessEnv>;
  /** Stops the server and S3 and drops the database. */
  stop(): Promise<void>;
}

/** Starts the platform in-process with `services` (all by default) on a random port, logging to `log` when given. */
export async function startTestPlatform(opts: { services?: ServiceName[]; config?: Partial<ServerConfig>; log?: Logger } = {}): Promise<TestPlatform> {
  const db = await createTestDatabase();
  // A test that asserts on the server's log passes its own logger (with a capturing destination).
  const log = opts.log ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const s3Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-s3-'));
  const s3 = new EmbeddedS3(s3Dir, log);
  const s3Endpoint = await s3.start('modelops');
  const adminToken = `test-admin-${Math.random().toString(36).slice(2)}-secret`;
  const config: ServerConfig = {
    addr: '127.0.0.1:0', metricsAddr: '', services: opts.services ?? [...SERVICE_NAMES], home: fs.mkdtempSync(path.join(os.tmpdir(), 'mo-home-')),
    databaseUrl: db.url, s3: { endpoint: s3Endpoint, accessKey: EmbeddedS3.ACCESS_KEY, secretKey: EmbeddedS3.SECRET_KEY, bucket: 'modelops', region: 'us-east-1' },
    requireTokenForReads: false, adminToken, ...opts.config,
  };
  const platform = await startPlatform(config, log);
  const addr = platform.server.addr;
  const tokens = new Map<Role, string>([['admin', adminToken]]);
  const tokenFor = async (role: Role) => {
    if (!tokens.has(role)) tokens.set(role, (await platform.ctx.tokens.create(role, `test ${role}`, 'test')).secret);
    return tokens.get(role)!;
  };
  return {
    platform, addr, s3Endpoint, s3Dir, databaseUrl: db.url, adminToken,
    async target(role: Role = 'admin') {
      return { addr, token: await tokenFor(role) };
    },
    async env(role: Role = 'admin') {
      return { ...process.env, MODELOPS_ADDR: addr, MODELOPS_TOKEN: await tokenFor(role), MODELOPS_LOG_LEVEL: 'silent' };
    },
    async stop() {
      await platform.stop(2000);
      await s3.stop();
      await db.drop().catch(() => undefined);
      fs.rmSync(s3Dir, { recursive: true, force: true });
    },
  };
}

/** Calls a unary RPC of a platform service with a target's token (a thin re-export for tests). */
export { clientOf, call };

/** Resolves with the gRPC error of a call expected to fail, or throws if it succeeded. */
export async function rpcError(p: Promise<unknown>): Promise<{ code: number; details: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as { code: number; details: string };
    return { code: e.code, details: e.details };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

export { grpc };
