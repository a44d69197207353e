// The docs of the configuration cannot drift from the registry (core/config-vars.ts): the README's table is the
// registry rendered (test/helpers/config-table.ts), the per-service tables of docs/ show the registry's defaults,
// every variable that README.md, deploy/README.md and docs/ name is registered (or is a knob of the tests
// alone), and the registry's lists and defaults agree with the code that keeps its own copy.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SERVICES, VARS, type VarName } from '../../core/config';
import { SERVICE_NAMES } from '../../proto/load';
import { DEFAULT_MAX_QUEUED } from '../../services/training/job-store';
import { DEFAULT_CUPED_LOOKBACK_DAYS, DEFAULT_GUARD_INTERVAL_MS } from '../../services/rollout/rollout-service';
import { configTable } from '../helpers/config-table';

const root = path.resolve(__dirname, '../..');
const read = (rel: string) => fs.readFileSync(path.join(root, rel), 'utf8');
const docs = ['README.md', 'deploy/README.md', ...fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
/** An environment variable's name as the docs write it. */
const NAME = /\b(?:MODELOPS_[A-Z0-9_]+|S3_[A-Z_]+|DATABASE_URL)\b/g;
const registered = (name: string) => Object.prototype.hasOwnProperty.call(VARS, name);

test("README's configuration table is the registry, row for row", () => {
  const readme = read('README.md');
  const at = readme.indexOf('## Configuration\n');
  assert.ok(at >= 0, 'README has a "## Configuration" section');
  const start = readme.indexOf('| variable |', at);
  const table = readme.slice(start, readme.indexOf('\n\n', start) + 1);
  assert.equal(table, configTable(),
    'README.md\'s configuration table differs from core/config-vars.ts; print the registry\'s with '
    + 'npx tsx -e "process.stdout.write(require(\'./test/helpers/config-table\').configTable())" and paste it');
});

test('every table row of docs/ that names a variable shows its registered default', () => {
  let rows = 0;
  for (const doc of docs.filter((d) => d.startsWith('docs/'))) {
    const lines = read(doc).split('\n');
    let defaultColumn = -1;
    for (const line of lines) {
      if (!line.startsWith('|')) { defaultColumn = -1; continue; }
      const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
      if (defaultColumn < 0) { defaultColumn = cells.findIndex((c) => /^default$/i.test(c)); continue; }
      const names = [...cells[0].matchAll(NAME)].map((m) => m[0]);
      if (!names.length) continue;
      for (const name of names) {
        assert.ok(registered(name), `${doc}: ${name} is not in core/config-vars.ts`);
        const shown = VARS[name as VarName].shownDefault.replace(/`/g, '');
        assert.equal(cells[defaultColumn].replace(/`/g, ''), shown, `${doc}: the default of ${name}`);
        rows++;
      }
    }
  }
  assert.ok(rows >= 10, `${rows} variable rows found in docs/ tables`);
});

test('every variable the README and docs/ name is registered, or a knob the tests alone read', () => {
  const testOnly = (name: string) => {
    const inShipped = ['core', 'ml', 'registry', 'services', 'cli'].some((dir) => grep(path.join(root, dir), name));
    return !inShipped && (grep(path.join(root, 'test'), name) || grep(path.join(root, 'scripts'), name) || read('package.json').includes(name));
  };
  for (const doc of docs) {
    for (const name of new Set([...read(doc).matchAll(NAME)].map((m) => m[0]))) {
      assert.ok(registered(name) || testOnly(name), `${doc} names ${name}: register it in core/config-vars.ts, or stop naming it`);
    }
  }
});

test('the registry agrees with the code that keeps its own copy of a list or a default', () => {
  assert.deepEqual([...SERVICES], [...SERVICE_NAMES]);
  assert.equal(VARS.MODELOPS_TRAINING_QUEUE_MAX.fallback, DEFAULT_MAX_QUEUED);
  assert.equal(VARS.MODELOPS_GUARDRAIL_INTERVAL_MS.fallback, DEFAULT_GUARD_INTERVAL_MS);
  assert.equal(VARS.MODELOPS_CUPED_LOOKBACK_DAYS.fallback, DEFAULT_CUPED_LOOKBACK_DAYS);
});

/** Whether any .ts/.js file under `dir` contains `needle`. */
function grep(dir: string, needle: string): boolean {
  if (!fs.existsSync(dir)) return false;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== 'node_modules' && e.name !== 'gen' && grep(p, needle)) return true; }
    else if (/\.(ts|js)$/.test(e.name) && fs.readFileSync(p, 'utf8').includes(needle)) return true;
  }
  return false;
}
