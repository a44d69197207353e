// Bootstrap of the embedded S3 server's worker thread: the compiled worker beside it (dist/), or, when this runs
// from the TypeScript sources (tests), the TypeScript worker through tsx.
if (require('node:fs').existsSync(require('node:path').join(__dirname, 's3-worker.js'))) {
  require('./s3-worker.js');
} else {
  require('tsx/cjs');
  require('./s3-worker.ts');
}
