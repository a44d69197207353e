// The contracts' checks: buf lint is clean, the generated types are current, and buf breaking catches a
// breaking change (shown here on a copy of the protos with a field removed and one renumbered).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');
const buf = path.join(root, 'node_modules/.bin/buf');

test('buf lint (STANDARD) is clean', () => {
  const r = spawnSync(buf, ['lint'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('proto/gen is current', () => {
  const r = spawnSync(process.execPath, ['scripts/gen-types.js', '--check'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('buf breaking catches a removed field and a changed field number in ScoreResponse', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mo-breaking-'));
  fs.cpSync(path.join(root, 'proto/modelops'), path.join(tmp, 'proto/modelops'), { recursive: true });
  fs.copyFileSync(path.join(root, 'buf.yaml'), path.join(tmp, 'buf.yaml'));
  const file = path.join(tmp, 'proto/modelops/v1/scoring_service.proto');
  const text = fs.readFileSync(file, 'utf8');
  const broken = text
    .replace(/\n\s*\/\/ The human name of that version[^\n]*\n\s*string version_name = 4;/, '')
    .replace('bool cold_start_user = 7;', 'bool cold_start_user = 17;');
  assert.notEqual(broken, text, 'the edit applied');
  fs.writeFileSync(file, broken);
  const r = spawnSync(buf, ['breaking', tmp, '--against', root], { cwd: root, encoding: 'utf8' });
  fs.rmSync(tmp, { recursive: true, force: true });
  assert.notEqual(r.status, 0, 'buf breaking must fail');
  assert.match(r.stdout + r.stderr, /version_name|field.*"4"|Previously present field/i);
  assert.match(r.stdout + r.stderr, /cold_start_user|"7"/);
});
