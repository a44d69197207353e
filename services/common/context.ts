// The composition root's shared parts: configuration, logger, database, artifact store, the registry's stores,
// tokens, metrics. Each is built once per process; each service receives this context and takes only what it uses.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { openDatabase, type Database } from '../../registry/data-source';
import { S3ArtifactStore, type ArtifactStore } from '../../registry/artifact-store';
import { TokenStore, type Role } from '../../registry/token-store';
import { RegistryStore } from '../../registry/registry-store';
import { Retention } from '../../registry/retention';
import { PgEventLogStore } from '../../registry/event-log';
import { PgEventSourceStore } from '../../registry/event-source-store';
import { PgOnlineFeatureStore } from '../../registry/online-feature-store';
import { RolloutStore } from '../../registry/rollout-store';
import { PgRolloutLog } from '../../registry/rollout-log';
import { PgShadowStatsStore } from '../../registry/shadow-stats-store';
import { TokenVerifier } from './auth';
import { ConfigError, redact, type ServerConfig, type S3Config } from './config';
import { EmbeddedPostgres, EmbeddedS3 } from './embedded';
import { adminTokenFile } from './admin-token';
import { HomeLock } from './home-lock';
import { Metrics } from './metrics';

/** What every service factory receives. */
export interface PlatformContext {
  config: ServerConfig;
  log: Logger;
  db: Database;
  artifacts: ArtifactStore;
  /** The registry's stores (models, versions, aliases and the model lock, audit, gate policies, evaluations). */
  registry: RegistryStore;
  /** Deletions of versions, datasets and evaluations with their objects. */
  retention: Retention;
  /** The stores more than one service uses, built once here; each service picks the members it calls. */
  stores: SharedStores;
  tokens: TokenStore;
  verifier: TokenVerifier;
  metrics: Metrics;
  /** The S3 settings in use (the embedded server's when S3_ENDPOINT is unset). */
  s3: S3Config;
}

/** The stores that several services share. */
export interface SharedStores {
  /** The view log in files with its manifest (feature: appends and builds; rollout: CUPED's pre-period means). */
  eventLog: PgEventLogStore;
  /** Event sources and their item catalogues (feature; scoring's online reads). */
  eventSources: PgEventSourceStore;
  /** Online user and item feature rows (feature writes them, scoring reads them). */
  onlineFeatures: PgOnlineFeatureStore;
  /** Rollouts (rollout changes them under the model lock; scoring reads the active ones). */
  rollouts: RolloutStore;
  /** The served, exposure and outcome log (scoring writes it, rollout reads it). */
  rolloutLog: PgRolloutLog;
  /** Shadow scoring's running statistics (scoring writes them, rollout reads them). */
  shadowStats: PgShadowStatsStore;
}

/** One gRPC service as a factory returns it. */
export interface ServiceModule {
  /** The grpc-js service definition (from proto/load.ts). */
  definition: grpc.ServiceDefinition;
  /** Handlers by method name; a method without one answers UNIMPLEMENTED. */
  handlers: grpc.UntypedServiceImplementation;
  /** The role each method needs, by method name; every method of the definition must have one. */
  roles: Record<string, Role>;
  /**
   * Methods a client can flood with large requests: the server admits a bounded number of their calls at once
   * and refuses the rest with RESOURCE_EXHAUSTED (admission.ts; MODELOPS_WRITE_CONCURRENCY, MODELOPS_WRITE_QUEUE).
   */
  backPressured?: string[];
  /** Background work to start once the server listens (queues, listeners). */
  start?(): Promise<void>;
  /** Stops background work; called before the database closes. */
  close?(): Promise<void>;
}

/** A service factory: services/<name>/index.ts exports one as `create`. */
export type ServiceFactory = (ctx: PlatformContext) => ServiceModule | Promise<ServiceModule>;

/** The context as its opener holds it: with the means to announce the address and to close everything. */
export type OpenPlatform = PlatformContext & {
  /** Closes the stores and stops the embedded servers, then gives up the home's lock. */
  close(): Promise<void>;
  /** Records the bound gRPC address in the home's lock (embedded default), where a second process reads it. */
  setAddress(addr: string): void;
};

/**
 * Opens the stores, starting the embedded Postgres/S3 where the configuration leaves them unset; the embedded
 * default first takes `$MODELOPS_HOME`'s lock (home-lock.ts), so one process at a time owns a home.
 */
