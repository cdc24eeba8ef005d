import { seedDemo } from '../seeds/demo';
import { startTestHub, type GraphQLResponse, type TestHub } from './helpers/hub';

/**
 * Every entity reference and list field goes through a per-request DataLoader, so the SQL
 * statements a page costs do not grow with the page (DESIGN.md §3).
 */
let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub();
  const pool = hub.seedDatabases();
  await seedDemo(pool, { children: 600, identityHash: hub.identityHash }, ['630121']);
  await pool.end();
});

afterAll(() => hub.close());

const page = (first: number) => `{
  children(first: ${first}) {
    edges { node {
      id name residenceRegion { name parent { name } }
      guardians { relation name workRegion { name } }
      guardianship { kind entrustedGuardian { name } }
      enrolment { status schoolRegion { name } }
      householdRegistration { registered }
      protectionCases { status }
    } }
  }
}`;

const SUBGRAPHS = ['registry', 'education', 'public-security', 'casework', 'audit'];

/** The statements a query costs in each subgraph that spent any. */
async function statementsFor(query: string) {
  const before = SUBGRAPHS.map((s) => hub.sqlStatements(s));
  const res = await hub.gql('civilCounty', query);
  expect(res.errors).toBeUndefined();
  const bySubgraph = Object.fromEntries(
    SUBGRAPHS.map((s, i) => [s, hub.sqlStatements(s) - before[i]]).filter(([, n]) => n),
  );
  return { bySubgraph, data: res.data! };
}

test('a page of 50 or 100 children costs the same statements as a page of 5, in every subgraph', async () => {
  const counts = [];
  for (const first of [5, 50, 100]) {
    // The first read of a page reads regions and schools this process has not met yet.
    expect((await statementsFor(page(first))).data.children.edges).toHaveLength(first);
    counts.push(await statementsFor(page(first)));
  }
  expect(counts[1].bySubgraph).toEqual(counts[0].bySubgraph);
  expect(counts[2].bySubgraph).toEqual(counts[0].bySubgraph);
  // The registry: children, guardians with guardianship and entrusted guardians, regions, its
  // audit event; each other subgraph: its rows for the page (enrolments, households, cases) and
  // its own audit event.
  expect(counts[0].bySubgraph).toEqual({ registry: 4, education: 2, 'public-security': 2, casework: 2 });
});

test('one child across four subgraphs is two statements in each: its rows, its audit event', async () => {
  const { data } = await statementsFor('{ children(first: 1) { edges { node { id } } } }');
  const id = data.children.edges[0].node.id;
  const child = `child(id: "${id}") {
    name guardians { name } guardianship { kind }
    enrolment { status schoolName } householdRegistration { registered } protectionCases { status }
  }`;
  // The first read of the child's school reads the school too; schools are then known.
  await statementsFor(`{ ${child} }`);
  // The registry: the child with its guardians and guardianship. Education, public security and
  // casework: the child's enrolment, household, cases. Each subgraph appends its own audit event.
  expect((await statementsFor(`{ ${child} }`)).bySubgraph).toEqual({
    registry: 2,
    education: 2,
    'public-security': 2,
    casework: 2,
  });
  // The same through a fragment: what the child's selection names is found there too.
  const viaFragment = `{ child(id: "${id}") { ...Whole } } fragment Whole on Child { name guardians { name } guardianship { kind } }`;
  expect((await statementsFor(viaFragment)).bySubgraph).toEqual({ registry: 2 });
});

test('paging with `after` visits every child of the county once, village by village', async () => {
  const seen: { id: string; village: string }[] = [];
  let after: string | null = null;
  let total: number;
  do {
    const res: GraphQLResponse = await hub.gql(
      'civilCounty',
      `query($after: String) { children(first: 37, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id residenceRegion { code } } } } }`,
      { after },
    );
    const conn = res.data!.children;
    total = conn.totalCount;
    for (const e of conn.edges) seen.push({ id: e.node.id, village: e.node.residenceRegion.code });
    after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;
  } while (after);
  expect(seen).toHaveLength(total);
  expect(new Set(seen.map((s) => s.id)).size).toBe(total);
  const order = seen.map((s) => `${s.village}:${s.id}`);
  expect(order).toEqual([...order].sort());
});

test('a cursor that is not from this connection is BAD_USER_INPUT', async () => {
  const res = await hub.gql('civilCounty', '{ children(first: 5, after: "bm90LWEtY3Vyc29y") { totalCount } }');
  expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
});
