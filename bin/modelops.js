#!/usr/bin/env node
// The `modelops` binary: runs the compiled CLI in dist/ (built by `npm install`/`npm ci` through "prepare",
// and by `npm test`), so no TypeScript is transpiled at run time.
const path = require('node:path');
const main = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
try {
  require.resolve(main);
} catch {
  process.stderr.write(`modelops: ${path.relative(process.cwd(), main) || main} is missing; build it with \`npm run build\` (npm install does it)\n`);
  process.exit(1);
}
require(main);
