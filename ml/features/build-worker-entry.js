// Bootstrap of the dataset build's worker thread: the compiled worker beside it (dist/), or, when this runs from
// the TypeScript sources (tests), the TypeScript worker through tsx.
if (require('node:fs').existsSync(require('node:path').join(__dirname, 'build-worker.js'))) {
  require('./build-worker.js');
} else {
  require('tsx/cjs');
  require('./build-worker.ts');
}
