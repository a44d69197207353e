#!/usr/bin/env node
// `npm run build` (also run by `npm install`/`npm ci` through "prepare", and by `npm test` first): compiles the
// platform with tsc into dist/ (tsconfig.build.json: everything but tests and benchmarks), copies the files
// tsc does not emit (the .proto contracts, the worker bootstraps), and writes dist/cli/commands.json, the
// index of every CLI command (name, summary, usage, flags, file) that lets `modelops` parse and show help
// without loading a command's module until that command runs. `--if-stale` skips all of it when no source
// changed since the last build (what `npm test` runs first: seconds saved on every run, never a stale dist/).
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const FOLDERS = ['cli', 'services', 'registry', 'ml', 'core', 'proto'];

function compile() {
  let tsc;
  try {
    tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  } catch {
    // `npm ci --omit=dev` (an image's runtime stage) runs "prepare" without the compiler: that install copies a
    // dist/ built elsewhere, so it must not fail here; a build asked for by name must.
    if (process.env.npm_lifecycle_event === 'prepare') {
      console.error('build: typescript is not installed (--omit=dev), so dist/ is not built here; copy a dist/ built with the dev dependencies');
      process.exit(0);
    }
    console.error('build: typescript is not installed (it is a devDependency); run `npm ci` without --omit=dev to build dist/');
    process.exit(1);
  }
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** Copies every file of the compiled folders that is not TypeScript (protos, .js bootstraps) beside its output. */
function copyAssets() {
  for (const folder of FOLDERS) {
    const from = path.join(root, folder);
    for (const rel of fs.readdirSync(from, { recursive: true }).map(String)) {
      const src = path.join(from, rel);
      if (rel.endsWith('.ts') || rel.includes('node_modules') || !fs.statSync(src).isFile()) continue;
      if (/\.(py|md)$/.test(rel)) continue;
      const dst = path.join(dist, folder, rel);
      fs.mkdirSync(path.dirname(dst), { recursive: true });
      fs.copyFileSync(src, dst);
    }
  }
}

/** Writes the command index from the compiled command modules (loaded here once, at build time). */
function writeCommandIndex() {
  const dir = path.join(dist, 'cli', 'commands');
  // A source file deleted since the last build leaves its output behind: index only what has a source.
  const sources = new Set(fs.readdirSync(path.join(root, 'cli', 'commands')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => f.replace(/\.ts$/, '.js')));
  const index = [];
  for (const file of fs.readdirSync(dir).filter((f) => sources.has(f)).sort()) {
    const mod = require(path.join(dir, file));
    for (const c of mod.commands ?? []) {
      index.push({ name: c.name, summary: c.summary, usage: c.usage, flags: c.flags ?? {}, file });
    }
  }
  fs.writeFileSync(path.join(dist, 'cli', 'commands.json'), `${JSON.stringify(index, null, 1)}\n`);
}

const STAMP = path.join(dist, '.built');

/** The files dist/ is built from: the compiled folders (tests aside) and the build configuration. */
function inputs() {
  const files = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json', 'scripts/build.js'];
  for (const folder of FOLDERS) {
    for (const rel of fs.readdirSync(path.join(root, folder), { recursive: true }).map(String)) {
      if (!rel.includes('node_modules') && !rel.endsWith('.test.ts')) files.push(path.join(folder, rel));
    }
  }
  return files.sort();
}

/** True when a source was added, removed or changed after the last complete build (the stamp lists them). */
function stale() {
  if (!fs.existsSync(STAMP)) return true;
  const built = fs.statSync(STAMP).mtimeMs;
  const now = inputs();
  if (fs.readFileSync(STAMP, 'utf8') !== `${now.join('\n')}\n`) return true;
  return now.some((f) => fs.statSync(path.join(root, f)).mtimeMs > built);
}

/**
 * Removes outputs whose source is gone: folders are scanned for entities, migrations and commands, so a
 * deleted migration's .js must not live on in dist/.
 */
function removeOrphans() {
  for (const folder of FOLDERS) {
    const out = path.join(dist, folder);
    if (!fs.existsSync(out)) continue;
    for (const rel of fs.readdirSync(out, { recursive: true }).map(String)) {
      const file = path.join(out, rel);
      if (!fs.statSync(file).isFile()) continue;
      const src = path.join(root, folder, rel);
      const ts = src.replace(/\.js(\.map)?$/, '.ts');
      if (!fs.existsSync(src) && !fs.existsSync(ts)) fs.rmSync(file);
    }
  }
}

/** Builds dist/ (with --if-stale, only when a source changed since the last build). */
function build(argv) {
  if (argv.includes('--if-stale') && !stale()) return;
  // The stamp says what was read and when the build started reading it: a source saved while the build runs is
  // newer than the stamp, so the next --if-stale builds again instead of trusting a dist/ made from the old text.
  const started = new Date();
  const read = inputs();
  compile();
  removeOrphans();
  copyAssets();
  writeCommandIndex();
  fs.writeFileSync(STAMP, `${read.join('\n')}\n`);
  fs.utimesSync(STAMP, started, started);
}

if (require.main === module) build(process.argv.slice(2));
module.exports = { build };
