// Server configuration from the environment, validated at start: a bad value stops the process with a
// message that names the variable and what it expects.
import * as path from 'node:path';
import { SERVICE_NAMES, type ServiceName } from '../../proto/load';
import type { S3Config } from '../../registry/artifact-store';

export type { S3Config };

/** Everything `modelops serve` needs to start. */
export interface ServerConfig {
  /** host:port the gRPC server listens on (MODELOPS_ADDR, --addr). */
  addr: string;
  /** host:port of the Prometheus endpoint (MODELOPS_METRICS_ADDR, --metrics-addr); empty disables it. */
  metricsAddr: string;
  /**
   * host:port of the read-only web console (MODELOPS_CONSOLE_ADDR, default 127.0.0.1:8080); empty or absent
   * disables it, so a platform built in code (tests) has no console unless it asks for one.
   */
  consoleAddr?: string;
  /** The services this process hosts. */
  services: ServiceName[];
  /** The folder of the embedded default (MODELOPS_HOME, default ./.modelops). */
  home: string;
  /** Postgres URL (DATABASE_URL); undefined means the embedded Postgres. */
  databaseUrl?: string;
  /** The artifact store (S3_*); undefined means the embedded S3 server. */
  s3?: S3Config;
  /** Require a token for reads and Score too (MODELOPS_REQUIRE_TOKEN_FOR_READS=1). */
  requireTokenForReads: boolean;
  /** A secret that seeds the first admin token if the database has none (MODELOPS_ADMIN_TOKEN). */
  adminToken?: string;
  /** TLS key and certificate files (MODELOPS_TLS_CERT, MODELOPS_TLS_KEY); both or neither. */
  tls?: { certFile: string; keyFile: string };
}

/** A configuration error: the message names the variable and the expected form. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_ADDR = '127.0.0.1:50051';
export const DEFAULT_METRICS_ADDR = '127.0.0.1:9464';
export const DEFAULT_CONSOLE_ADDR = '127.0.0.1:8080';

/** Checks a host:port pair and returns it unchanged. */
export function checkAddr(name: string, value: string): string {
  const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(value);
  if (!m || Number(m[2]) > 65535) throw new ConfigError(`${name}: "${value}" is not host:port (for example ${DEFAULT_ADDR})`);
  return value;
}

/** Parses a `--services` list; empty means all six. */
export function parseServices(value: string | undefined): ServiceName[] {
  if (!value || value === 'all') return [...SERVICE_NAMES];
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!(SERVICE_NAMES as readonly string[]).includes(n)) {
      throw new ConfigError(`--services: unknown service "${n}"; expected a comma-separated subset of ${SERVICE_NAMES.join(',')}`);
    }
  }
  return [...new Set(names)] as ServiceName[];
}

/** Checks DATABASE_URL's form (reachability is checked when the pool connects). */
export function checkDatabaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`DATABASE_URL: "${redact(value)}" is not a URL; expected postgres://user:password@host:5432/database`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`DATABASE_URL: scheme "${url.protocol}" is not supported; expected postgres://user:password@host:5432/database`);
  }
  if (!url.hostname) throw new ConfigError('DATABASE_URL: no host; expected postgres://user:password@host:5432/database');
  return value;
}

/** Hides the password of a URL for messages. */
export function redact(value: string): string {
  return value.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

function parseS3(env: NodeJS.ProcessEnv): S3Config | undefined {
  const endpoint = env.S3_ENDPOINT;
  if (!endpoint) return undefined;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ConfigError(`S3_ENDPOINT: "${endpoint}" is not a URL; expected http://host:port or https://host`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`S3_ENDPOINT: scheme "${url.protocol}" is not supported; expected http://host:port or https://host`);
  }
  for (const name of ['S3_ACCESS_KEY', 'S3_SECRET_KEY'] as const) {
    if (!env[name]) throw new ConfigError(`${name}: required when S3_ENDPOINT is set`);
  }
  const bucket = env.S3_BUCKET ?? 'modelops';
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new ConfigError(`S3_BUCKET: "${bucket}" is not a valid bucket name (3-63 characters: lower-case letters, digits, dots, hyphens)`);
  }
  return { endpoint, accessKey: env.S3_ACCESS_KEY!, secretKey: env.S3_SECRET_KEY!, bucket, region: env.S3_REGION ?? 'us-east-1' };
}

/** Reads the server configuration from flags (which win) and the environment. */
export function loadServerConfig(
  flags: { addr?: string; metricsAddr?: string; services?: string; consoleAddr?: string },
  env: NodeJS.ProcessEnv = process.env,
): ServerConfig {
  const addr = checkAddr(flags.addr ? '--addr' : 'MODELOPS_ADDR', flags.addr ?? env.MODELOPS_ADDR ?? DEFAULT_ADDR);
  const metricsRaw = flags.metricsAddr ?? env.MODELOPS_METRICS_ADDR ?? DEFAULT_METRICS_ADDR;
  const metricsAddr = metricsRaw === '' || metricsRaw === 'off' ? '' : checkAddr('MODELOPS_METRICS_ADDR', metricsRaw);
  const consoleRaw = flags.consoleAddr ?? env.MODELOPS_CONSOLE_ADDR ?? DEFAULT_CONSOLE_ADDR;
  const consoleAddr = consoleRaw === '' || consoleRaw === 'off' ? '' : checkAddr('MODELOPS_CONSOLE_ADDR', consoleRaw);
  const databaseUrl = env.DATABASE_URL ? checkDatabaseUrl(env.DATABASE_URL) : undefined;
  const certFile = env.MODELOPS_TLS_CERT;
  const keyFile = env.MODELOPS_TLS_KEY;
  if (!!certFile !== !!keyFile) throw new ConfigError('MODELOPS_TLS_CERT and MODELOPS_TLS_KEY: set both (PEM files) or neither');
  const reads = env.MODELOPS_REQUIRE_TOKEN_FOR_READS ?? '0';
  if (!['0', '1', 'true', 'false', ''].includes(reads)) {
    throw new ConfigError(`MODELOPS_REQUIRE_TOKEN_FOR_READS: "${reads}" is not 0 or 1`);
  }
  const adminToken = env.MODELOPS_ADMIN_TOKEN || undefined;
  if (adminToken && adminToken.length < 16) throw new ConfigError('MODELOPS_ADMIN_TOKEN: at least 16 characters expected');
  return {
    addr,
    metricsAddr,
    consoleAddr,
    services: parseServices(flags.services ?? env.MODELOPS_SERVICES),
    home: path.resolve(env.MODELOPS_HOME ?? '.modelops'),
    databaseUrl,
    s3: parseS3(env),
    requireTokenForReads: reads === '1' || reads === 'true',
    adminToken,
    tls: certFile && keyFile ? { certFile, keyFile } : undefined,
  };
}
