import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import pino from 'pino';
import { hmacSignature } from '../src/auth/hmac';
import { defaultQueryPlanner, loadConfig, type Role } from '../src/config';
import { readSupergraph } from '../src/gateway/supergraph';
import { createGateway, type GatewayOptions } from '../src/gateway/gateway';
import { createHttpApp, type HubHttp } from '../src/http/app';
import { SUBGRAPHS } from '../src/subgraphs';
import { configProblems as problems, PRODUCTION_ENV } from './helpers/config';
import {
  CHILD_360,
  DEFAULT_PURPOSE,
  registerChild,
  registerSchool,
  startTestHub,
  type GraphQLResponse,
  type TestHub,
  IN_DISTRESS,
  TEST_ENGINE,
  TEST_QUERY_PLANNER,
} from './helpers/hub';
import { PERSONAS, REGIONS, type PersonaName } from './helpers/personas';
import { startTestRouter, type TestRouter } from './helpers/router';

/**
 * The scaled-out topology: every subgraph its own HTTP service on a loopback port, checking
 * tokens and the router's HMAC signature, behind Hive Gateway serving the committed
 * supergraph. Compared with the in-process gateway on the same database, and with the
 * in-process gateway calling the same signed subgraphs.
 */
const SECRET = randomBytes(32).toString('base64url');

let hub: TestHub;
let router: TestRouter;
/** The same router with the other query planner (Hive Gateway's JavaScript one, or Hive Router's Rust one). */
let otherPlanner: TestRouter;
let apolloRemote: HubHttp;
/** The hub in one process on the other engine (Apollo Gateway, or Hive Gateway's) than the test hub's. */
let otherEngine: HubHttp;
let subgraphUrls: Record<string, string>;
let childId: string;

/** The hub's HTTP app over the test hub's subgraphs, with a gateway built with `options`. */
const hubOn = (options: Omit<GatewayOptions, 'supergraphSdl' | 'local'>) =>
  createHttpApp({
    verifyToken: hub.verifyToken,
    logger: pino({ level: 'silent' }),
    graph: {
      gateway: createGateway({ supergraphSdl: readSupergraph(), local: hub.runtimes, ...options }),
      local: hub.runtimes,
    },
    graphiql: false,
    introspection: true,
  });

beforeAll(async () => {
  hub = await startTestHub({ topology: 'in-process' });
  // In distress: registered without guardians; the guardian added below is the first.
  childId = (await registerChild(hub, IN_DISTRESS)).id;
  await registerChild(hub, IN_DISTRESS, REGIONS.villageB);
  const school = await registerSchool(hub, { name: '城关镇中心小学' });
  const writes = [
    [
      'civilCounty',
      `mutation { addGuardian(input: { childId: "${childId}", relation: MOTHER, name: "母亲", phone: "13712345678" }) { id } }`,
    ],
    [
      'educationCounty',
      `mutation { recordEnrolment(input: { childId: "${childId}", schoolCode: "${school}", grade: 2, status: ENROLLED, boarding: false }) { status } }`,
    ],
  ] as const;
  for (const [who, mutation] of writes) {
    const res = await hub.gql(who, mutation);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
  }
  subgraphUrls = await hub.serveSubgraphs(
    SUBGRAPHS.map((s) => s.name),
    { hmacSecret: SECRET },
  );
  router = await startTestRouter(hub, { subgraphUrls, hmacSecret: SECRET });
  otherPlanner = await startTestRouter(hub, {
    subgraphUrls,
    hmacSecret: SECRET,
    planner: TEST_QUERY_PLANNER === 'rust' ? 'js' : 'rust',
  });
  apolloRemote = await hubOn({ remote: subgraphUrls, hmacSecret: SECRET });
  otherEngine = await hubOn({
    compileAfter: 1,
    ...(TEST_ENGINE === 'hive' ? { engine: 'apollo' } : { engine: 'hive', planner: 'rust' }),
  });
});

afterAll(async () => {
  await router?.close();
  await otherPlanner?.close();
  await apolloRemote?.stop();
  await otherEngine?.stop();
  await hub?.close();
});

async function viaApp(app: HubHttp['app'], who: PersonaName | null, body: object): Promise<GraphQLResponse> {
  let req = request(app).post('/graphql').set('x-purpose', DEFAULT_PURPOSE);
  if (who) req = req.set('authorization', `Bearer ${await hub.token(who)}`);
  const res = await req.send(body);
  return { status: res.status, data: res.body.data, errors: res.body.errors };
}

