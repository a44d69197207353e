#!/usr/bin/env node
// Generates TypeScript types for every proto in proto/modelops/v1 into proto/gen (proto-loader-gen-types,
// with the same loader options as proto/load.ts). With --check, fails if the committed types are stale.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const protoDir = path.join(root, 'proto');
const files = fs.readdirSync(path.join(protoDir, 'modelops/v1')).filter((f) => f.endsWith('.proto')).sort()
  .map((f) => `modelops/v1/${f}`);
const check = process.argv.includes('--check');
const out = check ? fs.mkdtempSync(path.join(os.tmpdir(), 'modelops-gen-')) : path.join(protoDir, 'gen');
if (!check) fs.rmSync(out, { recursive: true, force: true });
execFileSync(process.execPath, [
  require.resolve('@grpc/proto-loader/build/bin/proto-loader-gen-types.js'),
  '--keepCase', '--longs=String', '--enums=String', '--defaults', '--oneofs', '--grpcLib=@grpc/grpc-js',
  '--includeDirs', protoDir, '--outDir', out, '--inputTemplate=%s', '--outputTemplate=%s__Output', ...files,
], { stdio: 'inherit', cwd: root });

// The generator writes each proto's absolute path into a comment; make it relative so that the output does
// not depend on where the repository is checked out.
for (const f of fs.readdirSync(out, { recursive: true })) {
  const file = path.join(out, f);
  if (!f.endsWith('.ts')) continue;
  const text = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, text.split(`Original file: ${protoDir}/`).join('Original file: proto/'));
}

if (check) {
  const list = (dir) => fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.ts')).sort();
  const want = list(out);
  const have = fs.existsSync(path.join(protoDir, 'gen')) ? list(path.join(protoDir, 'gen')) : [];
  const stale = want.filter((f) => !have.includes(f) ||
    fs.readFileSync(path.join(out, f), 'utf8') !== fs.readFileSync(path.join(protoDir, 'gen', f), 'utf8'));
  const extra = have.filter((f) => !want.includes(f));
  fs.rmSync(out, { recursive: true, force: true });
  if (stale.length || extra.length) {
    console.error(`proto/gen is stale (${[...stale, ...extra].join(', ')}): run \`npm run gen\` and commit.`);
    process.exit(1);
  }
  console.log('proto/gen is current');
}
