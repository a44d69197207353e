#!/usr/bin/env node
// The `modelops` binary: runs the TypeScript CLI through tsx, so the repository needs no build step.
require('tsx/cjs');
require('../cli/main.ts');
