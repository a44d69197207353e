#!/usr/bin/env node
// `npm test`: runs every *.test.ts file (beside the code and in test/) with node's test runner through
// tsx, prints the spec report, and ends with one line CI reads: "N passed, N failed, N skipped".
// `npm test -- <substring>...` runs only the files whose path contains one of the substrings.
//
// Before the tests: dist/ is rebuilt when a source changed (the CLI and server that tests spawn are the
// compiled ones). The tests pass anywhere: they get their own MODELOPS_HOME (never ./.modelops, where
// `npm start` may be serving), the console off, and a Postgres: TEST_DATABASE_URL, else the machine's at
// 127.0.0.1:5432 (TEST_PG_PROBE_ADDR changes where to look), else one embedded Postgres for the whole run.
const { spawn } = require('node:child_process');
const net = require('node:net');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dirs = ['core', 'cli', 'services', 'registry', 'ml', 'test', 'bench', 'proto'];
const filters = process.argv.slice(2);
const files = [];
for (const d of dirs) {
  const abs = path.join(root, d);
  if (!fs.existsSync(abs)) continue;
  for (const f of fs.readdirSync(abs, { recursive: true })) {
    if (!String(f).endsWith('.test.ts') || String(f).includes('node_modules')) continue;
    const rel = path.join(d, String(f));
    if (filters.length === 0 || filters.some((s) => rel.includes(s))) files.push(rel);
  }
}
files.sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}
/** True when something accepts TCP connections at host:port within a second. */
function answers(hostPort) {
  const i = hostPort.lastIndexOf(':');
  return new Promise((resolve) => {
    const s = net.connect({ host: hostPort.slice(0, i), port: Number(hostPort.slice(i + 1)) });
    const done = (ok) => { s.destroy(); resolve(ok); };
    s.setTimeout(1000, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** The admin URL of the tests' Postgres, and how to stop it when this run started it. */
async function testPostgres() {
  if (process.env.TEST_DATABASE_URL) return { url: process.env.TEST_DATABASE_URL, stop: async () => undefined };
  const probe = process.env.TEST_PG_PROBE_ADDR ?? '127.0.0.1:5432';
  if (await answers(probe)) {
    const [host, port] = [probe.slice(0, probe.lastIndexOf(':')), probe.slice(probe.lastIndexOf(':') + 1)];
    return { url: `postgres://postgres@${host}:${port}/postgres`, stop: async () => undefined };
  }
  // The project's own embedded Postgres (dist/, just built), in a home that the postgres user can enter when
  // this runs as root.
  const { EmbeddedPostgres } = require(path.join(root, 'dist', 'services', 'common', 'embedded.js'));
  const pino = require('pino');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'modelops-test-pg-'));
  fs.chmodSync(home, 0o755);
  const pg = new EmbeddedPostgres(home, pino({ level: 'warn' }));
  const started = Date.now();
  const url = (await pg.start()).replace(/\/modelops$/, '/postgres');
  console.log(`nothing answers at ${probe}: the tests use an embedded Postgres at ${url} (started in ${Date.now() - started} ms)`);
  return { url, stop: async () => { await pg.stop(); fs.rmSync(home, { recursive: true, force: true }); } };
}

async function run() {
  require('./build.js').build(['--if-stale']);
  const pg = await testPostgres();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'modelops-test-home-'));
  const tap = path.join(os.tmpdir(), `modelops-tap-${process.pid}.txt`);
  const concurrency = process.env.TEST_CONCURRENCY ?? '2';
  const env = {
    ...process.env,
    MODELOPS_LOG_LEVEL: process.env.MODELOPS_LOG_LEVEL ?? 'silent',
    TEST_DATABASE_URL: pg.url,
    MODELOPS_HOME: home,
    MODELOPS_TEST_SHARED_HOME: home,
    MODELOPS_CONSOLE_ADDR: 'off',
  };
  const child = spawn(process.execPath, [
    '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`,
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ], { cwd: root, stdio: 'inherit', env });
  // Ctrl-C reaches the test runner too; this process waits for it, then stops its Postgres.
  process.on('SIGINT', () => undefined);
  const [code, signal] = await new Promise((resolve) => child.on('exit', (c, s) => resolve([c, s])));
  await pg.stop();
  fs.rmSync(home, { recursive: true, force: true });
  const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
  fs.rmSync(tap, { force: true });
  const count = (name) => Number((new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text) ?? [])[1] ?? 0);
  const passed = count('pass');
  const failed = count('fail') + count('cancelled');
  const skipped = count('skipped') + count('todo');
  console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
  return code ?? (signal ? 1 : 0);
}

run().then((code) => process.exit(code), (err) => {
  console.error(err);
  process.exit(1);
});
