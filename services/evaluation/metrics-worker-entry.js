// Bootstrap of the evaluation's metric worker thread: registers tsx so the TypeScript worker loads without a build step.
require('tsx/cjs');
require('./metrics-worker.ts');
