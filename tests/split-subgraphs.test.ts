import request from 'supertest';
import { readSupergraph } from '../src/gateway/supergraph';
import { createGateway } from '../src/gateway/gateway';
import { CHILD_360, registerChild, startTestHub, type TestHub } from './helpers/hub';
import type { PersonaName } from './helpers/personas';

let local: TestHub;
let split: TestHub;
let childId: string;

beforeAll(async () => {
  local = await startTestHub({ topology: 'in-process' });
  childId = (await registerChild(local)).id;
  await local.gql(
    'civilCounty',
    `mutation { addGuardian(input: { childId: "${childId}", relation: MOTHER, name: "母亲", phone: "13712345678" }) { id } }`,
  );
  await local.gql(
    'educationCounty',
    `mutation { recordEnrolment(input: { childId: "${childId}", schoolName: "城关镇中心小学", schoolRegionCode: "630121101", grade: 2, status: ENROLLED }) { status } }`,
  );
  // A second hub on a copy of the same data, with education and public security split out.
  split = await startTestHub({ topology: 'in-process', remote: ['education', 'public-security'] });
  for (const table of ['registry.child', 'registry.guardian', 'education.enrolment']) {
    for (const row of await local.sql(`select * from ${table}`)) {
      const cols = Object.keys(row);
      await split.sql(
        `insert into ${table} (${cols.join(', ')}) values (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
        cols.map((c) => row[c]),
      );
    }
  }
});

afterAll(async () => {
  await split.close();
  await local.close();
});

test.each<PersonaName>(['civilCounty', 'educationCounty', 'policeCounty', 'enterprise', 'civilTownshipB'])(
  '%s gets the same answer, masks and denials from split subgraphs as in process',
  async (persona) => {
    const viaLocal = await local.gql(persona, CHILD_360, { id: childId });
    const viaSplit = await split.gql(persona, CHILD_360, { id: childId });
    expect(viaSplit.data).toEqual(viaLocal.data);
    const codes = (r: typeof viaLocal) =>
      (r.errors ?? []).map((e) => [e.path, e.extensions?.code, e.extensions?.serviceName]);
    expect(codes(viaSplit)).toEqual(codes(viaLocal));
  },
);

test('a split subgraph verifies the token itself: none, or a forged one, is 401', async () => {
  const url = new URL(split.remote.education);
  const agent = request(`${url.protocol}//${url.host}`);
  const body = { query: '{ _service { sdl } }' };
  expect((await agent.post(url.pathname).send(body)).status).toBe(401);
  expect((await agent.post(url.pathname).set('authorization', 'Bearer e30.e30.').send(body)).status).toBe(401);
  const ok = await agent
    .post(url.pathname)
    .set('authorization', `Bearer ${await split.token('educationCounty')}`)
    .send(body);
  expect(ok.body.data._service.sdl).toContain('enrolment');
});

test('a split subgraph applies the permission table on its own, even to direct entity requests', async () => {
  const url = new URL(split.remote.education);
  const res = await request(`${url.protocol}//${url.host}`)
    .post(url.pathname)
    .set('authorization', `Bearer ${await split.token('policeCounty')}`)
    .set('x-purpose', 'CASE_WORK')
    .send({
      query: `{ _entities(representations: [{ __typename: "Child", id: "${childId}" }]) { ... on Child { enrolment { schoolName } } } }`,
    });
  expect(res.body.data._entities).toEqual([{ enrolment: null }]);
  expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
});

test('a misspelt subgraph name in SUBGRAPH_URLS stops the gateway instead of being ignored', () => {
  expect(() =>
    createGateway({
      supergraphSdl: readSupergraph(),
      local: new Map(),
      remote: { eduaction: 'http://127.0.0.1:1/graphql' },
    }),
  ).toThrow(/unknown subgraphs: eduaction/);
});