/**
 * What a caller can tell apart: status, data, and each error's message, path, code and subgraph.
 * `listIndices: false` leaves out the list positions in error paths: Hive Gateway's batched
 * entity fetches (graphql-tools batch delegation) report every entity's error at the path of
 * the first entity of the batch (README, Scale-out).
 */
const seen = (r: GraphQLResponse, { listIndices = true } = {}) => ({
  status: r.status,
  data: r.data,
  errors: (r.errors ?? [])
    .map((e) => {
      const path = e.path?.map((p) => (typeof p === 'number' && !listIndices ? '#' : p)) ?? null;
      return JSON.stringify([path, e.extensions?.code, e.extensions?.serviceName ?? null, e.message]);
    })
    .sort(),
});

const OPERATIONS = {
  'the 360° child': () => ({ query: CHILD_360, variables: { id: childId } }),
  'a page of children': () => ({
    query:
      '{ children(first: 5) { totalCount edges { node { id name idNumber guardians { name phone } enrolment { status } } } } }',
  }),
  'a query refused in its resolver': () => ({ query: '{ regions(parentCode: "x") { code } }' }),
  'a write with bad input, refused before it writes': () => ({
    query: `mutation { addGuardian(input: { childId: "${childId}", relation: FATHER, name: "父亲", phone: "call me" }) { id } }`,
  }),
};

describe.each(Object.keys(PERSONAS) as PersonaName[])('%s', (persona) => {
  test.each(Object.keys(OPERATIONS) as (keyof typeof OPERATIONS)[])(
    'gets the same answer, masks and denials for %s from Hive Gateway, with either query planner, as in process on either engine',
    async (operation) => {
      const body = OPERATIONS[operation]();
      const inProcess = await viaApp(hub.http.app, persona, body);
      for (const each of [router, otherPlanner]) {
        expect(seen(await each.post(persona, body), { listIndices: false })).toEqual(
          seen(inProcess, { listIndices: false }),
        );
      }
      expect(seen(await viaApp(apolloRemote.app, persona, body))).toEqual(seen(inProcess));
      expect(seen(await viaApp(otherEngine.app, persona, body))).toEqual(seen(inProcess));
    },
  );
});

test('the comparison sees data, masks and denials', async () => {
  const police = await router.gql('policeCounty', CHILD_360, { id: childId });
  expect(police.data!.child.guardians[0].phone).toBe('13712345678');
  expect(police.errors!.map((e) => [e.path, e.extensions!.code])).toEqual([[['child', 'enrolment'], 'FORBIDDEN']]);
  const education = await router.gql('educationCounty', CHILD_360, { id: childId });
  expect(education.data!.child.idNumber).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
  expect(education.data!.child.enrolment).toEqual({ schoolName: '城关镇中心小学', status: 'ENROLLED' });
  expect((await router.gql('civilTownshipB', CHILD_360, { id: childId })).data!.child).toBeNull();
});

test.each([
  ['no token', null, {}],
  ['a forged token', null, { authorization: 'Bearer e30.e30.' }],
])('the router answers %s with 401 before any work, as the hub does', async (_case, who, headers) => {
  const body = { query: '{ __typename }' };
  const viaRouter = await router.post(who, body, headers);
  let req = request(hub.http.app).post('/graphql');
  for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
  const inProcess = await req.send(body);
  expect(viaRouter.status).toBe(401);
  expect(seen(viaRouter)).toEqual(seen({ status: inProcess.status, errors: inProcess.body.errors }));
});

const nest = (n: number): string => (n === 0 ? '...F' : `...F parent { ${nest(n - 1)} }`);
test.each([
  [
    'too deep',
    `{ region(code: "630121101200") { ${'parent { '.repeat(13)}name${' }'.repeat(13)} } }`,
    /depth limit of 12/,
  ],
  [
    'with too many aliases',
    `{ ${Array.from({ length: 16 }, (_, i) => `r${i}: region(code: "63") { name }`).join(' ')} }`,
    /Aliases limit of 15/,
  ],
  [
    'too costly',
    `{ ${Array.from({ length: 15 }, (_, i) => `r${i}: regions(parentCode: "63") { ${nest(10)} }`).join(' ')} } fragment F on Region { code name level }`,
    /Cost limit of 20000/i,
  ],
  [
    'too long',
    `{ region(code: "63") { ${Array.from({ length: 2100 }, () => 'name').join(' ')} } }`,
    /more than 2000 tokens/,
  ],
  ['with a misspelt field, giving no suggestions', '{ regon(code: "63") { name } }', /Cannot query field "regon"/],
  ['with a misspelt argument, giving no suggestions', '{ regions(parentCod: "63") { name } }', /"parentCod"/],
  [
    'with a misspelt enum value, giving no suggestions',
    '{ children(filter: { category: LEFT_BEHIN }) { totalCount } }',
    /"LEFT_BEHIN"/,
  ],
])('the router refuses a document %s, as the hub does', async (_case, query, message) => {
  const viaRouter = await router.gql('civilCounty', query);
  const inProcess = await hub.gql('civilCounty', query);
  expect(viaRouter.data ?? undefined).toBeUndefined();
  expect(viaRouter.errors!.map((e) => e.extensions!.code)).toEqual(inProcess.errors!.map((e) => e.extensions!.code));
  expect(viaRouter.errors![0].message).toMatch(message);
  expect(viaRouter.errors![0].message).not.toMatch(/Did you mean/);
});

