// `npm run bench -- registry [--versions 10] [--file-mb 4] [--promotes 40]`: what atomic registration and the
// serialised promote cost. A fresh database on the machine's Postgres (TEST_DATABASE_URL) and an s3rver on a
// temp folder. Printed: registerVersion time per version (3 files of --file-mb MB + manifest) against its
// baseline in the same run, the bare S3 puts of the same bytes; promote latency one at a time and with
// --promotes concurrent callers on one model (they queue on the model's row lock), and the rollback latency.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { openDatabase } from '../registry/data-source';
import { S3ArtifactStore } from '../registry/artifact-store';
import { RegistryStore } from '../registry/registry-store';
import { Promotions } from '../services/registry/promotion';
import { EmbeddedS3 } from '../services/common/embedded';
import { createTestDatabase } from '../test/helpers/platform';

function flag(args: string[], name: string, def: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

export async function main(args: string[]): Promise<void> {
  const nVersions = Number(flag(args, 'versions', '10'));
  const fileMb = Number(flag(args, 'file-mb', '4'));
  const nPromotes = Number(flag(args, 'promotes', '40'));
  const tdb = await createTestDatabase('mo_bench_reg');
  const db = await openDatabase(tdb.url, { poolSize: 20 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-bench-s3-'));
  const s3 = new EmbeddedS3(dir, pino({ level: 'silent' }));
  try {
    const endpoint = await s3.start('modelops');
    const artifacts = new S3ArtifactStore({ endpoint, accessKey: EmbeddedS3.ACCESS_KEY, secretKey: EmbeddedS3.SECRET_KEY, bucket: 'modelops', region: 'us-east-1' });
    const store = new RegistryStore(db, artifacts);
    const promos = new Promotions(store);
    await store.createModel({ id: 'bench', createdBy: 'bench' });
    console.log(`registry bench ${new Date().toISOString()}  node ${process.version}  ${os.cpus().length} cores, load avg ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    console.log(`workload: ${nVersions} versions x 3 files x ${fileMb} MB (+ manifest); ${nPromotes} promotes`);

    const files = (k: number) => ['user_tower.onnx', 'item_tower.onnx', 'item_vectors.bin'].map((name, i) => {
      const data = Buffer.alloc(fileMb * 1024 * 1024, (k * 3 + i) % 251);
      return { name, data };
    });
    const reg: number[] = [];
    const bare: number[] = [];
    for (let k = 0; k < nVersions; k++) {
      let t = process.hrtime.bigint();
      await store.registerVersion({ model: 'bench', name: `v${k}`, arch: 'two-tower-base', task: 'binary', label: 'wtg', buckets: '', datasetId: '',
        hyperparameters: {}, trainingMetrics: {}, parity: null, backend: '', dataWindow: '', createdBy: 'bench', files: files(k) });
      reg.push(Number(process.hrtime.bigint() - t) / 1e6);
      // Baseline: the same bytes as plain puts, no reservation, no manifest, no row.
      t = process.hrtime.bigint();
      for (const f of files(k)) await artifacts.put(`bare/${k}/${f.name}`, f.data);
      bare.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const mb = 3 * fileMb;
    console.log(`registerVersion: mean ${mean(reg).toFixed(1)} ms/version, p50 ${pct(reg, 0.5).toFixed(1)}, max ${Math.max(...reg).toFixed(1)} (${(mb / (mean(reg) / 1000)).toFixed(1)} MB/s)`);
    console.log(`baseline bare puts: mean ${mean(bare).toFixed(1)} ms/version (${(mb / (mean(bare) / 1000)).toFixed(1)} MB/s); registration overhead x${(mean(reg) / mean(bare)).toFixed(2)}`);

    const serial: number[] = [];
    for (let i = 0; i < nPromotes; i++) {
      const t = process.hrtime.bigint();
      await promos.promote({ model: 'bench', version: `v${i % nVersions}`, actor: 'bench', force: true, reason: 'bench' });
      serial.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    console.log(`promote, one at a time: p50 ${pct(serial, 0.5).toFixed(1)} ms, p99 ${pct(serial, 0.99).toFixed(1)} ms`);
    const conc: number[] = [];
    const t0 = process.hrtime.bigint();
    await Promise.all(Array.from({ length: nPromotes }, async (_, i) => {
      const t = process.hrtime.bigint();
      await promos.promote({ model: 'bench', version: `v${(i * 7) % nVersions}`, actor: 'bench', force: true, reason: 'bench' });
      conc.push(Number(process.hrtime.bigint() - t) / 1e6);
    }));
    const wall = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(`promote, ${nPromotes} concurrent: wall ${wall.toFixed(0)} ms (${(nPromotes / (wall / 1000)).toFixed(0)}/s), per call p50 ${pct(conc, 0.5).toFixed(1)} ms, max ${Math.max(...conc).toFixed(1)} ms`);
    const rb: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = process.hrtime.bigint();
      await promos.rollback({ model: 'bench', actor: 'bench' });
      rb.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    console.log(`rollback (replays the audit history, ${2 * nPromotes}+ events): p50 ${pct(rb, 0.5).toFixed(1)} ms`);
  } finally {
    await db.close();
    await s3.stop();
    await tdb.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
