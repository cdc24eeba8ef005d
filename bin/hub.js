#!/usr/bin/env node
// Entry point of the `hub` command: the TypeScript sources run through tsx, whose hooks cover
// both require() and import() (the embedded database is loaded lazily with import()).
require('tsx/esm/api').register();
require('tsx/cjs/api').register();
require('../src/cli/index.ts');
