import { getIntrospectionQuery } from 'graphql';
import request from 'supertest';
import { startTestHub, type TestHub } from './helpers/hub';

let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub();
});

afterAll(() => hub.close());

const rejected = (res: Awaited<ReturnType<TestHub['gql']>>, message: RegExp) => {
  expect(res.status).toBe(400);
  expect(res.data).toBeUndefined();
  expect(res.errors![0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  expect(res.errors![0].message).toMatch(message);
};

test('the deepest useful query and GraphiQL’s introspection pass the limits', async () => {
  const deep = await hub.gql(
    'civilCounty',
    '{ children(first: 1) { edges { node { guardians { workRegion { parent { name } } } enrolment { schoolRegion { name } } } } } }',
  );
  expect(deep.errors).toBeUndefined();
  const introspection = await hub.gql('civilCounty', getIntrospectionQuery());
  expect(introspection.errors).toBeUndefined();
  expect(introspection.data!.__schema.queryType.name).toBe('Query');
});

test('a query nested deeper than 12 levels is refused before it runs', async () => {
  const nested = (n: number): string => (n === 0 ? 'name' : `parent { ${nested(n - 1)} }`);
  rejected(await hub.gql('civilCounty', `{ region(code: "630121101200") { ${nested(13)} } }`), /depth limit of 12/);
});

test('more than 15 aliases are refused', async () => {
  const q = `{ ${Array.from({ length: 16 }, (_, i) => `r${i}: region(code: "63") { name }`).join(' ')} }`;
  rejected(await hub.gql('civilCounty', q), /Aliases limit of 15/);
});

test('an oversized document is refused by its token count', async () => {
  const q = `{ region(code: "63") { ${Array.from({ length: 2100 }, () => 'name').join(' ')} } }`;
  const res = await hub.gql('civilCounty', q);
  expect(res.status).toBe(400);
  expect(res.errors![0]).toMatchObject({ extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
  expect(res.errors![0].message).toMatch(/more tha[nt] 2000 tokens/);
});

test('a query too costly to run is refused', async () => {
  // Wide rather than deep or long: a fragment spread at every level multiplies the work
  // without passing the depth, alias or token limits.
  const nest = (n: number): string => (n === 0 ? '...F' : `...F parent { ${nest(n - 1)} }`);
  const aliases = Array.from({ length: 15 }, (_, i) => `r${i}: regions(parentCode: "63") { ${nest(10)} }`);
  const q = `{ ${aliases.join(' ')} } fragment F on Region { code name level }`;
  rejected(await hub.gql('civilCounty', q), /Cost limit of 20000/i);
});

describe('"Did you mean" suggestions, which would map the schema, only in development', () => {
  /** A misspelt field, argument, input field and enum value (in the document and in its variables). */
  const MISSPELT: [string, string, Record<string, unknown>][] = [
    ['field', '{ regon(code: "63") { name } }', {}],
    ['argument', '{ regions(parentCod: "63") { name } }', {}],
    ['input field', '{ children(filter: { regionCod: "63" }) { totalCount } }', {}],
    ['enum value', '{ children(filter: { category: LEFT_BEHIN }) { totalCount } }', {}],
    [
      'enum value in the variables',
      'query($category: ChildCategory) { children(filter: { category: $category }) { totalCount } }',
      { category: 'LEFT_BEHIN' },
    ],
  ];
  let development: TestHub;

  beforeAll(async () => {
    development = await startTestHub({ suggestions: true });
  });
  afterAll(() => development.close());

  test.each(MISSPELT)('outside development, a misspelt %s gets none', async (_what, query, variables) => {
    const res = await hub.gql('civilCounty', query, variables);
    expect(res.errors!.length).toBeGreaterThan(0);
    for (const { message } of res.errors!) {
      expect(message).not.toMatch(/Did you mean/);
      expect(message).not.toMatch(/"(region|regions|parentCode|regionCode|LEFT_BEHIND)"/);
    }
  });

  test.each(MISSPELT)('in development, a misspelt %s gets one', async (_what, query, variables) => {
    const res = await development.gql('civilCounty', query, variables);
    expect(res.errors!.map((e) => e.message).join('\n')).toMatch(/Did you mean/);
  });
});

test('batched requests are refused', async () => {
  const res = await request(hub.http.app)
    .post('/graphql')
    .set('authorization', `Bearer ${await hub.token('civilCounty')}`)
    .send([{ query: '{ region(code: "63") { name } }' }, { query: '{ region(code: "11") { name } }' }]);
  expect(res.status).toBe(400);
});
