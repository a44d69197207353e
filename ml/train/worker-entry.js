// Bootstrap of a trainer worker thread: registers tsx so the TypeScript worker loads without a build step.
require('tsx/cjs');
require('./worker.ts');
