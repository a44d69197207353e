// Bootstrap of the onnxruntime engine's worker thread: the compiled worker beside it (dist/), or, when this runs
// from the TypeScript sources (tests), the TypeScript worker through tsx.
if (require('node:fs').existsSync(require('node:path').join(__dirname, 'ort-worker.js'))) {
  require('./ort-worker.js');
} else {
  require('tsx/cjs');
  require('./ort-worker.ts');
}
