import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

test('the data commands load no ORM, database driver or S3 client (a client pays for none at its start)', () => {
  // A process of its own: this test's process may have loaded them already.
  const script = `require('tsx/cjs'); require(${JSON.stringify(path.join(__dirname, 'commands', 'data.ts'))});
    const heavy = Object.keys(require.cache).map((k) => /node_modules\\/(typeorm|pg|minio)\\//.exec(k)?.[1]).filter(Boolean);
    process.stdout.write(JSON.stringify([...new Set(heavy)]));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), []);
});