test('each subgraph’s audit event names the client’s operation, whichever planner planned it', async () => {
  for (const [planner, each] of [
    ['router', router],
    ['other planner', otherPlanner],
  ] as const) {
    const requestId = `router-operation-${planner.replace(' ', '-')}`;
    const res = await each.post(
      'civilCounty',
      { query: CHILD_360.replace('query Child(', 'query Look('), variables: { id: childId } },
      { 'x-request-id': requestId },
    );
    expect(res.errors).toBeUndefined();
    await hub.settle();
    const events = await hub.sql('select source, operation from audit.event where request_id = $1 order by source', [
      requestId,
    ]);
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events.filter((e) => e.operation !== 'query Look')).toEqual([]);
  }
});

test('identical reads at once through the router are each read, and recorded, by the subgraph', async () => {
  // One token, as a departmental system sends with every request, and no request id of the
  // client's own (the front app gives one; a client of the router alone may not).
  const headers = { authorization: `Bearer ${await hub.token('civilCounty')}` };
  const reads = () => hub.count('registry.audit_event', `kind = 'READ'`);
  const before = await reads();
  const answers = await Promise.all(
    Array.from({ length: 6 }, () => router.post(null, { query: `{ child(id: "${childId}") { name } }` }, headers)),
  );
  expect(answers.map((a) => a.data?.child?.name)).toEqual(Array(6).fill(answers[0].data!.child.name));
  expect((await reads()) - before).toBe(6);
});

test('a write through the router lands once, in the caller’s jurisdiction', async () => {
  const added = await router.gql(
    'civilCounty',
    `mutation { addGuardian(input: { childId: "${childId}", relation: GRANDPARENT, name: "奶奶" }) { id name } }`,
  );
  expect(added.errors).toBeUndefined();
  expect(
    await hub.count(
      'registry.guardian',
      `id = '${added.data!.addGuardian.id}' and region_code = '${REGIONS.villageA}'`,
    ),
  ).toBe(1);
});

