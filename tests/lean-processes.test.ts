import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * What a process of the hub holds once started: the packages its modules load before it serves.
 * In the split topology eleven processes each hold their own (goal 5 of the benchmark), so a
 * library loads where it is used: the federation engines where the whole hub or the router
 * runs, the composer for `hub compose`, exceljs when a spreadsheet is read or written, pg-boss
 * where casework's job queue runs. A static import of one of them anywhere below the command
 * line would put it back in every process; these tests say so.
 */
const root = path.join(__dirname, '..');

/** The packages loaded by requiring `entry` in a fresh Node process, as `bin/hub.js` runs the sources. */
function packagesLoadedBy(entry: string): string[] {
  const script = `
    require('tsx/esm/api').register();
    require('tsx/cjs/api').register();
    process.on('exit', () => {
      const names = new Set();
      for (const file of Object.keys(require.cache)) {
        const name = /node_modules\\/((@[^/]+\\/)?[^/]+)/.exec(file)?.[1];
        if (name) names.add(name);
      }
      process.stdout.write('\\n' + JSON.stringify([...names]));
    });
    require(${JSON.stringify(entry)});`;
  const run = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${entry} failed to load: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as string[];
}

const ENGINES = ['@apollo/gateway', '@graphql-hive/gateway-runtime', '@graphql-hive/router-runtime'];
const ON_USE = ['@apollo/composition', 'exceljs', 'pg-boss'];

test('the command line (a subgraph service before it serves) loads no engine, composer, spreadsheet library or job queue', () => {
  const loaded = packagesLoadedBy('./src/cli/index.ts');
  expect(loaded).toEqual(expect.arrayContaining(['@apollo/server', '@apollo/subgraph', '@mikro-orm/core']));
  expect([...ENGINES, ...ON_USE].filter((name) => loaded.includes(name))).toEqual([]);
});

test('the router loads Hive Gateway and none of the libraries loaded on use', () => {
  const loaded = packagesLoadedBy('./src/gateway/router.ts');
  expect(loaded).toContain('@graphql-hive/gateway-runtime');
  expect(['@apollo/gateway', ...ON_USE].filter((name) => loaded.includes(name))).toEqual([]);
});
