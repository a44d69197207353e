// Bootstrap of the evaluation's metric worker thread: the compiled worker beside it (dist/), or, when this runs
// from the TypeScript sources (tests), the TypeScript worker through tsx.
if (require('node:fs').existsSync(require('node:path').join(__dirname, 'metrics-worker.js'))) {
  require('./metrics-worker.js');
} else {
  require('tsx/cjs');
  require('./metrics-worker.ts');
}
