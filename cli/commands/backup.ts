// `modelops backup --out DIR` and `modelops restore DIR`: the database and the bucket to a folder and back
// (registry/backup.ts). Like `serve`, they work on the stores directly, not through the gRPC API: with
// DATABASE_URL and S3_ENDPOINT set, on those; else on the embedded default of MODELOPS_HOME, through the
// Postgres and S3 of the server that runs there (read from its lock), or started for the command when none runs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import pino from 'pino';
import type { Pool } from 'pg';
import { needFlag, need, type Command, type Io } from '../command';
import { emit } from '../output';
import { DomainError } from '../../core/errors';
import { readVar } from '../../core/config';
import { loadServerConfig, ConfigError } from '../../services/common/config';
import { adminTokenFile } from '../../services/common/admin-token';
import { openPlatform } from '../../services/common/context';
import { EmbeddedS3 } from '../../services/common/embedded';
import { liveHolder } from '../../services/common/home-lock';
import { openDatabase } from '../../registry/data-source';
import { S3ArtifactStore, type ArtifactStore } from '../../registry/artifact-store';
import { backup, restore, type BackupManifest } from '../../registry/backup';

/** The stores a backup or restore works on, and whether they are the embedded default's. */
interface Stores {
  pool: Pool;
  artifacts: ArtifactStore;
  /** The embedded home, when the stores are the embedded default's. */
  home?: string;
  close(): Promise<void>;
}

async function openStores(mode: 'backup' | 'restore'): Promise<Stores> {
  const config = loadServerConfig({});
  const log = pino({ level: readVar('MODELOPS_LOG_LEVEL') ?? 'warn' }, pino.destination(2));
  const embedded = !config.databaseUrl || !config.s3;
  const holder = embedded ? liveHolder(config.home) : undefined;
  if (!holder) {
    const ctx = await openPlatform({ ...config, addr: '', services: [] }, log, { seedAdmin: false });
    return { pool: ctx.db.pool, artifacts: ctx.artifacts, home: embedded ? config.home : undefined, close: () => ctx.close() };
  }
  if (mode === 'restore') {
    throw new ConfigError(`MODELOPS_HOME ${config.home} is in use by modelops pid ${holder.pid}; a restore goes into a fresh home: stop that process, or set MODELOPS_HOME to a new folder`);
  }
  const url = config.databaseUrl ?? holder.databaseUrl;
  const endpoint = config.s3?.endpoint ?? holder.s3Endpoint;
  if (!url || !endpoint) throw new ConfigError(`MODELOPS_HOME ${config.home}: the server (pid ${holder.pid}) is still starting; retry in a few seconds`);
  const db = await openDatabase(url, { poolSize: 2 });
  const artifacts = new S3ArtifactStore(config.s3 ?? { endpoint, accessKey: EmbeddedS3.ACCESS_KEY, secretKey: EmbeddedS3.SECRET_KEY, bucket: 'modelops', region: 'us-east-1' });
  return { pool: db.pool, artifacts, home: config.home, close: () => db.close() };
}

/** Runs `fn` on the stores; a domain error prints as its code and message. */
async function withStores(mode: 'backup' | 'restore', io: Io, fn: (s: Stores) => Promise<void>): Promise<number> {
  const stores = await openStores(mode);
  try {
    await fn(stores);
    return 0;
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    io.err(`modelops ${mode}: ${err.code}: ${err.message}\n`);
    return 1;
  } finally {
    await stores.close();
  }
}

function totals(m: BackupManifest) {
  return {
    tables: m.tables.length, rows: m.tables.reduce((s, t) => s + t.rows, 0),
    objects: m.objects.length, objectBytes: m.objects.reduce((s, o) => s + o.size, 0), migrations: m.migrations.length, createTime: m.createTime,
  };
}

/** The CLI commands `backup` and `restore` (found by folder by cli/main.ts). */
export const commands: Command[] = [
  {
    name: 'backup',
    summary: 'Copy the database (one consistent snapshot) and every object of the bucket into a new folder.',
    flags: { out: { type: 'string', description: 'The folder to write (new or empty).', placeholder: 'DIR' } },
    async run(args, io) {
      const out = path.resolve(needFlag(args, 'out'));
      const started = Date.now();
      return withStores('backup', io, async (s) => {
        const m = await backup(s.pool, s.artifacts, out, (line) => io.err(`backup: ${line}\n`));
        // The embedded default's first admin token lives beside the database: keep it with the backup (0600).
        const token = s.home ? adminTokenFile(s.home) : '';
        const kept = token !== '' && fs.existsSync(token);
        if (kept) fs.copyFileSync(token, path.join(out, 'admin-token'));
        if (kept) fs.chmodSync(path.join(out, 'admin-token'), 0o600);
        const t = totals(m);
        emit(io, { out, ...t, adminToken: kept, seconds: (Date.now() - started) / 1000 }, () => io.out(
          `backup in ${out}: ${t.tables} tables (${t.rows} rows), ${t.objects} objects (${(t.objectBytes / 1e6).toFixed(1)} MB)${kept ? ', the admin token' : ''}; ` +
          `restore with \`modelops restore ${out}\` into a fresh MODELOPS_HOME`));
      });
    },
  },
  {
    name: 'restore',
    summary: 'Restore a backup into an empty platform (a fresh MODELOPS_HOME, or an empty database and bucket).',
    usage: '<backup-dir>',
    async run(args, io) {
      const dir = path.resolve(need(args, 0, '<backup-dir>', 'restore <backup-dir>'));
      const started = Date.now();
      return withStores('restore', io, async (s) => {
        const m = await restore(s.pool, s.artifacts, dir, (line) => io.err(`restore: ${line}\n`));
        const token = s.home ? adminTokenFile(s.home) : '';
        const kept = token !== '' && fs.existsSync(path.join(dir, 'admin-token')) && !fs.existsSync(token);
        if (kept) {
          fs.copyFileSync(path.join(dir, 'admin-token'), token);
          fs.chmodSync(token, 0o600);
        }
        const t = totals(m);
        emit(io, { from: dir, ...t, adminToken: kept, seconds: (Date.now() - started) / 1000 }, () => io.out(
          `restored ${dir} (made ${t.createTime}): ${t.tables} tables (${t.rows} rows), ${t.objects} objects (${(t.objectBytes / 1e6).toFixed(1)} MB)` +
          `${kept ? ', the admin token' : ''}; start the platform with \`modelops serve\``));
      });
    },
  },
];
