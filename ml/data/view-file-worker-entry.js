// Bootstrap of the view-file encoding worker thread: the compiled worker beside it (dist/), or, when this runs
// from the TypeScript sources (tests), the TypeScript worker through tsx.
if (require('node:fs').existsSync(require('node:path').join(__dirname, 'view-file-worker.js'))) {
  require('./view-file-worker.js');
} else {
  require('tsx/cjs');
  require('./view-file-worker.ts');
}
