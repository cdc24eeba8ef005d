import {
  CHILD_360,
  childInput,
  REGISTER,
  registerChild,
  startTestHub,
  type GraphQLResponse,
  type TestHub,
} from './helpers/hub';
import { REGIONS, type Persona, type PersonaName } from './helpers/personas';

let hub: TestHub;
let childA: string;
let childB: string;
/** Guardians of child A (village A), child B (village B) and of a child of another county. */
let father: string;
let grandmother: string;
let guardianB: string;
let guardianOther: string;

const womenTownshipA: Persona = { dept: 'WOMENS_FEDERATION', region: REGIONS.townshipA, roles: ['reader', 'writer'] };
const womenOtherCounty: Persona = {
  dept: 'WOMENS_FEDERATION',
  region: REGIONS.otherCounty,
  roles: ['reader', 'writer'],
};

const RECORD = `mutation($input: RecordGuidanceSessionInput!) {
  recordGuidanceSession(input: $input) {
    id date topics place host attendeeCount region { code } guardians { guardianId relation }
  }
}`;
const REGISTER_HOME = `mutation($input: RegisterChildrensHomeInput!) {
  registerChildrensHome(input: $input) { id name region { code name } address openingHours childrenServed activities }
}`;
const UPDATE_HOME = `mutation($input: UpdateChildrensHomeInput!) {
  updateChildrensHome(input: $input) { id name openingHours childrenServed activities }
}`;
const SESSIONS = `query($regionCode: ID, $from: Date, $to: Date, $first: Int, $after: String) {
  guidanceSessions(regionCode: $regionCode, from: $from, to: $to, first: $first, after: $after) {
    totalCount
    edges { node { date place guardians { guardianId relation } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const HOMES = `query($regionCode: ID) { childrensHomes(regionCode: $regionCode) { name region { code } childrenServed } }`;

const TABLES = ['women.guidance_session', 'women.guidance_attendee', 'women.childrens_home'];
const snapshot = () => Promise.all(TABLES.map((t) => hub.count(t)));
const codeOf = (res: GraphQLResponse) => res.errors?.[0]?.extensions?.code;

async function expectRefused(
  who: PersonaName | Persona,
  query: string,
  input: Record<string, unknown>,
  code: string,
  field?: string,
) {
  const before = await snapshot();
  const res = await hub.gql(who, query, { input });
  expect([codeOf(res), res.errors?.[0]?.extensions?.field]).toEqual([code, field]);
  expect(await snapshot()).toEqual(before);
}

const forbiddenPaths = (res: GraphQLResponse) =>
  (res.errors ?? []).map((e) => {
    expect(e.extensions?.code).toBe('FORBIDDEN');
    return e.path!.filter((p) => typeof p === 'string').join('.');
  });

async function addGuardian(who: PersonaName, childId: string, relation: string, name: string) {
  const res = await hub.gql(who, `mutation($input: AddGuardianInput!) { addGuardian(input: $input) { id } }`, {
    input: { childId, relation, name, phone: '13800001111', idNumber: '11010519491231002X' },
  });
  return res.data!.addGuardian.id as string;
}

beforeAll(async () => {
  hub = await startTestHub();
  childA = (await registerChild(hub, { careNeeds: ['COMPANIONSHIP'] })).id;
  childB = (await registerChild(hub, {}, REGIONS.villageB)).id;
  const other = await hub.gql('civilOtherCounty', REGISTER, { input: childInput({}, REGIONS.otherCountyVillage) });
  father = await addGuardian('civilCounty', childA, 'FATHER', '马父');
  grandmother = await addGuardian('civilCounty', childA, 'GRANDPARENT', '马奶奶');
  guardianB = await addGuardian('civilCounty', childB, 'ENTRUSTED_PERSON', '韩婶');
  guardianOther = await addGuardian('civilOtherCounty', other.data!.registerChild.id, 'MOTHER', '外县母亲');
});

afterAll(() => hub.close());

describe('the registry as the women’s federation sees it: names and villages only', () => {
  test('name and village of its children', async () => {
    const res = await hub.gql(
      'womenCounty',
      `query($id: ID!) { child(id: $id) { id name residenceRegion { code level name } } }`,
      { id: childA },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.child).toEqual({
      id: childA,
      name: expect.any(String),
      residenceRegion: { code: REGIONS.villageA, level: 'VILLAGE', name: '西关村委会' },
    });
    const list = await hub.gql(
      'womenCounty',
      `{ children(first: 10, filter: { regionCode: "${REGIONS.townshipB}" }) { totalCount edges { node { id name } } } }`,
    );
    expect(list.data!.children.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([childB]);
  });

  test('everything else of the child is FORBIDDEN', async () => {
    const res = await hub.gql('womenCounty', CHILD_360, { id: childA });
    expect(res.data!.child).toMatchObject({ id: childA, idNumber: null, guardians: null, birthDate: null });
    expect(new Set(forbiddenPaths(res))).toEqual(
      new Set([
        'child.birthDate',
        'child.idNumber',
        'child.guardians',
        'child.guardianship',
        'child.enrolment',
        'child.householdRegistration',
        'child.protectionCases',
      ]),
    );
    const more = await hub.gql(
      'womenCounty',
      `{ child(id: "${childA}") { gender age categories careNeeds schoolAge status householdRegion { code } carePairings { id } activities { id } } }`,
    );
    expect(new Set(forbiddenPaths(more))).toEqual(
      new Set([
        'child.gender',
        'child.age',
        'child.categories',
        'child.careNeeds',
        'child.schoolAge',
        'child.status',
        'child.householdRegion',
        'child.carePairings',
        'child.activities',
      ]),
    );
  });

  test('a filter cannot reveal what it may not see: category and status are FORBIDDEN, identity numbers unmatched', async () => {
    for (const filter of ['category: LEFT_BEHIND', 'status: ACTIVE']) {
      const res = await hub.gql('womenCounty', `{ children(first: 10, filter: { ${filter} }) { totalCount } }`);
      expect(forbiddenPaths(res)).toEqual(['children']);
    }
    const { idNumber } = (await hub.gql('civilCounty', `{ child(id: "${childA}") { idNumber } }`)).data!.child;
    const byNumber = await hub.gql('womenCounty', `{ childByIdNumber(idNumber: "${idNumber}") { id } }`);
    expect(forbiddenPaths(byNumber)).toEqual(['childByIdNumber']);
    const search = await hub.gql(
      'womenCounty',
      `{ children(first: 10, filter: { search: "${idNumber.slice(0, 10)}" }) { totalCount } }`,
    );
    expect(search.data!.children.totalCount).toBe(0);
  });

  test('another county’s child is not there', async () => {
    const res = await hub.gql(womenOtherCounty, `{ child(id: "${childA}") { id } children { totalCount } }`);
    expect(res.data).toEqual({ child: null, children: { totalCount: 1 } });
  });
});

describe('recordGuidanceSession', () => {
  const valid = {
    date: '2025-11-20',
    topics: ['GUARDIANSHIP_DUTIES', 'PARENT_CHILD_CONTACT'],
    place: '城关镇妇女之家',
    regionCode: REGIONS.townshipA,
    host: '大通县妇联',
    attendeeCount: 25,
  };

  test('records a session with the registry guardians who attended, their relation taken from the registry', async () => {
    const res = await hub.gql('womenCounty', RECORD, { input: { ...valid, guardianIds: [grandmother, father] } });
    expect(res.errors).toBeUndefined();
    const { regionCode, ...shown } = valid;
    expect(res.data!.recordGuidanceSession).toEqual({
      id: expect.any(String),
      ...shown,
      region: { code: regionCode },
      guardians: expect.arrayContaining([
        { guardianId: father, relation: 'FATHER' },
        { guardianId: grandmother, relation: 'GRANDPARENT' },
      ]),
    });
    const second = await hub.gql('womenCounty', RECORD, {
      input: { ...valid, date: '2026-03-08', regionCode: REGIONS.villageB, guardianIds: [guardianB] },
    });
    expect(second.errors).toBeUndefined();
  });

  test.each([
    ['topics', () => ({ topics: [] })],
    ['topics', () => ({ topics: ['CHILD_SAFETY', 'CHILD_SAFETY'] })],
    ['date', () => ({ date: '2999-01-01' })],
    ['place', () => ({ place: '' })],
    ['host', () => ({ host: ' ' })],
    ['regionCode', () => ({ regionCode: '630121999' })],
    ['attendeeCount', () => ({ attendeeCount: -1 })],
    ['attendeeCount', () => ({ attendeeCount: 0 })],
    ['guardianIds', () => ({ attendeeCount: 1, guardianIds: [father, grandmother] })],
    ['guardianIds', () => ({ guardianIds: [father, father] })],
  ])('rejects a bad %s and writes nothing', async (field, change) => {
    await expectRefused('womenCounty', RECORD, { ...valid, ...change() }, 'BAD_USER_INPUT', field);
  });

  test('a guardian outside the caller’s jurisdiction is NOT_FOUND, and nothing is written', async () => {
    await expectRefused('womenCounty', RECORD, { ...valid, guardianIds: [father, guardianOther] }, 'NOT_FOUND');
    await expectRefused(womenTownshipA, RECORD, { ...valid, guardianIds: [guardianB] }, 'NOT_FOUND');
  });

  test('a session held outside the caller’s jurisdiction is FORBIDDEN', async () => {
    await expectRefused(womenTownshipA, RECORD, { ...valid, regionCode: REGIONS.townshipB }, 'FORBIDDEN');
  });

  test.each<PersonaName>(['civilCounty', 'youthCounty', 'educationCounty', 'enterprise'])(
    '%s may not record guidance sessions',
    async (persona) => {
      await expectRefused(persona, RECORD, valid, 'FORBIDDEN');
    },
  );
});

describe('children’s homes', () => {
  let home: string;
  const valid = {
    name: '西关村儿童之家',
    villageCode: REGIONS.villageA,
    address: '城关镇西关村村委会院内',
    openingHours: '周一至周五 16:30-18:30，周末 9:00-17:00',
    childrenServed: 18,
    activities: ['课后作业辅导', '亲情视频通话'],
  };

  test('registers a village’s home', async () => {
    const res = await hub.gql('womenCounty', REGISTER_HOME, { input: valid });
    expect(res.errors).toBeUndefined();
    home = res.data!.registerChildrensHome.id;
    expect(res.data!.registerChildrensHome).toEqual({
      id: home,
      name: valid.name,
      region: { code: REGIONS.villageA, name: '西关村委会' },
      address: valid.address,
      openingHours: valid.openingHours,
      childrenServed: 18,
      activities: valid.activities,
    });
    const other = await hub.gql('womenCounty', REGISTER_HOME, {
      input: {
        ...valid,
        name: '塔尔湾村儿童之家',
        villageCode: REGIONS.villageB,
        childrenServed: 7,
        activities: undefined,
      },
    });
    expect(other.data!.registerChildrensHome.activities).toEqual([]);
  });

  test('the same name twice in a village is a CONFLICT', async () => {
    await expectRefused('womenCounty', REGISTER_HOME, valid, 'CONFLICT');
  });

  test.each([
    ['name', { name: ' ' }],
    ['villageCode', { villageCode: REGIONS.townshipA }],
    ['villageCode', { villageCode: '630121101999' }],
    ['childrenServed', { childrenServed: -3 }],
    ['activities', { activities: ['阅读', '阅读'] }],
    ['activities[1]', { activities: ['阅读', ''] }],
    ['openingHours', { openingHours: '' }],
  ])('rejects a bad %s and writes nothing', async (field, change) => {
    await expectRefused(
      'womenCounty',
      REGISTER_HOME,
      { ...valid, name: '另一个儿童之家', ...change },
      'BAD_USER_INPUT',
      field,
    );
  });

  test('a home in a village outside the caller’s jurisdiction is FORBIDDEN', async () => {
    await expectRefused(womenTownshipA, REGISTER_HOME, { ...valid, villageCode: REGIONS.villageB }, 'FORBIDDEN');
  });

  test('updates only the fields given; a name taken in the village is a CONFLICT', async () => {
    const res = await hub.gql('womenCounty', UPDATE_HOME, {
      input: { id: home, childrenServed: 21, openingHours: '每天 15:00-19:00' },
    });
    expect(res.data!.updateChildrensHome).toEqual({
      id: home,
      name: valid.name,
      openingHours: '每天 15:00-19:00',
      childrenServed: 21,
      activities: valid.activities,
    });
    const second = await hub.gql('womenCounty', REGISTER_HOME, { input: { ...valid, name: '西关村第二儿童之家' } });
    await expectRefused(
      'womenCounty',
      UPDATE_HOME,
      { id: second.data!.registerChildrensHome.id, name: valid.name },
      'CONFLICT',
    );
    await expectRefused(
      'womenCounty',
      UPDATE_HOME,
      { id: home, childrenServed: -1 },
      'BAD_USER_INPUT',
      'childrenServed',
    );
  });

  test('another jurisdiction’s home is NOT_FOUND to update', async () => {
    await expectRefused(womenOtherCounty, UPDATE_HOME, { id: home, childrenServed: 0 }, 'NOT_FOUND');
    await expectRefused('womenCounty', UPDATE_HOME, { id: 'no-such-home', childrenServed: 0 }, 'NOT_FOUND');
  });

  test.each<PersonaName>(['civilCounty', 'youthCounty', 'educationCounty', 'enterprise'])(
    '%s may not register or change homes',
    async (persona) => {
      await expectRefused(persona, REGISTER_HOME, { ...valid, name: '某儿童之家' }, 'FORBIDDEN');
      await expectRefused(persona, UPDATE_HOME, { id: home, childrenServed: 0 }, 'FORBIDDEN');
    },
  );
});

describe('reading', () => {
  test('sessions newest first, a page at a time, within dates', async () => {
    const page = await hub.gql('womenCounty', SESSIONS, { first: 1 });
    expect(page.data!.guidanceSessions.totalCount).toBe(2);
    expect(page.data!.guidanceSessions.edges.map((e: { node: { date: string } }) => e.node.date)).toEqual([
      '2026-03-08',
    ]);
    const next = await hub.gql('womenCounty', SESSIONS, {
      first: 1,
      after: page.data!.guidanceSessions.pageInfo.endCursor,
    });
    expect(next.data!.guidanceSessions.edges.map((e: { node: { date: string } }) => e.node.date)).toEqual([
      '2025-11-20',
    ]);
    expect(next.data!.guidanceSessions.pageInfo.hasNextPage).toBe(false);
    const range = await hub.gql('womenCounty', SESSIONS, { from: '2026-01-01', to: '2026-12-31' });
    expect(range.data!.guidanceSessions.totalCount).toBe(1);
    const forged = Buffer.from(JSON.stringify(['2026-03-08', 'x'])).toString('base64url');
    const bad = await hub.gql('womenCounty', SESSIONS, { after: forged });
    expect([codeOf(bad), bad.errors![0].extensions!.field]).toEqual(['BAD_USER_INPUT', 'after']);
  });

  test('children’s homes by village', async () => {
    const all = await hub.gql('womenCounty', HOMES, {});
    expect(all.data!.childrensHomes.map((h: { name: string }) => h.name)).toEqual([
      '西关村儿童之家',
      '西关村第二儿童之家',
      '塔尔湾村儿童之家',
    ]);
    const b = await hub.gql('womenCounty', HOMES, { regionCode: REGIONS.villageB });
    expect(b.data!.childrensHomes).toEqual([
      { name: '塔尔湾村儿童之家', region: { code: REGIONS.villageB }, childrenServed: 7 },
    ]);
  });

  test('a township sees its own sessions and homes, and only its guardians among the attendees', async () => {
    const sessions = await hub.gql(womenTownshipA, SESSIONS, {});
    expect(sessions.data!.guidanceSessions.edges).toEqual([
      {
        node: {
          date: '2025-11-20',
          place: '城关镇妇女之家',
          guardians: expect.arrayContaining([
            { guardianId: father, relation: 'FATHER' },
            { guardianId: grandmother, relation: 'GRANDPARENT' },
          ]),
        },
      },
    ]);
    const homes = await hub.gql(womenTownshipA, HOMES, {});
    expect(homes.data!.childrensHomes).toHaveLength(2);
    const other = await hub.gql(womenOtherCounty, `{ guidanceSessions { totalCount } childrensHomes { name } }`);
    expect(other.data).toEqual({ guidanceSessions: { totalCount: 0 }, childrensHomes: [] });
  });

  test('civil affairs reads sessions and homes', async () => {
    const res = await hub.gql('civilCounty', `{ guidanceSessions { totalCount } childrensHomes { name } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.guidanceSessions.totalCount).toBe(2);
    expect(res.data!.childrensHomes).toHaveLength(3);
  });

  test.each<PersonaName>(['youthCounty', 'educationCounty', 'policeCounty', 'enterprise', 'justiceCounty'])(
    '%s may not read them: FORBIDDEN',
    async (persona) => {
      const res = await hub.gql(persona, `{ guidanceSessions { totalCount } childrensHomes { name } }`);
      expect(new Set(forbiddenPaths(res))).toEqual(new Set(['guidanceSessions', 'childrensHomes']));
    },
  );
});
