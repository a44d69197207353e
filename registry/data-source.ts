// The TypeORM DataSource and the raw pg pool of a process. Migrations run at start (never `synchronize`).
// Entities (registry/entities/*.entity.ts) and migrations (registry/migrations/*.ts) are found by folder,
// so each part of the platform adds its own files without editing a shared list. The patterns take .ts (the
// sources, under tsx in tests) and .js (the compiled dist/ that `modelops` runs).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource, EntitySchema, type MigrationInterface } from 'typeorm';
import { Pool, type PoolClient } from 'pg';

type MigrationClass = new () => MigrationInterface;

function modulesIn(dir: string, pattern: RegExp): Record<string, unknown>[] {
  return fs.readdirSync(dir).filter((f) => pattern.test(f) && !f.endsWith('.test.ts')).sort()
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    .map((f) => require(path.join(dir, f)) as Record<string, unknown>);
}

/** Every EntitySchema exported by registry/entities/*.entity.ts. */
export function allEntities(): EntitySchema[] {
  return modulesIn(path.join(__dirname, 'entities'), /\.entity\.[jt]s$/)
    .flatMap((m) => Object.values(m).filter((v): v is EntitySchema => v instanceof EntitySchema));
}

/** Every migration class exported by registry/migrations/*.ts, in file-name (timestamp) order. */
export function allMigrations(): MigrationClass[] {
  return modulesIn(path.join(__dirname, 'migrations'), /^\d+-.*\.[jt]s$/)
    .flatMap((m) => Object.values(m).filter((v): v is MigrationClass => typeof v === 'function'));
}

/** The database handles of a process: TypeORM for the registry's entities, a pg pool for bulk SQL. */
export interface Database {
  /** The TypeORM DataSource, initialised and migrated. */
  dataSource: DataSource;
  /** A pg pool on the same database, for COPY and hand-written hot-path queries. */
  pool: Pool;
  /** The connection URL (with its password). */
  url: string;
  close(): Promise<void>;
}

/** Connects to `url`, runs pending migrations, and returns both handles. */
export async function openDatabase(url: string, opts: { poolSize?: number } = {}): Promise<Database> {
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    entities: allEntities(),
    migrations: allMigrations(),
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: opts.poolSize ?? 10 },
  });
  await dataSource.initialize();
  try {
    // Two processes starting at once on one database must not run the same migration twice.
    await dataSource.query('SELECT pg_advisory_lock(727274)');
    try {
      await dataSource.runMigrations();
    } finally {
      await dataSource.query('SELECT pg_advisory_unlock(727274)');
    }
  } catch (err) {
    await dataSource.destroy();
    throw err;
  }
  const pool = new Pool({ connectionString: url, max: opts.poolSize ?? 10 });
  pool.on('error', () => undefined); // an idle client's error is reported on the next query
  // pg-pool's end() resolves once it has asked each client to end, not once its connection is closed; a
  // Postgres stopped right after close() would still cut those connections "by administrator command", and
  // any listener on them (the training runner's) would log that as an error. close() waits for them.
  const open = new Set<PoolClient>();
  pool.on('connect', (c) => {
    open.add(c);
    c.once('end', () => open.delete(c));
  });
  return {
    dataSource,
    pool,
    url,
    async close() {
      await Promise.allSettled([dataSource.destroy(), pool.end()]);
      await Promise.all([...open].map((c) => new Promise<void>((resolve) => {
        c.once('end', () => resolve());
        setTimeout(resolve, 5000).unref();
      })));
    },
  };
}
