// Server configuration from flags and the environment (read through core/config.ts), validated at start: a bad
// value stops the process with one line that names the variable and what it expects.
import * as path from 'node:path';
import { ConfigError, checkAddr, checkVars, readVar, redact, type EnvSource, type VarName } from '../../core/config';
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

export { ConfigError, checkAddr, redact };

/** Parses a `--services` list (the flag; MODELOPS_SERVICES is read by core/config.ts); empty means all six. */
function parseServices(value: string | undefined): ServiceName[] {
  if (!value || value === 'all') return [...SERVICE_NAMES];
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!(SERVICE_NAMES as readonly string[]).includes(n)) {
      throw new ConfigError(`--services: unknown service "${n}"; expected a comma-separated subset of ${SERVICE_NAMES.join(',')}`);
    }
  }
  return [...new Set(names)] as ServiceName[];
}

function parseS3(env: EnvSource | undefined): S3Config | undefined {
  const endpoint = readVar('S3_ENDPOINT', env);
  if (!endpoint) return undefined;
  const accessKey = readVar('S3_ACCESS_KEY', env);
  const secretKey = readVar('S3_SECRET_KEY', env);
  if (!accessKey) throw new ConfigError('S3_ACCESS_KEY: required when S3_ENDPOINT is set');
  if (!secretKey) throw new ConfigError('S3_SECRET_KEY: required when S3_ENDPOINT is set');
  return { endpoint, accessKey, secretKey, bucket: readVar('S3_BUCKET', env), region: readVar('S3_REGION', env) };
}

/**
 * Reads the server configuration from flags (which win) and the environment. Every variable a server reads is
 * checked here, before anything starts, also those the services read when they start (core/config.ts checkVars).
 */
export function loadServerConfig(
  flags: { addr?: string; metricsAddr?: string; services?: string; consoleAddr?: string },
  env?: EnvSource,
): ServerConfig {
  const skip: VarName[] = [];
  if (flags.addr !== undefined) skip.push('MODELOPS_ADDR');
  if (flags.metricsAddr !== undefined) skip.push('MODELOPS_METRICS_ADDR');
  if (flags.consoleAddr !== undefined) skip.push('MODELOPS_CONSOLE_ADDR');
  if (flags.services !== undefined) skip.push('MODELOPS_SERVICES');
  checkVars(['serve', 'both'], env, skip);
  const off = (raw: string) => (raw === '' || raw === 'off' ? '' : raw);
  const addr = flags.addr !== undefined ? checkAddr('--addr', flags.addr) : readVar('MODELOPS_ADDR', env);
  const metricsAddr = flags.metricsAddr !== undefined ? off(flags.metricsAddr) && checkAddr('--metrics-addr', flags.metricsAddr) : readVar('MODELOPS_METRICS_ADDR', env);
  const consoleAddr = flags.consoleAddr !== undefined ? off(flags.consoleAddr) && checkAddr('--console-addr', flags.consoleAddr) : readVar('MODELOPS_CONSOLE_ADDR', env);
  const certFile = readVar('MODELOPS_TLS_CERT', env);
  const keyFile = readVar('MODELOPS_TLS_KEY', env);
  if (!!certFile !== !!keyFile) throw new ConfigError('MODELOPS_TLS_CERT and MODELOPS_TLS_KEY: set both (PEM files) or neither');
  return {
    addr,
    metricsAddr,
    consoleAddr,
    services: flags.services !== undefined ? parseServices(flags.services) : readVar('MODELOPS_SERVICES', env),
    home: path.resolve(readVar('MODELOPS_HOME', env)),
    databaseUrl: readVar('DATABASE_URL', env),
    s3: parseS3(env),
    requireTokenForReads: readVar('MODELOPS_REQUIRE_TOKEN_FOR_READS', env),
    adminToken: readVar('MODELOPS_ADMIN_TOKEN', env),
    tls: certFile && keyFile ? { certFile, keyFile } : undefined,
  };
}