describe('a subgraph with a secret answers only signed requests', () => {
  const query = '{ _service { sdl } }';
  const ask = async (url: string, body: object) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await hub.token('civilCounty')}` },
      body: JSON.stringify(body),
    });

  test.each(SUBGRAPHS.map((s) => s.name))('%s refuses an unsigned request with a valid token', async (name) => {
    const res = await ask(subgraphUrls[name], { query });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      errors: [{ message: expect.stringMatching(/signed by its router/), extensions: { code: 'FORBIDDEN' } }],
    });
  });

  test('a signature with another secret, or of another request, is refused', async () => {
    const url = subgraphUrls.registry;
    const wrongSecret = { query, extensions: { 'hmac-signature': hmacSignature('another secret', { query }) } };
    const otherQuery = {
      query,
      extensions: { 'hmac-signature': hmacSignature(SECRET, { query: '{ __typename }' }) },
    };
    for (const body of [wrongSecret, otherQuery]) {
      const res = await ask(url, body);
      expect(res.status).toBe(403);
      expect(((await res.json()) as GraphQLResponse).errors![0].message).toMatch(/does not match/);
    }
    const signed = await ask(url, { query, extensions: { 'hmac-signature': hmacSignature(SECRET, { query }) } });
    expect(signed.status).toBe(200);
  });

  test('without a secret a subgraph needs no signature', async () => {
    const { registry } = await hub.serveSubgraphs(['registry']);
    const res = await ask(registry, { query });
    expect(res.status).toBe(200);
    expect(((await res.json()) as GraphQLResponse).data!._service.sdl).toContain('type Child');
  });
});

describe('configuration of the split topology', () => {
  const PRODUCTION = PRODUCTION_ENV;
  test.each<[string, NodeJS.ProcessEnv, Role]>([
    ['the router', {}, 'router'],
    ['a subgraph served on its own', {}, 'subgraph'],
    ['a hub calling remote subgraphs', { SUBGRAPH_URLS: 'education=http://education:4102/graphql' }, 'hub'],
  ])('in production %s needs HMAC_SECRET, with no fallback', (_who, extra, role) => {
    expect(problems({ ...PRODUCTION, ...extra }, role)).toEqual([expect.stringMatching(/^HMAC_SECRET: required/)]);
    expect(loadConfig({ ...PRODUCTION, ...extra, HMAC_SECRET: SECRET }, role).hmacSecret).toBe(SECRET);
  });

  test('the hub with every subgraph in process needs no secret, and the router no database', () => {
    expect(loadConfig(PRODUCTION).hmacSecret).toBeUndefined();
    const { DATABASE_URL: _db, ...withoutDatabase } = PRODUCTION;
    void _db;
    expect(problems({ ...withoutDatabase, HMAC_SECRET: SECRET }, 'router')).toEqual([]);
  });

  test("the router plans with Hive Router's Rust planner where its binary ships, with Hive Gateway's elsewhere", () => {
    expect(defaultQueryPlanner({ platform: 'linux', arch: 'x64', glibc: '2.36' })).toBe('rust');
    expect(defaultQueryPlanner({ platform: 'darwin', arch: 'arm64' })).toBe('rust');
    expect(defaultQueryPlanner({ platform: 'linux', arch: 'x64' })).toBe('js'); // musl (Alpine)
    expect(defaultQueryPlanner({ platform: 'win32', arch: 'x64' })).toBe('js');
    expect(loadConfig({}).queryPlanner).toBe(defaultQueryPlanner());
    expect(loadConfig({ HUB_QUERY_PLANNER: 'js' }).queryPlanner).toBe('js');
    expect(loadConfig({ HUB_QUERY_PLANNER: 'rust' }).queryPlanner).toBe('rust');
    expect(problems({ HUB_QUERY_PLANNER: 'fast' })).toEqual([expect.stringMatching(/^HUB_QUERY_PLANNER: /)]);
  });

  test("the hub in one process runs Hive Gateway's engine with the Rust planner, Apollo Gateway with the JavaScript one", () => {
    expect(loadConfig({ HUB_QUERY_PLANNER: 'rust' }).engine).toBe('hive');
    expect(loadConfig({ HUB_QUERY_PLANNER: 'js' }).engine).toBe('apollo');
    expect(loadConfig({ HUB_QUERY_PLANNER: 'js', HUB_ENGINE: 'hive' }).engine).toBe('hive');
    expect(loadConfig({ HUB_ENGINE: 'apollo' }).engine).toBe('apollo');
    expect(problems({ HUB_ENGINE: 'fast' })).toEqual([expect.stringMatching(/^HUB_ENGINE: /)]);
    // Subgraphs served elsewhere are called over HTTP by Apollo Gateway (or by the router).
    const elsewhere = { SUBGRAPH_URLS: 'education=http://10.0.0.5:4102/graphql', HUB_QUERY_PLANNER: 'rust' };
    expect(loadConfig(elsewhere).engine).toBe('apollo');
    expect(problems({ ...elsewhere, HUB_ENGINE: 'hive' })).toEqual([
      expect.stringMatching(/^HUB_ENGINE: .*SUBGRAPH_URLS/),
    ]);
  });

  test("Hive Gateway's engine in process runs only subgraphs in this process", () => {
    expect(() =>
      createGateway({ supergraphSdl: readSupergraph(), local: hub.runtimes, remote: subgraphUrls, engine: 'hive' }),
    ).toThrow(/remote ones go through the router/);
  });

  test('a short secret is refused in any mode', () => {
    expect(problems({ HMAC_SECRET: 'too-short' })).toEqual([
      expect.stringMatching(/^HMAC_SECRET: must be at least 32/),
    ]);
  });
});

test('the docker profile "split" has a service for every subgraph, and its router knows them all', () => {
  const compose = fs.readFileSync(path.join(__dirname, '../docker-compose.yml'), 'utf8');
  for (const { name, port } of SUBGRAPHS) {
    expect(compose).toContain(`command: ['npm', 'run', '-s', 'serve-subgraph', '--', '${name}', '--port', '${port}']`);
  }
  const urls = /^\s+SUBGRAPH_URLS: (\S+)$/m.exec(compose)![1];
  expect(loadConfig({ SUBGRAPH_URLS: urls }).subgraphUrls).toEqual(
    Object.fromEntries(SUBGRAPHS.map(({ name, port }) => [name, `http://${name}:${port}/graphql`])),
  );
});
