// README.md stays true: it names every CLI command and every RPC with the role the server declares.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCommands } from '../../cli/main';
import { loadProtos } from '../../proto/load';

const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');

test('README names every CLI command', () => {
  for (const c of loadCommands()) {
    const [noun, verb] = c.name.split(' ');
    // A row may group verbs: "modelops data list", "rollout start\\|ramp\\|stop".
    const grouped = verb ? new RegExp(`modelops ${noun} [^\`]*\\b${verb}\\b`).test(readme) || readme.includes(`\`${noun} ${verb}`) : readme.includes(`modelops ${noun}`) || readme.includes(`\`${noun} `);
    assert.ok(grouped, `README does not mention \`modelops ${c.name}\``);
  }
});

test('README lists every RPC of every service', () => {
  const def = loadProtos().definition;
  for (const [name, svc] of Object.entries(def)) {
    if (!name.startsWith('modelops.v1.') || !name.endsWith('Service')) continue;
    const short = name.replace('modelops.v1.', '');
    const row = readme.split('\n').find((l) => l.startsWith(`| \`${short}\``));
    assert.ok(row, `README has no row for ${short}`);
    for (const rpc of Object.keys(svc as object)) assert.ok(row!.includes(`\`${rpc}\``), `README's ${short} row lacks ${rpc}`);
  }
});
