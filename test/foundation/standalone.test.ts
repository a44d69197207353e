// The repository explains itself: its README and docs cite no document outside it (no design note, issue
// number or path beside the checkout), and every file they name exists, so a reader of a fresh clone can follow
// each reference.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');
const docs = ['README.md', 'deploy/README.md', ...fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** References to things that are not in the repository. */
const OUTSIDE: [RegExp, string][] = [
  [/DESIGN\.md/, 'a design note outside the repository (the design is docs/design.md)'],
  [/\bseed\//, 'the seed folder, which is not in the repository'],
  [/\bissues? #?\d+|\bthe issue'?s?\b/i, 'an issue'],
  [/\bcontract [A-D]\b/, 'a lettered contract (name the seam of docs/design.md instead)'],
  [/\/work\/|\.\.\/shared\/(?!data\/kuairand-pure)/, 'a path outside the checkout'],
];

test('README and docs cite nothing outside the repository', () => {
  for (const file of docs) {
    const lines = fs.readFileSync(path.join(root, file), 'utf8').split('\n');
    lines.forEach((line, i) => {
      for (const [re, what] of OUTSIDE) assert.doesNotMatch(line, re, `${file}:${i + 1} cites ${what}: ${line.trim()}`);
    });
  }
});

test('every file that README and docs link or name exists', () => {
  let checked = 0;
  for (const file of docs) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    const dir = path.dirname(path.join(root, file));
    // Markdown links to local files, relative to the document.
    for (const m of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
      if (/^[a-z]+:/.test(m[1])) continue;
      assert.ok(fs.existsSync(path.join(dir, m[1])), `${file}: link ${m[1]} does not exist`);
      checked++;
    }
    // Repository paths in code spans, relative to the root: `ml/features/engine.ts`, `registry/migrations/`.
    for (const m of text.matchAll(/`((?:core|ml|registry|services|cli|proto|test|deploy|docs|scripts|bench)\/[\w./-]*)`/g)) {
      if (/[<{*]/.test(m[1])) continue;
      assert.ok(fs.existsSync(path.join(root, m[1])), `${file}: ${m[1]} does not exist`);
      checked++;
    }
  }
  assert.ok(checked > 50, `${checked} references checked`);
});

/** Source folders whose comments must stand alone too; generated code and data-reference scripts are not read. */
const SOURCES = ['core', 'ml', 'registry', 'services', 'cli', 'proto/modelops', 'test', 'bench', 'scripts'];

/** Comment-only lines of the files under `dir`, with their file and line number. */
function commentLines(dir: string): { file: string; line: number; text: string }[] {
  const out: { file: string; line: number; text: string }[] = [];
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return out;
  for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) { out.push(...commentLines(rel)); continue; }
    if (!/\.(ts|js|proto)$/.test(e.name)) continue;
    fs.readFileSync(path.join(root, rel), 'utf8').split('\n').forEach((text, i) => {
      if (/^\s*(\/\/|\/\*|\*)/.test(text)) out.push({ file: rel, line: i + 1, text });
    });
  }
  return out;
}

test('source comments cite nothing outside the repository', () => {
  // This file names the patterns it looks for, so it is the one file not read.
  const lines = SOURCES.flatMap(commentLines).filter((l) => !l.file.endsWith('standalone.test.ts'));
  assert.ok(lines.length > 500, `${lines.length} comment lines read`);
  const CODE_OUTSIDE: [RegExp, string][] = [
    [/DESIGN\b|STYLE\.md/, 'a design or style note outside the repository (the design is docs/design.md)'],
    [/\bseed\//, 'the seed folder, which is not in the repository'],
    [/\bissues? #?\d+\b/i, 'an issue'],
    [/\bcontracts? [A-D]\b/, 'a lettered contract (name the seam of docs/design.md instead)'],
  ];
  const found = lines.flatMap((l) => CODE_OUTSIDE.filter(([re]) => re.test(l.text)).map(([, what]) => `${l.file}:${l.line} cites ${what}: ${l.text.trim()}`));
  assert.deepEqual(found, []);
});
