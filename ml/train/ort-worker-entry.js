// Bootstrap of the onnxruntime engine's worker thread: registers tsx so the TypeScript worker loads without a build step.
require('tsx/cjs');
require('./ort-worker.ts');
