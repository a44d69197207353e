// Bootstrap of the synthetic generator's worker thread: the compiled worker beside it (dist/), or, when this runs
// from the TypeScript sources (tests), the TypeScript worker through tsx.
if (require('node:fs').existsSync(require('node:path').join(__dirname, 'synthetic-worker.js'))) {
  require('./synthetic-worker.js');
} else {
  require('tsx/cjs');
  require('./synthetic-worker.ts');
}
