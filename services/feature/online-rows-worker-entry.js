// Bootstrap of the online rows' worker thread: the compiled worker beside it (dist/), or, when this runs from the
// TypeScript sources (tests), the TypeScript worker through tsx.
if (require('node:fs').existsSync(require('node:path').join(__dirname, 'online-rows-worker.js'))) {
  require('./online-rows-worker.js');
} else {
  require('tsx/cjs');
  require('./online-rows-worker.ts');
}
