#!/usr/bin/env node
// `npm run bench -- <name>`: runs bench/<name>.bench.ts through tsx.
require('tsx/cjs');
require('../bench/main.ts');
