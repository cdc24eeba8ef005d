#!/usr/bin/env node
// Entry point of the `hub` command: TypeScript sources run through tsx.
require('tsx/cjs');
require('../src/cli/index.ts');
