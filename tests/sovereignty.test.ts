import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { provisionDatabase } from '../src/db/provision';
import { SUBGRAPHS } from '../src/subgraphs';
import { startTestHub, type TestHub } from './helpers/hub';

/**
 * Each department owns its subgraph: no code of another department's folder, no SQL naming
 * another's schema, and a database role that could not read another's tables if it tried.
 */
let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub();
});

afterAll(() => hub.close());

const ROOT = path.join(__dirname, '..');
const schemasOf = (def: (typeof SUBGRAPHS)[number]) => [def.schema, ...(def.extraSchemas ?? [])];

test('the lint refuses a department importing another department’s code, and lets it import shared helpers', () => {
  const lint = (source: string) =>
    spawnSync(
      path.join(ROOT, 'node_modules/.bin/eslint'),
      ['--stdin', '--stdin-filename', 'src/subgraphs/education/probe.ts'],
      {
        cwd: ROOT,
        input: source,
        encoding: 'utf8',
      },
    );
  const across = lint(`import { ChildSchema } from '../registry/child.entity';\nexport const schema = ChildSchema;\n`);
  expect(across.status).toBe(1);
  expect(across.stdout).toContain("education may not import registry's code");
  const shared = lint(
    `import { jurisdictionOfChild } from '../../peers/registry-client';\nexport const ask = jurisdictionOfChild;\n`,
  );
  expect(shared.stdout).not.toContain('no-restricted-imports');
});

test('no subgraph’s SQL names another subgraph’s schema', () => {
  const found: string[] = [];
  for (const def of SUBGRAPHS) {
    const others = SUBGRAPHS.filter((d) => d !== def).flatMap(schemasOf);
    const statement = new RegExp(
      `\\b(?:from|join|into|update|table)\\s+(?:only\\s+)?"?(?:${others.join('|')})"?\\."?\\w+`,
      'gi',
    );
    const dir = path.join(ROOT, 'src/subgraphs', def.name);
    for (const file of fs.readdirSync(dir, { recursive: true }) as string[]) {
      if (!file.endsWith('.ts') || file.endsWith('.generated.ts')) continue;
      const source = fs.readFileSync(path.join(dir, file), 'utf8');
      for (const [match] of source.matchAll(statement)) found.push(`${def.name}/${file}: ${match}`);
    }
  }
  expect(found).toEqual([]);
});

test('each subgraph’s role is refused by the database when it reads another subgraph’s tables', async () => {
  const refusals: string[] = [];
  for (const def of SUBGRAPHS) {
    const client = new Client({ connectionString: hub.subgraphs.get(def.name)!.db.url });
    await client.connect();
    try {
      await client.query(`select 1 from "${def.schema}"."audit_event" limit 1`);
      for (const other of SUBGRAPHS.filter((d) => d !== def)) {
        const error = await client.query(`select 1 from "${other.schema}"."audit_event" limit 1`).then(
          () => null,
          (err: { code?: string }) => err.code,
        );
        // In one database the role lacks the right (42501); on its own database the schema is not even there (42P01).
        refusals.push(`${def.name} → ${other.name}: ${error}`);
      }
    } finally {
      await client.end();
    }
  }
  const expected = hub.topology === 'in-process' ? '42501' : '42P01';
  expect(refusals.filter((r) => !r.endsWith(expected))).toEqual([]);
  expect(refusals).toHaveLength(SUBGRAPHS.length * (SUBGRAPHS.length - 1));
});

test('processes provisioning the same server at once (replicas starting together) all get their roles', async () => {
  const quiet = { info: () => undefined };
  const adminUrl = hub.subgraphs.get('registry')!.db.adminUrl;
  const started = await Promise.all(Array.from({ length: 6 }, () => provisionDatabase(adminUrl, SUBGRAPHS, quiet)));
  for (const databases of started) expect([...databases.keys()].sort()).toEqual(SUBGRAPHS.map((s) => s.name).sort());
});
