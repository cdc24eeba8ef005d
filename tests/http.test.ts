import net from 'node:net';
import type { Options } from '@mikro-orm/postgresql';
import { createLocalJWKSet } from 'jose';
import pino from 'pino';
import request from 'supertest';
import { createVerifier } from '../src/auth/verifier';
import { workingCalendar } from '../src/calendar/calendars';
import { DEV_AUDIENCE, DEV_ISSUER } from '../src/config';
import { systemClock } from '../src/clock';
import { openSubgraphOrm } from '../src/db/orm';
import { SubgraphRuntime } from '../src/subgraphs/runtime';
import { readSupergraph } from '../src/gateway/supergraph';
import { createGateway } from '../src/gateway/gateway';
import { createHttpApp } from '../src/http/app';
import { startTestHub, type TestHub } from './helpers/hub';

let hub: TestHub;
let auth: string;

beforeAll(async () => {
  hub = await startTestHub();
  auth = `Bearer ${await hub.token('civilCounty')}`;
});

afterAll(() => hub.close());

/** No stack trace, in any form, in what a client receives. */
function expectNoStack(res: request.Response) {
  const text = res.text ?? JSON.stringify(res.body);
  expect(text).not.toMatch(/stacktrace/i);
  expect(text).not.toMatch(/\bat \S+ \(|\bat .+:\d+:\d+|node_modules|\/work\//);
}

const post = (body: string | object, type = 'application/json') =>
  request(hub.http.app).post('/graphql').set('authorization', auth).set('content-type', type).send(body);

/** The hub's HTTP app over this file's subgraphs, the registry's on an ORM of its own at `url`. */
async function hubWithRegistryAt(url: string, options: Partial<Options> = {}) {
  const registry = hub.subgraphs.get('registry')!;
  const { orm, signal } = await openSubgraphOrm(registry.def, url, { debug: false, logger: () => {}, ...options });
  const runtime = new SubgraphRuntime(
    { ...registry, orm, signal },
    { identityHash: hub.identityHash, clock: systemClock, peers: hub.runtimes.get('registry')!.peers },
  );
  const local = new Map([...hub.runtimes, ['registry', runtime]]);
  const http = await createHttpApp({
    verifyToken: hub.verifyToken,
    logger: pino({ level: 'silent' }),
    graph: { gateway: createGateway({ supergraphSdl: readSupergraph(), local }), local },
    graphiql: false,
    introspection: false,
  });
  return { http, orm };
}

describe('operational endpoints', () => {
  test('/healthz is 200', async () => {
    const res = await request(hub.http.app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  test('/readyz is 200 ready when the database answers', async () => {
    const res = await request(hub.http.app).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready' });
  });

  test('/metrics serves Prometheus text, with request durations', async () => {
    await request(hub.http.app).get('/healthz');
    const res = await request(hub.http.app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/^# HELP process_cpu_user_seconds_total /m);
    expect(res.text).toMatch(/^# TYPE http_request_duration_seconds histogram$/m);
    expect(res.text).toMatch(
      /^http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} \d+$/m,
    );
  });

  test('/metrics says how many days the working calendar still covers', async () => {
    const res = await request(hub.http.app).get('/metrics');
    const days = workingCalendar().daysLeft(new Date());
    expect(res.text).toMatch(/^# TYPE hub_working_calendar_days_left gauge$/m);
    expect(res.text).toMatch(new RegExp(`^hub_working_calendar_days_left ${days}$`, 'm'));
  });

  test('/metrics does not turn unmatched paths into labels', async () => {
    const probes = ['/wp-login.php', '/.env', `/scan-${Date.now()}`];
    for (const probe of probes) expect((await request(hub.http.app).get(probe)).status).toBe(404);
    const res = await request(hub.http.app).get('/metrics');
    for (const probe of probes) expect(res.text).not.toContain(`route="${probe}"`);
  });

  // ...and requests to /graphql, handled inside a mounted middleware, are all labelled route="/".
  test('/metrics labels GraphQL requests with route "/graphql"', async () => {
    expect((await post({ query: '{ __typename }' })).status).toBe(200);
    const res = await request(hub.http.app).get('/metrics');
    expect(res.text).toMatch(
      /^http_request_duration_seconds_count\{method="POST",route="\/graphql",status="200"\} \d+$/m,
    );
  });

  test('with introspection and GraphiQL off, neither the schema nor the IDE is served', async () => {
    const http = await createHttpApp({
      verifyToken: createVerifier(createLocalJWKSet({ keys: [hub.key.publicJwk] }), DEV_ISSUER, DEV_AUDIENCE),
      logger: pino({ level: 'silent' }),
      graph: {
        gateway: createGateway({ supergraphSdl: readSupergraph(), local: hub.runtimes }),
        local: hub.runtimes,
      },
      graphiql: false,
      introspection: false,
    });
    try {
      const token = await hub.token('civilCounty');
      const schema = await request(http.app)
        .post('/graphql')
        .set('authorization', `Bearer ${token}`)
        .send({ query: '{ __schema { queryType { name } } }' });
      expect(schema.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      const data = await request(http.app)
        .post('/graphql')
        .set('authorization', `Bearer ${token}`)
        .send({ query: '{ region(code: "63") { name } }' });
      expect(data.body.data.region.name).toBe('青海省');
      const page = await request(http.app).get('/graphql').set('accept', 'text/html');
      expect(page.text).not.toContain('GraphiQL');
    } finally {
      await http.stop();
    }
  });

  test('/readyz is 503 without details when the database does not answer', async () => {
    const { http, orm } = await hubWithRegistryAt(hub.subgraphs.get('registry')!.db.url);
    await orm.close(true);
    try {
      const res = await request(http.app).get('/readyz');
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: 'not ready', reason: 'database unreachable' });
      expect((await request(http.app).get('/healthz')).status).toBe(200);
    } finally {
      await http.stop();
    }
  });
});

test('a database that takes a connection but never answers is SERVICE_UNAVAILABLE, not an internal error', async () => {
  // A listener that accepts and stays silent: the connection attempt runs out (3 s).
  const silent = net.createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const url = new URL(hub.subgraphs.get('registry')!.db.url);
  url.port = String((silent.address() as net.AddressInfo).port);
  const { http, orm } = await hubWithRegistryAt(url.toString(), { connect: false });
  try {
    const res = await request(http.app)
      .post('/graphql')
      .set('authorization', auth)
      .set('x-purpose', 'CASE_WORK')
      .send({ query: '{ regions { code } }' });
    expect(res.body.errors?.map((e: { extensions: { code: string } }) => e.extensions.code)).toContain(
      'SERVICE_UNAVAILABLE',
    );
    expectNoStack(res);
  } finally {
    await http.stop();
    await orm.close(true);
    silent.close();
  }
});

describe('GraphiQL', () => {
  let page: string;
  let host: string;

  beforeAll(async () => {
    const res = await request(hub.http.app).get('/graphql').set('accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    page = res.text;
    host = new URL(res.request.url).host;
  });

  test('a browser asking for /graphql gets the GraphiQL page', () => {
    expect(page).toMatch(/<title>[^<]*GraphiQL[^<]*<\/title>/);
    expect(page).toContain('GraphiQL.createFetcher');
  });

  test('every script and stylesheet the page loads is served by this server', async () => {
    const refs = [...page.matchAll(/\s(?:src|href)=["']([^"']+)["']/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThanOrEqual(4);
    for (const ref of refs) {
      const url = new URL(ref, `http://${host}/graphql`);
      expect(url.host).toBe(host);
      const res = await request(hub.http.app).get(url.pathname).responseType('blob');
      expect({ ref, status: res.status }).toEqual({ ref, status: 200 });
      expect(Buffer.isBuffer(res.body)).toBe(true);
      expect((res.body as Buffer).length).toBeGreaterThan(1000);
    }
    const scripts = [...page.matchAll(/<script\s+[^>]*src=/g)];
    const stylesheets = [...page.matchAll(/<link\s+[^>]*rel=["']stylesheet["']/g)];
    expect(scripts.length).toBeGreaterThanOrEqual(3);
    expect(stylesheets.length).toBeGreaterThanOrEqual(1);
  });

  test('the page names no other host', () => {
    const urls = [...page.matchAll(/(?:https?:)?\/\/([^\s"'<>)/]+)/gi)].map((m) => m[1]);
    expect(urls.filter((h) => h !== host)).toEqual([]);
  });

  test('an unknown asset is 404, and the page is not served to API clients', async () => {
    expect((await request(hub.http.app).get('/graphiql/../../package.json')).status).toBe(404);
    expect((await request(hub.http.app).get('/graphiql/secret.js')).status).toBe(404);
    const api = await request(hub.http.app).get('/graphql').set('accept', 'application/json');
    expect(api.text).not.toContain('<html');
  });

  test.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'an asset named %s is 404, not a server error',
    async (name) => {
      const res = await request(hub.http.app).get(`/graphiql/${name}`);
      expect(res.status).toBe(404);
    },
  );
});

describe('GraphQL over HTTP', () => {
  test('GET with a query string works with a token', async () => {
    const res = await request(hub.http.app)
      .get('/graphql')
      .query({ query: '{region(code:"63"){name}}' })
      .set('authorization', auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { region: { name: '青海省' } } });
  });

  test('GET with a query string needs a token too', async () => {
    const res = await request(hub.http.app).get('/graphql').query({ query: '{region(code:"63"){name}}' });
    expect(res.status).toBe(401);
    expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  test('GET cannot run a mutation', async () => {
    const before = await hub.count('registry.child');
    const res = await request(hub.http.app)
      .get('/graphql')
      .query({
        query: 'mutation { updateChild(input: { id: "x", version: 1, name: "x" }) { id } }',
      })
      .set('authorization', auth);
    expect(res.status).toBe(405);
    expectNoStack(res);
    expect(await hub.count('registry.child')).toBe(before);
  });

  test('every response carries an x-request-id; a valid incoming one is echoed', async () => {
    const fresh = await request(hub.http.app).get('/healthz');
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const other = await request(hub.http.app).get('/healthz');
    expect(other.headers['x-request-id']).not.toBe(fresh.headers['x-request-id']);

    const echoed = await request(hub.http.app)
      .post('/graphql')
      .set('authorization', auth)
      .set('x-request-id', 'dept-sys.2024_0001')
      .send({ query: '{ region(code: "63") { code } }' });
    expect(echoed.status).toBe(200);
    expect(echoed.headers['x-request-id']).toBe('dept-sys.2024_0001');

    const rejected = await request(hub.http.app).post('/graphql').set('x-request-id', 'abc-123').send({});
    expect(rejected.status).toBe(401);
    expect(rejected.headers['x-request-id']).toBe('abc-123');
  });

  test.each([
    ['spaces', 'not a valid id'],
    ['too long', 'x'.repeat(65)],
    ['markup', '<script>'],
  ])('an incoming x-request-id with %s is replaced', async (_, given) => {
    const res = await request(hub.http.app).get('/healthz').set('x-request-id', given);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('malformed JSON is 400 BAD_REQUEST without a stack trace', async () => {
    const res = await post('{"query": "{ region(code: \\"63\\") { name } }"');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(res.body.errors[0].extensions).toEqual({ code: 'BAD_REQUEST' });
    expectNoStack(res);
  });

  test('a body over 1 MB is 413', async () => {
    const res = await post({
      query: '{ __typename }',
      variables: { padding: 'x'.repeat(1_100_000) },
    });
    expect(res.status).toBe(413);
    expect(res.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(res.body.errors[0].message).toMatch(/too large/i);
    expectNoStack(res);
  });

  test('a body just under 1 MB is accepted', async () => {
    const res = await post({
      query: '{ region(code: "63") { code } }',
      variables: { padding: 'x'.repeat(900_000) },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ region: { code: '63' } });
  });

  test('a GraphQL syntax error is GRAPHQL_PARSE_FAILED', async () => {
    const res = await post({ query: '{ region(code: "63") { name }' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expectNoStack(res);
  });

  test('an unknown field is GRAPHQL_VALIDATION_FAILED', async () => {
    const res = await post({ query: '{ region(code: "63") { population } }' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expectNoStack(res);
  });

  test.each<[string, () => request.Test]>([
    ['no body', () => request(hub.http.app).post('/graphql').set('authorization', auth)],
    ['an empty JSON object', () => post({})],
    ['a JSON array', () => post('[1, 2]')],
    ['a query that is not a string', () => post({ query: 42 })],
    ['variables that are not an object', () => post({ query: '{ __typename }', variables: 'x' })],
    ['a text/plain body', () => post('{ __typename }', 'text/plain')],
    ['an unsupported charset', () => post('{}', 'application/json; charset=latin1')],
  ])('a bad request (%s) is a 4xx without a stack trace', async (_, send) => {
    const res = await send();
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expectNoStack(res);
  });

  test('no error response names a stack frame, whatever the error', async () => {
    const responses = await Promise.all([
      request(hub.http.app).post('/graphql').send({ query: '{ __typename }' }),
      request(hub.http.app).post('/graphql').set('authorization', 'Bearer garbage').send({ query: '{ __typename }' }),
      post('{"query":'),
      post({ query: '{' }),
      post({ query: '{ nope }' }),
      post({ query: '{ regions(parentCode: "x") { code } }' }),
      post({ query: 'query($c: ID!) { region(code: $c) { code } }' }),
      post({ query: '{ children(first: -1) { totalCount } }' }),
      post({ query: '{ children(after: "garbage") { totalCount } }' }),
      post({
        query:
          'mutation { updateChild(input: { id: "00000000-0000-0000-0000-000000000000", version: 1, name: "x" }) { id } }',
      }),
      request(hub.http.app).get('/no-such-route'),
    ]);
    for (const res of responses) {
      if (res.status === 200) expect(res.body.errors?.length).toBeGreaterThan(0);
      else expect(res.status).toBeGreaterThanOrEqual(400);
      expectNoStack(res);
    }
  });
});

describe('regions', () => {
  test('the prefecture-level divisions of Qinghai, with their real names', async () => {
    const res = await hub.gql('civilCounty', '{ regions(parentCode: "63") { code name level } }');
    expect(res.errors).toBeUndefined();
    expect(res.data!.regions).toEqual([
      { code: '6301', name: '西宁市', level: 'CITY' },
      { code: '6302', name: '海东市', level: 'CITY' },
      { code: '6322', name: '海北藏族自治州', level: 'CITY' },
      { code: '6323', name: '黄南藏族自治州', level: 'CITY' },
      { code: '6325', name: '海南藏族自治州', level: 'CITY' },
      { code: '6326', name: '果洛藏族自治州', level: 'CITY' },
      { code: '6327', name: '玉树藏族自治州', level: 'CITY' },
      { code: '6328', name: '海西蒙古族藏族自治州', level: 'CITY' },
    ]);
  });

  test('without parentCode, the provinces', async () => {
    const res = await hub.gql('educationCounty', '{ regions { code name level parent { code } } }');
    expect(res.errors).toBeUndefined();
    const provinces = res.data!.regions as {
      code: string;
      name: string;
      level: string;
      parent: null;
    }[];
    expect(provinces.length).toBeGreaterThanOrEqual(31);
    expect(provinces.every((p) => /^\d{2}$/.test(p.code) && p.level === 'PROVINCE' && p.parent === null)).toBe(true);
    expect(provinces).toEqual(
      expect.arrayContaining([
        { code: '11', name: '北京市', level: 'PROVINCE', parent: null },
        { code: '63', name: '青海省', level: 'PROVINCE', parent: null },
      ]),
    );
  });

  test('a village and its parent chain up to the province', async () => {
    const res = await hub.gql(
      'enterprise',
      `{ region(code: "630121101200") {
          code name level
          parent { code name level parent { code name level parent { code name level parent { code name level parent { code } } } } }
        } }`,
    );
    expect(res.errors).toBeUndefined();
    const village = res.data!.region;
    expect(village).toMatchObject({ code: '630121101200', level: 'VILLAGE' });
    expect(village.name).toBeTruthy();
    const chain: { code: string; level: string; name: string }[] = [];
    for (let r = village.parent; r; r = r.parent) chain.push({ code: r.code, level: r.level, name: r.name });
    expect(chain).toEqual([
      {
        code: '630121101',
        level: 'TOWNSHIP',
        name: expect.stringContaining('城关'),
      },
      { code: '630121', level: 'COUNTY', name: '大通回族土族自治县' },
      { code: '6301', level: 'CITY', name: '西宁市' },
      { code: '63', level: 'PROVINCE', name: '青海省' },
    ]);
  });

  test('regions are reference data: a caller of another jurisdiction sees them too', async () => {
    const res = await hub.gql(
      'civilOtherCounty',
      '{ region(code: "630121101200") { code } regions(parentCode: "630121") { code } }',
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.region).toEqual({ code: '630121101200' });
    expect(res.data!.regions.length).toBeGreaterThan(0);
  });

  test('an unknown code is null; a child-less code is an empty list', async () => {
    const res = await hub.gql(
      'civilCounty',
      '{ region(code: "639999") { code } regions(parentCode: "630121101200") { code } }',
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ region: null, regions: [] });
  });

  test.each(['x', '6301x', '630', ''])('regions(parentCode: "%s") is BAD_USER_INPUT', async (code) => {
    const res = await hub.gql('civilCounty', `{ regions(parentCode: "${code}") { code } }`);
    expect(res.status).toBe(200);
    expect(res.data).toBeNull();
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'parentCode',
    });
    expect(res.errors![0].path).toEqual(['regions']);
  });
});
