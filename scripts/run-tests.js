#!/usr/bin/env node
// `npm test`: runs every *.test.ts file (beside the code and in test/) with node's test runner through
// tsx, prints the spec report, and ends with one line CI reads: "N passed, N failed, N skipped".
// `npm test -- <substring>...` runs only the files whose path contains one of the substrings.
const { spawn } = require('node:child_process');
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
const tap = path.join(os.tmpdir(), `modelops-tap-${process.pid}.txt`);
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const child = spawn(process.execPath, [
  '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`,
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=tap', `--test-reporter-destination=${tap}`,
  ...files,
], { cwd: root, stdio: 'inherit', env: { ...process.env, MODELOPS_LOG_LEVEL: process.env.MODELOPS_LOG_LEVEL ?? 'silent' } });
child.on('exit', (code, signal) => {
  const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
  fs.rmSync(tap, { force: true });
  const count = (name) => Number((new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text) ?? [])[1] ?? 0);
  const passed = count('pass');
  const failed = count('fail') + count('cancelled');
  const skipped = count('skipped') + count('todo');
  console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(code ?? (signal ? 1 : 0));
});
