import { NATIONAL_SCOPE, scopedEntityManager } from '../src/policy/jurisdiction';
import { HouseholdRegistrationSchema } from '../src/subgraphs/public-security/household-registration.entity';
import { PoliceStationSchema } from '../src/subgraphs/public-security/police-station.entity';
import { registerChild, startTestHub, type GraphQLResponse, type TestHub } from './helpers/hub';
import { REGIONS, type Persona, type PersonaName } from './helpers/personas';

let hub: TestHub;
let stationA: string;
let stationB: string;
/** Children without hukou: two in village A, one in village B. */
let withoutHukouA: string[];
let withoutHukouB: string;

const policeTownshipA: Persona = { dept: 'PUBLIC_SECURITY', region: REGIONS.townshipA, roles: ['reader', 'writer'] };
type Who = PersonaName | Persona;

const codes = (res: GraphQLResponse) => res.errors?.map((e) => e.extensions?.code);

beforeAll(async () => {
  hub = await startTestHub();
  // Stations and children without hukou come from public security's own records (imports, the demo seed).
  const em = scopedEntityManager(hub.orm('public-security').em, NATIONAL_SCOPE);
  const station = (name: string, regionCode: string, phone: string) =>
    em.create(PoliceStationSchema, { name, regionCode, phone, address: `${name}人民路1号` } as never);
  const a = station('城关派出所', REGIONS.townshipA, '0971-2721110');
  const b = station('塔尔派出所', REGIONS.townshipB, '0971-2731110');
  station('桥头派出所', REGIONS.otherCounty + '100', '0971-2741110');
  withoutHukouA = [
    (await registerChild(hub, {}, REGIONS.villageA)).id,
    (await registerChild(hub, {}, REGIONS.villageA)).id,
  ];
  withoutHukouB = (await registerChild(hub, {}, REGIONS.villageB)).id;
  for (const [childId, regionCode] of [
    ...withoutHukouA.map((id) => [id, REGIONS.villageA]),
    [withoutHukouB, REGIONS.villageB],
  ]) {
    em.create(HouseholdRegistrationSchema, { childId, regionCode, registered: false } as never);
  }
  await em.flush();
  stationA = a.id;
  stationB = b.id;
});

afterAll(() => hub.close());

