// Bootstrap of a trainer worker thread: the compiled worker beside it (dist/), or, when this runs from the
// TypeScript sources (tests), the TypeScript worker through tsx.
if (require('node:fs').existsSync(require('node:path').join(__dirname, 'worker.js'))) {
  require('./worker.js');
} else {
  require('tsx/cjs');
  require('./worker.ts');
}
