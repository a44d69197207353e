// Bootstrap of the views parse worker thread: the compiled worker beside it (dist/), or, when this runs from the
// TypeScript sources (tests), the TypeScript worker through tsx.
if (require('node:fs').existsSync(require('node:path').join(__dirname, 'view-parse-worker.js'))) {
  require('./view-parse-worker.js');
} else {
  require('tsx/cjs');
  require('./view-parse-worker.ts');
}