describe('police stations', () => {
  const STATIONS = `query($regionCode: ID!) { policeStations(regionCode: $regionCode) { id name phone address region { code } } }`;
  const names = async (who: Who, regionCode: string) =>
    (await hub.gql(who, STATIONS, { regionCode })).data!.policeStations.map((s: { name: string }) => s.name);

  test('public security, civil affairs and education list the stations of their jurisdiction', async () => {
    const res = await hub.gql('policeCounty', STATIONS, { regionCode: REGIONS.county });
    expect(res.data!.policeStations).toEqual([
      {
        id: stationA,
        name: '城关派出所',
        phone: '0971-2721110',
        address: '城关派出所人民路1号',
        region: { code: REGIONS.townshipA },
      },
      expect.objectContaining({ id: stationB, region: { code: REGIONS.townshipB } }),
    ]);
    expect(await names('civilTownshipA', REGIONS.county)).toEqual(['城关派出所']);
    expect(await names('educationTownshipB', REGIONS.county)).toEqual(['塔尔派出所']);
    expect(await names('policeCounty', REGIONS.otherCounty)).toEqual([]);
    expect(await names(policeTownshipA, REGIONS.townshipB)).toEqual([]);
  });

  test.each<PersonaName>(['youthCounty', 'enterprise', 'justiceCounty'])('%s may not list stations', async (who) => {
    expect(codes(await hub.gql(who, STATIONS, { regionCode: REGIONS.county }))).toEqual(['FORBIDDEN']);
  });

  test('a region code that is not one is bad input', async () => {
    expect(codes(await hub.gql('policeCounty', STATIONS, { regionCode: 'x' }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('children without hukou', () => {
  const LIST = `query($regionCode: ID, $first: Int, $after: String) {
    childrenWithoutHukou(regionCode: $regionCode, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { registered hukouNumber policeStation child { id name idNumber } } }
    }
  }`;
  const listed = async (who: Who, variables: Record<string, unknown> = {}) => {
    const res = await hub.gql(who, LIST, { first: 100, ...variables });
    expect(res.errors).toBeUndefined();
    return res.data!.childrenWithoutHukou.edges.map((e: { node: { child: { id: string } } }) => e.node.child.id);
  };

  test('public security lists the children of its jurisdiction recorded without hukou', async () => {
    const res = await hub.gql('policeCounty', LIST, { first: 10 });
    const { totalCount, edges } = res.data!.childrenWithoutHukou;
    expect(totalCount).toBe(3);
    expect(edges[0].node).toEqual({
      registered: false,
      hukouNumber: null,
      policeStation: null,
      child: { id: expect.any(String), name: expect.any(String), idNumber: expect.stringMatching(/^\d{17}[\dX]$/) },
    });
    expect(new Set(await listed('policeCounty'))).toEqual(new Set([...withoutHukouA, withoutHukouB]));
    expect(new Set(await listed(policeTownshipA))).toEqual(new Set(withoutHukouA));
    expect(await listed('policeCounty', { regionCode: REGIONS.townshipB })).toEqual([withoutHukouB]);
    expect(await listed(policeTownshipA, { regionCode: REGIONS.townshipB })).toEqual([]);
    expect(await listed('civilTownshipB')).toEqual([withoutHukouB]);
    expect(await listed('civilOtherCounty')).toEqual([]);
  });

  test('pages of two run through the list once', async () => {
    const first = await hub.gql('policeCounty', LIST, { first: 2 });
    const { edges, pageInfo } = first.data!.childrenWithoutHukou;
    expect(edges).toHaveLength(2);
    expect(pageInfo.hasNextPage).toBe(true);
    const rest = await hub.gql('policeCounty', LIST, { first: 2, after: pageInfo.endCursor });
    expect(rest.data!.childrenWithoutHukou.pageInfo.hasNextPage).toBe(false);
    const ids = [...edges, ...rest.data!.childrenWithoutHukou.edges].map((e) => e.node.child.id);
    expect(ids).toEqual(await listed('policeCounty'));
    expect(codes(await hub.gql('policeCounty', LIST, { first: 2, after: 'bm9wZQ' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await hub.gql('policeCounty', LIST, { regionCode: '6301211' }))).toEqual(['BAD_USER_INPUT']);
  });

  test.each<PersonaName>(['educationCounty', 'youthCounty', 'enterprise'])('%s may not list them', async (who) => {
    const res = await hub.gql(who, LIST, { first: 10 });
    expect(res.data?.childrenWithoutHukou ?? null).toBeNull();
    expect(codes(res)).toEqual(['FORBIDDEN']);
  });

  const REGISTER = `mutation($input: RegisterHouseholdInput!) {
    registerHousehold(input: $input) {
      registered hukouNumber policeStation station { id name phone region { code } } child { id }
    }
  }`;

  test('registerHousehold with a station takes the child off the list', async () => {
    const [childId] = withoutHukouA;
    const res = await hub.gql('policeCounty', REGISTER, {
      input: { childId, hukouNumber: '630121100123', policeStationId: stationA },
    });
    expect(res.data!.registerHousehold).toEqual({
      registered: true,
      hukouNumber: '630121100123',
      policeStation: '城关派出所',
      station: { id: stationA, name: '城关派出所', phone: '0971-2721110', region: { code: REGIONS.townshipA } },
      child: { id: childId },
    });
    expect(await listed('policeCounty')).not.toContain(childId);
    expect((await hub.gql('policeCounty', LIST, { first: 1 })).data!.childrenWithoutHukou.totalCount).toBe(2);
  });

  test('civil affairs sees the station of a registration; education does not', async () => {
    const [childId] = withoutHukouA;
    const query = `query($id: ID!) { child(id: $id) { householdRegistration { registered station { name } } } }`;
    const civil = await hub.gql('civilCounty', query, { id: childId });
    expect(civil.data!.child.householdRegistration).toEqual({ registered: true, station: { name: '城关派出所' } });
    const education = await hub.gql('educationCounty', query, { id: childId });
    expect(education.data!.child.householdRegistration).toEqual({ registered: true, station: null });
    expect(education.errors!.map((e) => [e.path!.join('.'), e.extensions!.code])).toEqual([
      ['child.householdRegistration.station', 'FORBIDDEN'],
    ]);
  });

  test.each([
    ['policeStationId', { policeStationId: '00000000-0000-4000-8000-000000000000' }],
    ['policeStation', {}],
    ['policeStation', { policeStation: ' ' }],
  ])('registerHousehold rejects a missing or unknown %s and leaves the child on the list', async (field, change) => {
    const res = await hub.gql('policeCounty', REGISTER, {
      input: { childId: withoutHukouB, hukouNumber: '630121200456', ...change },
    });
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await listed('policeCounty')).toContain(withoutHukouB);
  });

  test('a township’s police may not register a child of another township', async () => {
    const res = await hub.gql(policeTownshipA, REGISTER, {
      input: { childId: withoutHukouB, hukouNumber: '630121200456', policeStationId: stationB },
    });
    expect(codes(res)).toEqual(['NOT_FOUND']);
    expect(await listed('policeCounty')).toContain(withoutHukouB);
  });
});

describe('inadequate guardianship', () => {
  let childA: string;
  let childB: string;
  const SET = `mutation($input: SetGuardianshipInput!) { setGuardianship(input: $input) { kind inadequate } }`;
  const FLAG = `mutation($input: FlagGuardianshipInput!) {
    flagGuardianship(input: $input) { kind inadequate inadequateReason flaggedAt }
  }`;
  const LIST = `query($regionCode: ID, $first: Int, $after: String) {
    childrenWithInadequateGuardianship(regionCode: $regionCode, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { id idNumber guardianship { inadequateReason } } }
    }
  }`;
  const listed = async (who: Who, variables: Record<string, unknown> = {}) => {
    const res = await hub.gql(who, LIST, { first: 100, ...variables });
    expect(res.errors).toBeUndefined();
    return res.data!.childrenWithInadequateGuardianship.edges.map((e: { node: { id: string } }) => e.node.id);
  };

  beforeAll(async () => {
    childA = (await registerChild(hub, {}, REGIONS.villageA)).id;
    childB = (await registerChild(hub, {}, REGIONS.villageB)).id;
    for (const childId of [childA, childB]) {
      const res = await hub.gql('civilCounty', SET, { input: { childId, kind: 'PARENTS', since: '2024-01-01' } });
      expect(res.data!.setGuardianship).toEqual({ kind: 'PARENTS', inadequate: false });
    }
  });

  test('civil affairs flags a guardianship inadequate; public security and civil affairs list the child', async () => {
    const reason = '祖父母年迈多病，无力照护';
    const res = await hub.gql('civilCounty', FLAG, { input: { childId: childA, adequate: false, reason } });
    expect(res.data!.flagGuardianship).toMatchObject({ kind: 'PARENTS', inadequate: true, inadequateReason: reason });
    expect(Date.parse(res.data!.flagGuardianship.flaggedAt)).not.toBeNaN();

    const list = await hub.gql('policeCounty', LIST, { first: 10 });
    expect(list.data!.childrenWithInadequateGuardianship).toMatchObject({
      totalCount: 1,
      pageInfo: { hasNextPage: false },
    });
    const [{ node }] = list.data!.childrenWithInadequateGuardianship.edges;
    expect(node).toEqual({
      id: childA,
      idNumber: expect.stringMatching(/^\d{17}[\dX]$/),
      guardianship: { inadequateReason: reason },
    });
    expect(await listed('civilTownshipA')).toEqual([childA]);
    expect(await listed(policeTownshipA, { regionCode: REGIONS.townshipA })).toEqual([childA]);
    expect(await listed('civilTownshipB')).toEqual([]);
    expect(await listed('policeCounty', { regionCode: REGIONS.townshipB })).toEqual([]);
  });

  test('education sees the arrangement but not the flag; other departments cannot list', async () => {
    const query = `query($id: ID!) { child(id: $id) { guardianship { kind inadequate inadequateReason flaggedAt } } }`;
    const res = await hub.gql('educationCounty', query, { id: childA });
    expect(res.data!.child.guardianship).toEqual({
      kind: 'PARENTS',
      inadequate: null,
      inadequateReason: null,
      flaggedAt: null,
    });
    expect(new Set(res.errors!.map((e) => e.path!.join('.')))).toEqual(
      new Set(['child.guardianship.inadequate', 'child.guardianship.inadequateReason', 'child.guardianship.flaggedAt']),
    );
    for (const who of ['educationCounty', 'youthCounty', 'enterprise'] as const) {
      expect(codes(await hub.gql(who, LIST, { first: 10 }))).toEqual(['FORBIDDEN']);
    }
  });

  test('a new arrangement keeps the flag; judging it adequate again takes the child off the list', async () => {
    await hub.gql('civilCounty', SET, { input: { childId: childA, kind: 'PARENTS', since: '2025-06-01' } });
    expect(await listed('policeCounty')).toEqual([childA]);
    const res = await hub.gql('civilCounty', FLAG, { input: { childId: childA, adequate: true } });
    expect(res.data!.flagGuardianship).toEqual({
      kind: 'PARENTS',
      inadequate: false,
      inadequateReason: null,
      flaggedAt: null,
    });
    expect(await listed('policeCounty')).toEqual([]);
  });

  test('only civil affairs of the child’s jurisdiction flags, with a reason, a recorded guardianship', async () => {
    const input = { childId: childB, adequate: false, reason: '监护人长期外出' };
    expect(codes(await hub.gql('policeCounty', FLAG, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await hub.gql('civilReadOnly', FLAG, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await hub.gql('civilTownshipA', FLAG, { input }))).toEqual(['NOT_FOUND']);
    const bad = await hub.gql('civilCounty', FLAG, { input: { ...input, reason: null } });
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    const adequateWithReason = await hub.gql('civilCounty', FLAG, { input: { ...input, adequate: true } });
    expect(adequateWithReason.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    const noArrangement = (await registerChild(hub, {}, REGIONS.villageB)).id;
    expect(codes(await hub.gql('civilCounty', FLAG, { input: { ...input, childId: noArrangement } }))).toEqual([
      'NOT_FOUND',
    ]);
    expect(await hub.count('registry.guardianship', 'inadequate')).toBe(0);
  });
});