export async function openPlatform(config: ServerConfig, log: Logger, opts: { seedAdmin?: boolean } = {}): Promise<OpenPlatform> {
  const cleanups: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of cleanups.reverse()) await c().catch((err: unknown) => log.error({ err }, 'cleanup failed'));
  };
  let lock: HomeLock | undefined;
  try {
    const embedded = !config.databaseUrl || !config.s3;
    if (embedded) {
      fs.mkdirSync(config.home, { recursive: true, mode: 0o755 });
      // Before anything in the home is touched: a second process on it refuses here, leaving the first alone.
      const taken = HomeLock.acquire(config.home, config.addr);
      lock = taken;
      cleanups.push(async () => taken.release());
      if (taken.previous) log.info({ pid: taken.previous.pid }, 'taking over MODELOPS_HOME from a process that died without stopping');
    }

    let url = config.databaseUrl;
    if (!url) {
      // A postmaster that dies is started again (embedded.ts revive); one that cannot be is fatal: the process
      // stops in order and exits with 75 (EX_TEMPFAIL), so that a supervisor starts it again.
      const pg = new EmbeddedPostgres(config.home, log, {
        onLost: () => {
          process.exitCode = 75;
          if (process.listenerCount('SIGTERM') > 0) process.kill(process.pid, 'SIGTERM');
          else process.exit(75);
        },
      });
      cleanups.push(() => pg.stop());
      url = await pg.start();
    }
    let db: Database;
    try {
      db = await openDatabase(url);
    } catch (err) {
      const e = err as Error & { code?: string };
      if (!config.databaseUrl) throw err;
      throw new ConfigError(`DATABASE_URL: cannot use ${redact(url)}: ${e.message}${e.code ? ` (${e.code})` : ''}; expected a reachable Postgres, postgres://user:password@host:5432/database`);
    }
    cleanups.push(() => db.close());

    let s3 = config.s3;
    if (!s3) {
      const server = new EmbeddedS3(path.join(config.home, 's3'), log);
      cleanups.push(() => server.stop());
      const endpoint = await server.start('modelops');
      s3 = { endpoint, accessKey: EmbeddedS3.ACCESS_KEY, secretKey: EmbeddedS3.SECRET_KEY, bucket: 'modelops', region: 'us-east-1' };
    }
    lock?.setStores({ databaseUrl: config.databaseUrl ? undefined : url, s3Endpoint: config.s3 ? undefined : s3.endpoint });
    const artifacts = new S3ArtifactStore(s3);
    await artifacts.ensureBucket();

    const tokens = new TokenStore(db.dataSource);
    // A restore (modelops restore) opens an empty home and must find it empty: it seeds nothing.
    if (opts.seedAdmin !== false && !(await tokens.hasAdmin())) {
      if (config.adminToken) {
        await tokens.create('admin', 'bootstrap admin (MODELOPS_ADMIN_TOKEN)', 'bootstrap', config.adminToken);
        log.info('seeded the first admin token from MODELOPS_ADMIN_TOKEN');
      } else if (embedded && !config.databaseUrl) {
        const { secret } = await tokens.create('admin', 'local admin (embedded default)', 'bootstrap');
        fs.writeFileSync(adminTokenFile(config.home), `${secret}\n`, { mode: 0o600 });
        log.info({ file: adminTokenFile(config.home) }, 'wrote the first admin token');
      } else {
        log.warn('no admin token exists: set MODELOPS_ADMIN_TOKEN at start to seed one');
      }
    }
    const metrics = new Metrics();
    const registry = new RegistryStore(db, artifacts);
    const stores: SharedStores = {
      eventLog: new PgEventLogStore(db.pool, artifacts), eventSources: new PgEventSourceStore(db.pool),
      onlineFeatures: new PgOnlineFeatureStore(db.pool), rollouts: new RolloutStore(db, registry), rolloutLog: new PgRolloutLog(db),
      shadowStats: new PgShadowStatsStore(db),
    };
    return { config, log, db, artifacts, registry, retention: new Retention(db, artifacts, registry), stores, tokens, verifier: new TokenVerifier(tokens), metrics, s3, close,
      setAddress: (addr) => lock?.setAddress(addr) };
  } catch (err) {
    await close();
    throw err;
  }
}
