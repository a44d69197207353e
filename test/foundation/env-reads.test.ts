// The environment is read in one place. Every .ts/.js file of the shipped folders is parsed with the TypeScript
// parser: none but core/config.ts touches `process.env` (as `process.env`, `process['env']`, `const { env } =
// process`, or through an import of node:process), every read names its variable as a literal
// (`readVar('MODELOPS_ADDR')`), and the files that read a variable are exactly the `readBy` of its entry in
// core/config-vars.ts. The rule: shipped code (core, ml, registry, services, cli, proto, experiments, bin)
// reads the environment through core/config.ts only. Tests (`*.test.ts` beside the code and test/), benchmarks
// (bench/) and build tooling (scripts/) may read and set it: for their own knobs and for the servers and child
// processes they start, which then read it through core/config.ts.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { VARS, type VarName } from '../../core/config';

const root = path.resolve(__dirname, '../..');

/** The folders of shipped code. */
const SHIPPED = ['core', 'ml', 'registry', 'services', 'cli', 'proto', 'experiments', 'bin'] as const;
/** The one file that reads the environment. */
const READER = 'core/config.ts';
/** The reader's functions that take a variable's name first. */
const READS = new Set(['readVar', 'isSet']);
const PROCESS_MODULES = new Set(['process', 'node:process']);

/** One touch of the environment outside the reader, or a read the test cannot attribute. */
interface Finding {
  file: string;
  line: number;
  what: string;
}

/** What one file does with the environment: its touches of process.env and the variables it reads by name. */
function scan(file: string, text: string): { touches: Finding[]; reads: { name: string; line: number }[] } {
  const sf = ts.createSourceFile(file, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
    false, file.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  const line = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const touches: Finding[] = [];
  const reads: { name: string; line: number }[] = [];
  // Names bound to the process module (`import * as p from 'node:process'`, `const p = require('process')`).
  const processNames = new Set(['process']);
  const isProcessModule = (n: ts.Node | undefined) => !!n && ts.isStringLiteralLike(n) && PROCESS_MODULES.has(n.text);
  const isRequireOfProcess = (n: ts.Node | undefined) => !!n && ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'require' && isProcessModule(n.arguments[0]);
  const isProcess = (n: ts.Node): boolean => (ts.isIdentifier(n) && processNames.has(n.text))
    || (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'globalThis' && n.name.text === 'process')
    || isRequireOfProcess(n);
  const collect = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && isProcessModule(node.moduleSpecifier) && node.importClause) {
      const c = node.importClause;
      if (c.name) processNames.add(c.name.text);
      if (c.namedBindings && ts.isNamespaceImport(c.namedBindings)) processNames.add(c.namedBindings.name.text);
      if (c.namedBindings && ts.isNamedImports(c.namedBindings)) {
        for (const el of c.namedBindings.elements) if ((el.propertyName ?? el.name).text === 'env') touches.push({ file, line: line(el), what: "imports env from 'process'" });
      }
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && isProcessModule(node.moduleReference.expression)) {
      processNames.add(node.name.text);
    } else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && isRequireOfProcess(node.initializer)) {
      processNames.add(node.name.text);
    }
    ts.forEachChild(node, collect);
  };
  collect(sf);
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && node.name.text === 'env' && isProcess(node.expression)) {
      touches.push({ file, line: line(node), what: 'process.env' });
    } else if (ts.isElementAccessExpression(node) && isProcess(node.expression) && ts.isStringLiteralLike(node.argumentExpression) && node.argumentExpression.text === 'env') {
      touches.push({ file, line: line(node), what: "process['env']" });
    } else if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer && isProcess(node.initializer)
      && node.name.elements.some((e) => ((e.propertyName ?? e.name) as ts.Identifier).text === 'env')) {
      touches.push({ file, line: line(node), what: 'const { env } = process' });
    } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && READS.has(node.expression.text)) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) reads.push({ name: arg.text, line: line(node) });
      else touches.push({ file, line: line(node), what: `${node.expression.text}() with a computed name (name the variable as a literal)` });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { touches, reads };
}

/** The shipped source files, relative to the root (no tests, no generated code, no build output). */
function shippedFiles(): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = `${rel}/${e.name}`;
      if (e.isDirectory()) { if (!['node_modules', 'dist', 'proto/gen'].some((x) => child === x || child.endsWith(`/${x}`))) walk(child); }
      else if (/\.(ts|js|cjs|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts') && !/\.test\.[cm]?[tj]s$/.test(e.name)) {
        out.push({ path: child, text: fs.readFileSync(path.join(root, child), 'utf8') });
      }
    }
  };
  for (const f of SHIPPED) if (fs.existsSync(path.join(root, f))) walk(f);
  return out;
}

/** Every shipped file with what it does with the environment, scanned once for both tests. */
let scanned: { path: string; touches: Finding[]; reads: { name: string; line: number }[] }[] | undefined;
// A file that never writes "env", readVar or isSet cannot touch the environment: it is not parsed (faster).
const shipped = () => (scanned ??= shippedFiles().map((f) => ({ path: f.path,
  ...(/env|readVar|isSet/.test(f.text) ? scan(f.path, f.text) : { touches: [], reads: [] }) })));

test('no shipped file but core/config.ts touches process.env, and every read names its variable', () => {
  const files = shipped();
  assert.ok(files.some((f) => f.path === READER) && files.length > 100, `${files.length} files read, ${READER} among them`);
  const found = files.filter((f) => f.path !== READER).flatMap((f) => f.touches);
  assert.deepEqual(found.map((t) => `${t.file}:${t.line}: ${t.what}: read the environment through core/config.ts (readVar)`), []);
  // The reader itself is seen by the scan: the test would notice a reader that moved.
  assert.ok(files.find((f) => f.path === READER)!.touches.some((t) => t.what === 'process.env'));
});

test("the files that read each variable are exactly its entry's readBy in core/config-vars.ts", () => {
  const readers = new Map<string, Set<string>>();
  for (const f of shipped()) {
    for (const r of f.reads) {
      assert.ok(r.name in VARS, `${f.path}:${r.line} reads ${r.name}, which core/config-vars.ts does not register`);
      if (!readers.has(r.name)) readers.set(r.name, new Set());
      readers.get(r.name)!.add(f.path);
    }
  }
  for (const name of Object.keys(VARS) as VarName[]) {
    assert.deepEqual([...(readers.get(name) ?? [])].sort(), [...VARS[name].readBy].sort(), `${name}: the files that read it (readBy)`);
  }
});

test('the scan finds every way to touch the environment, and none in a comment or a string', () => {
  const text = [
    '// process.env.A in a comment',
    "const s = 'process.env.B in a string';",
    'const a = process.env.A;',
    "const b = process['env'];",
    'const { env } = process;',
    "import * as p from 'node:process';",
    'const c = p.env;',
    "import { env as e2 } from 'process';",
    "const q = require('process'); const d = q.env;",
    'const g = globalThis.process.env;',
    "const r = readVar('MODELOPS_ADDR'); const n = 'X'; readVar(n as never);",
  ].join('\n');
  const { touches, reads } = scan('cli/x.ts', text);
  assert.deepEqual(touches.sort((x, y) => x.line - y.line).map((t) => [t.line, t.what]), [
    [3, 'process.env'], [4, "process['env']"], [5, 'const { env } = process'], [7, 'process.env'], [8, "imports env from 'process'"],
    [9, 'process.env'], [10, 'process.env'], [11, 'readVar() with a computed name (name the variable as a literal)'],
  ]);
  assert.deepEqual(reads, [{ name: 'MODELOPS_ADDR', line: 11 }]);
});
