// Backup and restore of the platform's state: every table of the database and every object of the bucket,
// into a folder. Tables are copied with COPY in one REPEATABLE READ READ ONLY transaction (one consistent
// snapshot, taken while the platform serves), gzip'd, one file per table; then every object is copied with its
// sha256. Restore goes into an empty database (migrated by this build) and an empty bucket: the objects first,
// each verified, then all tables in one transaction in foreign-key order, then the sequences. The embedded
// Postgres ships no pg_dump, and a Postgres server of another major version would need its own; COPY needs
// neither and reads back with the same client the platform uses.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { DomainError, failedPrecondition } from '../core/errors';
import { checkKey, sha256Hex, type ArtifactStore } from './artifact-store';
import { inTransaction, withTransaction } from './transaction';

/** The format tag of a backup's manifest.json. */
export const BACKUP_FORMAT = 'modelops-backup/1';

/** What manifest.json of a backup holds. */
export interface BackupManifest {
  format: string;
  createTime: string;
  /** The migrations applied to the database when it was copied (schema_migrations' names). */
  migrations: string[];
  tables: { name: string; columns: string[]; rows: number; file: string; sha256: string }[];
  sequences: { name: string; value: string; isCalled: boolean }[];
  objects: { key: string; size: number; sha256: string }[];
}

/** Progress lines for the CLI (stderr). */
export type Progress = (line: string) => void;

const MANIFEST = 'manifest.json';
/** Tables a restore does not copy: the target's migrations made them already. */
const SCHEMA_TABLES = ['schema_migrations'];

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Hashes what passes through. */
function hasher(): Transform & { digest(): string } {
  const h = crypto.createHash('sha256');
  const t = new Transform({ transform(chunk: Buffer, _enc, done) { h.update(chunk); done(null, chunk); } });
  return Object.assign(t, { digest: () => h.digest('hex') });
}

