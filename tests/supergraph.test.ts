import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { composeSupergraph } from '../src/gateway/compose';
import { readSupergraph } from '../src/gateway/supergraph';

const root = path.join(__dirname, '..');

test('schema/supergraph.graphql is the composition of the subgraph SDL files (run npm run compose)', () => {
  expect(readSupergraph()).toBe(composeSupergraph());
});

test('generated resolver types match the SDL files (run npm run codegen)', () => {
  const cli = path.join(root, 'node_modules/@graphql-codegen/cli/esm/bin.js');
  const run = spawnSync(process.execPath, [cli, '--config', 'codegen.ts', '--check'], { cwd: root, encoding: 'utf8' });
  expect([run.status, run.stdout + run.stderr]).toEqual([0, expect.any(String)]);
});
