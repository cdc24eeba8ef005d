import { Pool } from 'pg';
import { DEMO_COUNTIES, seedDemo } from '../seeds/demo';
import { parseIdNumber } from '../src/subgraphs/registry/id-number';
import { startTestHub, type TestHub } from './helpers/hub';

let hub: TestHub;
let pool: Pool;

beforeAll(async () => {
  hub = await startTestHub();
  pool = new Pool({ connectionString: hub.dbUrl, max: 2 });
});

afterAll(async () => {
  await pool.end();
  await hub.close();
});

const query = async <T extends Record<string, unknown>>(sql: string) => (await pool.query<T>(sql)).rows;

test('seeds realistic, valid demo children once, and the same children for the same seed', async () => {
  const identityHash = hub.identityHash;
  expect(await seedDemo(pool, { children: 300, identityHash })).toBe(300);
  expect(await seedDemo(pool, { children: 300, identityHash })).toBe(0);

  const children = await query<{ id_number: string; birth_date: string; gender: string; region_code: string }>(
    `select id_number, to_char(birth_date, 'YYYY-MM-DD') as birth_date, gender, region_code from registry.child`,
  );
  expect(children).toHaveLength(300);
  for (const c of children) {
    const facts = parseIdNumber(c.id_number);
    expect(facts).toEqual({ regionCode: c.id_number.slice(0, 6), birthDate: c.birth_date, gender: c.gender });
    expect(DEMO_COUNTIES).toContain(c.region_code.slice(0, 6));
    expect(c.region_code).toHaveLength(12);
  }
  const guardianIds = await query<{ id_number: string }>(
    'select id_number from registry.guardian where id_number is not null',
  );
  for (const g of guardianIds) expect(parseIdNumber(g.id_number)).not.toHaveProperty('error');

  const kinds = await query<{ kind: string }>('select distinct kind from registry.guardianship order by kind');
  expect(kinds.map((k) => k.kind)).toEqual(['ENTRUSTED', 'GOVERNMENT_TEMPORARY', 'PARENTS']);
  const [{ away }] = await query<{ away: number }>(
    `select count(*)::int as away from registry.guardian where working_away and work_region_code not like '63%'`,
  );
  expect(away).toBeGreaterThan(100);
  const [{ unregistered }] = await query<{ unregistered: number }>(
    'select count(*)::int as unregistered from security.household_registration where not registered',
  );
  expect(unregistered).toBeGreaterThan(0);
  expect(await hub.count('education.enrolment')).toBeGreaterThan(200);

  // Deterministic: a fresh database seeded the same way holds the same children.
  const again = await startTestHub();
  const pool2 = new Pool({ connectionString: again.dbUrl, max: 2 });
  try {
    await seedDemo(pool2, { children: 300, identityHash });
    const ids = async (p: Pool) => (await p.query('select id, id_number, name from registry.child order by id')).rows;
    expect(await ids(pool2)).toEqual(await ids(pool));
  } finally {
    await pool2.end();
    await again.close();
  }
});

test('demo children are visible through the gateway to their county', async () => {
  const res = await hub.gql(
    'civilCounty',
    '{ children(first: 5) { totalCount edges { node { guardians { relation } } } } }',
  );
  expect(res.data!.children.totalCount).toBeGreaterThan(0);
  expect(res.data!.children.edges[0].node.guardians.length).toBeGreaterThanOrEqual(2);
});