async function fileSha256(file: string): Promise<string> {
  const h = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** The platform's tables (schema public), by name. */
async function tablesOf(c: PoolClient | Pool): Promise<string[]> {
  const r = await c.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
  return r.rows.map((x) => x.name);
}

/** The columns of a table in their order, without generated ones (COPY cannot write those). */
async function columnsOf(c: PoolClient | Pool, table: string): Promise<string[]> {
  const r = await c.query<{ name: string }>(`SELECT column_name AS name FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`, [table]);
  return r.rows.map((x) => x.name);
}

/** Copies the database (one snapshot) and then the bucket into `dir`, which must be empty or absent. */
export async function backup(pool: Pool, artifacts: ArtifactStore, dir: string, progress: Progress = () => undefined): Promise<BackupManifest> {
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    throw failedPrecondition(`--out: ${dir} is not empty; give a new or empty folder (a backup never overwrites another)`);
  }
  fs.mkdirSync(path.join(dir, 'postgres'), { recursive: true });
  const manifest: BackupManifest = { format: BACKUP_FORMAT, createTime: new Date().toISOString(), migrations: [], tables: [], sequences: [], objects: [] };
  await withTransaction(pool, async (c) => {
    manifest.migrations = (await c.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY id')).rows.map((r) => r.name);
    for (const table of await tablesOf(c)) {
      if (SCHEMA_TABLES.includes(table)) continue;
      const columns = await columnsOf(c, table);
      const file = `postgres/${table}.copy.gz`;
      const hash = hasher();
      const stream = c.query(copyTo(`COPY (SELECT ${columns.map(ident).join(', ')} FROM ${ident(table)}) TO STDOUT`));
      await pipeline(stream, zlib.createGzip(), hash, fs.createWriteStream(path.join(dir, file)));
      const rows = Number((stream as unknown as { rowCount?: number }).rowCount ?? 0);
      manifest.tables.push({ name: table, columns, rows, file, sha256: hash.digest() });
      progress(`table ${table}: ${rows} rows`);
    }
    const seqs = await c.query<{ name: string; value: string | null }>(
      `SELECT sequencename AS name, last_value::text AS value FROM pg_sequences WHERE schemaname = 'public' ORDER BY sequencename`);
    manifest.sequences = seqs.rows.map((s) => ({ name: s.name, value: s.value ?? '1', isCalled: s.value !== null }));
  }, { readOnlySnapshot: true });
  // The objects after the snapshot: every row in it was committed after its objects were written, so each
  // object a copied row references is here (unless a deletion or gc removed it in between: run neither meanwhile).
  const objects = await artifacts.listObjects('');
  let bytes = 0;
  for (const [i, o] of objects.entries()) {
    const data = await artifacts.get(checkKey(o.key));
    const file = path.join(dir, 'objects', o.key);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, data);
    manifest.objects.push({ key: o.key, size: data.length, sha256: sha256Hex(data) });
    bytes += data.length;
    if ((i + 1) % 100 === 0 || i + 1 === objects.length) progress(`objects: ${i + 1}/${objects.length} (${(bytes / 1e6).toFixed(1)} MB)`);
  }
  fs.writeFileSync(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}

/** Reads and checks a backup's manifest. */
export function readManifest(dir: string): BackupManifest {
  const file = path.join(dir, MANIFEST);
  if (!fs.existsSync(file)) throw failedPrecondition(`${dir} holds no ${MANIFEST}; give the folder that \`modelops backup --out\` wrote`);
  const m = JSON.parse(fs.readFileSync(file, 'utf8')) as BackupManifest;
  if (m.format !== BACKUP_FORMAT) throw failedPrecondition(`${file}: format "${m.format}" is not ${BACKUP_FORMAT}`);
  return m;
}

/** Tables ordered so that every table comes after the tables its foreign keys reference. */
async function foreignKeyOrder(c: PoolClient, tables: string[]): Promise<string[]> {
  const r = await c.query<{ child: string; parent: string }>(`SELECT cl.relname AS child, pr.relname AS parent FROM pg_constraint k
    JOIN pg_class cl ON cl.oid = k.conrelid JOIN pg_class pr ON pr.oid = k.confrelid
    JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE k.contype = 'f' AND n.nspname = 'public'`);
  const parents = new Map<string, Set<string>>(tables.map((t) => [t, new Set<string>()]));
  for (const e of r.rows) if (e.child !== e.parent && parents.has(e.child)) parents.get(e.child)!.add(e.parent);
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (t: string) => {
    if (seen.has(t)) return;
    seen.add(t);
    for (const p of parents.get(t) ?? []) if (parents.has(p)) visit(p);
    out.push(t);
  };
  for (const t of tables) visit(t);
  return out;
}

/**
 * Restores a backup into an empty platform: FAILED_PRECONDITION when the database holds any row or the bucket
 * any object, or when the backup was made by a build with migrations this one lacks.
 */
export async function restore(pool: Pool, artifacts: ArtifactStore, dir: string, progress: Progress = () => undefined): Promise<BackupManifest> {
  const m = readManifest(dir);
  const c = await pool.connect();
  try {
    const applied = new Set((await c.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
    const unknown = m.migrations.filter((x) => !applied.has(x));
    if (unknown.length) {
      throw failedPrecondition(`the backup was made by a newer modelops (migrations ${unknown.join(', ')} are unknown here); restore it with that version`);
    }
    const tables = await tablesOf(c);
    for (const t of tables) {
      if (SCHEMA_TABLES.includes(t)) continue;
      const n = await c.query(`SELECT 1 FROM ${ident(t)} LIMIT 1`);
      if (n.rowCount) throw failedPrecondition(`the database is not empty (table ${t} has rows); restore into a fresh MODELOPS_HOME or an empty database`);
    }
    if ((await artifacts.list('')).length) throw failedPrecondition(`the bucket "${artifacts.bucket}" is not empty; restore into a fresh MODELOPS_HOME or an empty bucket`);
    for (const t of m.tables) {
      if (!tables.includes(t.name)) throw failedPrecondition(`the backup has table ${t.name}, which this database lacks`);
      const cols = new Set(await columnsOf(c, t.name));
      const missing = t.columns.filter((x) => !cols.has(x));
      if (missing.length) throw failedPrecondition(`table ${t.name} of the backup has columns ${missing.join(', ')}, which this database lacks`);
      if ((await fileSha256(path.join(dir, t.file))) !== t.sha256) throw new DomainError('DATA_LOSS', `${t.file} is corrupted: its sha256 differs from the manifest's`);
    }

    for (const [i, o] of m.objects.entries()) {
      const data = fs.readFileSync(path.join(dir, 'objects', checkKey(o.key)));
      if (sha256Hex(data) !== o.sha256) throw new DomainError('DATA_LOSS', `objects/${o.key} is corrupted: its sha256 differs from the manifest's`);
      await artifacts.put(o.key, data);
      if ((i + 1) % 100 === 0 || i + 1 === m.objects.length) progress(`objects: ${i + 1}/${m.objects.length}`);
    }

    try {
      await inTransaction(c, async () => {
        const byName = new Map(m.tables.map((t) => [t.name, t]));
        for (const name of await foreignKeyOrder(c, m.tables.map((t) => t.name))) {
          const t = byName.get(name)!;
          await pipeline(fs.createReadStream(path.join(dir, t.file)), zlib.createGunzip(),
            c.query(copyFrom(`COPY ${ident(t.name)} (${t.columns.map(ident).join(', ')}) FROM STDIN`)));
          progress(`table ${t.name}: ${t.rows} rows`);
        }
        for (const s of m.sequences) await c.query('SELECT setval($1::regclass, $2::bigint, $3)', [ident(s.name), s.value, s.isCalled]);
      });
    } catch (err) {
      throw new DomainError('FAILED_PRECONDITION', `restoring the tables failed (${(err as Error).message}); nothing of the database was changed, ` +
        'but the objects were copied: restore again into a fresh MODELOPS_HOME or an empty database and bucket');
    }
  } finally {
    c.release();
  }
  return m;
}
