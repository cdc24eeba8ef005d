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
/** Children of village A (township A), village B (township B) and of another county. */
let childA: string;
let childB: string;
let childOther: string;
/** A volunteer serving township A, and one serving the whole county. */
let townshipVolunteer: string;
let countyVolunteer: string;

const youthTownshipA: Persona = { dept: 'YOUTH_LEAGUE', region: REGIONS.townshipA, roles: ['reader', 'writer'] };
const youthOtherCounty: Persona = { dept: 'YOUTH_LEAGUE', region: REGIONS.otherCounty, roles: ['reader', 'writer'] };
const youthReadOnly: Persona = { dept: 'YOUTH_LEAGUE', region: REGIONS.county, roles: ['reader'] };

const REGISTER_VOLUNTEER = `mutation($input: RegisterVolunteerInput!) {
  registerVolunteer(input: $input) { id name phone organisation region { code level } }
}`;
const PAIR = `mutation($input: PairVolunteerInput!) {
  pairVolunteer(input: $input) { id startDate endDate visitFrequency child { id name } volunteer { id } }
}`;
const END = `mutation($input: EndPairingInput!) { endPairing(input: $input) { id startDate endDate } }`;
const RECORD = `mutation($input: RecordActivityInput!) {
  recordActivity(input: $input) { id kind date place region { code } children { id name } }
}`;
const CARE = `query($id: ID!) {
  child(id: $id) {
    name
    carePairings { visitFrequency endDate volunteer { name phone organisation } }
    activities { kind date place }
  }
}`;

/** Every table this subgraph writes, to prove a rejected operation wrote nothing. */
const TABLES = ['youth.volunteer', 'youth.care_pairing', 'youth.activity', 'youth.activity_child'];
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
  return res;
}

const forbiddenPaths = (res: GraphQLResponse) =>
  (res.errors ?? []).map((e) => {
    expect(e.extensions?.code).toBe('FORBIDDEN');
    return e.path!.filter((p) => typeof p === 'string').join('.');
  });

async function registerVolunteer(input: Record<string, unknown>, who: PersonaName | Persona = 'youthCounty') {
  const res = await hub.gql(who, REGISTER_VOLUNTEER, { input });
  if (!res.data?.registerVolunteer) throw new Error(`registration failed: ${JSON.stringify(res.errors)}`);
  return res.data.registerVolunteer.id as string;
}

beforeAll(async () => {
  hub = await startTestHub();
  childA = (
    await registerChild(hub, { birthDate: '2016-05-10', gender: 'FEMALE', careNeeds: ['COMPANIONSHIP', 'TUTORING'] })
  ).id;
  childB = (await registerChild(hub, {}, REGIONS.villageB)).id;
  const other = await hub.gql('civilOtherCounty', REGISTER, { input: childInput({}, REGIONS.otherCountyVillage) });
  childOther = other.data!.registerChild.id;
  await hub.gql('civilCounty', `mutation($input: AddGuardianInput!) { addGuardian(input: $input) { id } }`, {
    input: { childId: childA, relation: 'FATHER', name: '马父', phone: '13800001111', idNumber: '11010519491231002X' },
  });
  townshipVolunteer = await registerVolunteer({
    name: '李志愿',
    phone: '13912345678',
    organisation: '城关镇中学团支部',
    regionCode: REGIONS.townshipA,
  });
  countyVolunteer = await registerVolunteer({
    name: '王青年',
    phone: '13700002222',
    organisation: '大通县青年志愿者协会',
    regionCode: REGIONS.county,
  });
});

afterAll(() => hub.close());

describe('the registry as the youth league sees it', () => {
  test('name, gender, age, village, categories and care needs of its children', async () => {
    const res = await hub.gql(
      'youthCounty',
      `query($id: ID!) { child(id: $id) { id name gender age residenceRegion { code level } categories careNeeds } }`,
      { id: childA },
    );
    expect(res.errors).toBeUndefined();
    const now = new Date().toISOString().slice(0, 10);
    const age = Number(now.slice(0, 4)) - 2016 - (now.slice(5) < '05-10' ? 1 : 0);
    expect(res.data!.child).toEqual({
      id: childA,
      name: expect.any(String),
      gender: 'FEMALE',
      age,
      residenceRegion: { code: REGIONS.villageA, level: 'VILLAGE' },
      categories: ['LEFT_BEHIND'],
      careNeeds: ['COMPANIONSHIP', 'TUTORING'],
    });
  });

  test('no identity number, birth date, guardians or other departments’ records: FORBIDDEN', async () => {
    const res = await hub.gql('youthCounty', CHILD_360, { id: childA });
    expect(res.data!.child).toMatchObject({ id: childA, residenceRegion: { code: REGIONS.villageA } });
    expect(res.data!.child.idNumber).toBeNull();
    expect(res.data!.child.guardians).toBeNull();
    expect(new Set(forbiddenPaths(res))).toEqual(
      new Set([
        'child.birthDate',
        'child.idNumber',
        'child.guardians',
        'child.guardianship',
        'child.enrolment',
        'child.householdRegistration',
      ]),
    );
    const more = await hub.gql('youthCounty', `{ child(id: "${childA}") { status householdRegion { code } } }`);
    expect(new Set(forbiddenPaths(more))).toEqual(new Set(['child.status', 'child.householdRegion']));
  });

  test('lists left-behind children of its jurisdiction; cannot look up or filter by what it may not see', async () => {
    const list = await hub.gql(
      'youthCounty',
      `{ children(first: 10, filter: { category: LEFT_BEHIND }) { totalCount edges { node { id } } } }`,
    );
    expect(list.data!.children.totalCount).toBe(2);
    const byStatus = await hub.gql('youthCounty', `{ children(first: 10, filter: { status: ACTIVE }) { totalCount } }`);
    expect(forbiddenPaths(byStatus)).toEqual(['children']);
    const byIdNumber = await hub.gql('youthCounty', `{ childByIdNumber(idNumber: "630121201605100000") { id } }`);
    expect(forbiddenPaths(byIdNumber)).toEqual(['childByIdNumber']);
    const { idNumber } = (await hub.gql('civilCounty', `{ child(id: "${childA}") { idNumber } }`)).data!.child;
    const search = await hub.gql(
      'youthCounty',
      `{ children(first: 10, filter: { search: "${idNumber}" }) { totalCount } }`,
    );
    expect(search.data!.children.totalCount).toBe(0);
    const other = await hub.gql('youthCounty', `{ child(id: "${childOther}") { id } }`);
    expect(other.data).toEqual({ child: null });
  });

  test('civil affairs records care needs; a repeated need is BAD_USER_INPUT', async () => {
    const { version } = (await hub.gql('civilCounty', `{ child(id: "${childB}") { version } }`)).data!.child;
    const update = `mutation($input: UpdateChildInput!) { updateChild(input: $input) { careNeeds version } }`;
    const ok = await hub.gql('civilCounty', update, {
      input: { id: childB, version, careNeeds: ['FAMILY_CONTACT', 'SAFETY_EDUCATION'] },
    });
    expect(ok.data!.updateChild).toEqual({ careNeeds: ['FAMILY_CONTACT', 'SAFETY_EDUCATION'], version: version + 1 });
    const bad = await hub.gql('civilCounty', update, {
      input: { id: childB, version: version + 1, careNeeds: ['TUTORING', 'TUTORING'] },
    });
    expect([codeOf(bad), bad.errors![0].extensions!.field]).toEqual(['BAD_USER_INPUT', 'careNeeds']);
    const registered = await hub.gql('civilCounty', REGISTER, {
      input: childInput({ careNeeds: ['HEALTH_CARE', 'HEALTH_CARE'] }),
    });
    expect(codeOf(registered)).toBe('BAD_USER_INPUT');
    expect(await hub.count('registry.child', `care_needs = '{FAMILY_CONTACT,SAFETY_EDUCATION}'`)).toBe(1);
  });

  test.each<PersonaName>(['youthCounty', 'womenCounty'])('%s may not change the registry', async (persona) => {
    const res = await hub.gql(persona, REGISTER, { input: childInput() });
    expect(forbiddenPaths(res)).toEqual(['registerChild']);
  });
});

describe('registerVolunteer', () => {
  test('registers a volunteer; the youth league sees the phone in full', async () => {
    const res = await hub.gql('youthCounty', REGISTER_VOLUNTEER, {
      input: {
        name: ' 张红 ',
        phone: '15800003333',
        organisation: '青海大学青年志愿者协会',
        regionCode: REGIONS.villageB,
      },
    });
    expect(res.data!.registerVolunteer).toEqual({
      id: expect.any(String),
      name: '张红',
      phone: '15800003333',
      organisation: '青海大学青年志愿者协会',
      region: { code: REGIONS.villageB, level: 'VILLAGE' },
    });
  });

  test('a phone number already registered is a CONFLICT', async () => {
    await expectRefused(
      'youthCounty',
      REGISTER_VOLUNTEER,
      { name: '另一人', phone: '13912345678', organisation: '某协会', regionCode: REGIONS.townshipA },
      'CONFLICT',
    );
  });

  const valid = { name: '赵志愿', phone: '13600004444', organisation: '某协会', regionCode: REGIONS.townshipA };
  test.each([
    ['name', { name: '  ' }],
    ['phone', { phone: 'call me' }],
    ['organisation', { organisation: '' }],
    ['regionCode', { regionCode: '630121199' }],
    ['regionCode', { regionCode: REGIONS.province }],
    ['regionCode', { regionCode: 'x' }],
  ])('rejects a bad %s and writes nothing', async (field, change) => {
    await expectRefused('youthCounty', REGISTER_VOLUNTEER, { ...valid, ...change }, 'BAD_USER_INPUT', field);
  });

  test('a volunteer serving outside the caller’s jurisdiction is FORBIDDEN', async () => {
    await expectRefused(youthTownshipA, REGISTER_VOLUNTEER, { ...valid, regionCode: REGIONS.townshipB }, 'FORBIDDEN');
  });

  test.each<PersonaName>(['civilCounty', 'educationCounty', 'enterprise', 'womenCounty'])(
    '%s may not register volunteers',
    async (persona) => {
      await expectRefused(persona, REGISTER_VOLUNTEER, valid, 'FORBIDDEN');
    },
  );

  test('a read-only youth-league account may not either', async () => {
    await expectRefused(youthReadOnly, REGISTER_VOLUNTEER, valid, 'FORBIDDEN');
  });
});

describe('pairVolunteer and endPairing', () => {
  let pairing: string;

  test('pairs a volunteer with a child of the region they serve', async () => {
    const res = await hub.gql('youthCounty', PAIR, {
      input: { volunteerId: townshipVolunteer, childId: childA, startDate: '2025-03-01', visitFrequency: 'WEEKLY' },
    });
    expect(res.errors).toBeUndefined();
    pairing = res.data!.pairVolunteer.id;
    expect(res.data!.pairVolunteer).toMatchObject({
      startDate: '2025-03-01',
      endDate: null,
      visitFrequency: 'WEEKLY',
      child: { id: childA, name: expect.any(String) },
      volunteer: { id: townshipVolunteer },
    });
  });

  test('a second current pairing of the same volunteer and child is a CONFLICT', async () => {
    await expectRefused(
      'youthCounty',
      PAIR,
      { volunteerId: townshipVolunteer, childId: childA, startDate: '2025-04-01', visitFrequency: 'MONTHLY' },
      'CONFLICT',
    );
  });

  test.each([
    ['startDate', () => ({ startDate: '2999-01-01' })],
    ['childId', () => ({ childId: childB })],
  ])('rejects a bad %s and writes nothing', async (field, change) => {
    await expectRefused(
      'youthCounty',
      PAIR,
      {
        volunteerId: townshipVolunteer,
        childId: childA,
        startDate: '2025-03-01',
        visitFrequency: 'WEEKLY',
        ...change(),
      },
      'BAD_USER_INPUT',
      field,
    );
  });

  test('a child or volunteer outside the caller’s jurisdiction is NOT_FOUND', async () => {
    const input = {
      volunteerId: countyVolunteer,
      childId: childOther,
      startDate: '2025-03-01',
      visitFrequency: 'WEEKLY',
    };
    await expectRefused('youthCounty', PAIR, input, 'NOT_FOUND');
    await expectRefused(youthOtherCounty, PAIR, input, 'NOT_FOUND');
    await expectRefused(youthTownshipA, PAIR, { ...input, childId: childA }, 'NOT_FOUND');
  });

  test('ends a pairing once; the end may not precede the start; then the pair may start again', async () => {
    await expectRefused('youthCounty', END, { id: pairing, endDate: '2025-02-01' }, 'BAD_USER_INPUT', 'endDate');
    await expectRefused('youthCounty', END, { id: pairing, endDate: '2999-02-01' }, 'BAD_USER_INPUT', 'endDate');
    const ended = await hub.gql('youthCounty', END, { input: { id: pairing, endDate: '2025-09-30' } });
    expect(ended.data!.endPairing).toEqual({ id: pairing, startDate: '2025-03-01', endDate: '2025-09-30' });
    await expectRefused('youthCounty', END, { id: pairing, endDate: '2025-10-30' }, 'CONFLICT');
    const again = await hub.gql('youthCounty', PAIR, {
      input: {
        volunteerId: townshipVolunteer,
        childId: childA,
        startDate: '2026-01-01',
        visitFrequency: 'FORTNIGHTLY',
      },
    });
    expect(again.data!.pairVolunteer.endDate).toBeNull();
    const county = await hub.gql('youthCounty', PAIR, {
      input: { volunteerId: countyVolunteer, childId: childB, startDate: '2026-01-01', visitFrequency: 'MONTHLY' },
    });
    expect(county.errors).toBeUndefined();
  });

  test('another jurisdiction cannot end the pairing: NOT_FOUND', async () => {
    await expectRefused(youthOtherCounty, END, { id: pairing, endDate: '2025-09-30' }, 'NOT_FOUND');
  });

  test('the child’s pairings: current first, the volunteer’s phone in full for the youth league', async () => {
    const res = await hub.gql('youthCounty', CARE, { id: childA });
    expect(res.data!.child.carePairings).toEqual([
      {
        visitFrequency: 'FORTNIGHTLY',
        endDate: null,
        volunteer: { name: '李志愿', phone: '13912345678', organisation: '城关镇中学团支部' },
      },
      {
        visitFrequency: 'WEEKLY',
        endDate: '2025-09-30',
        volunteer: { name: '李志愿', phone: '13912345678', organisation: '城关镇中学团支部' },
      },
    ]);
  });
});

describe('recordActivity', () => {
  test('records an activity and who attended; each child lists it', async () => {
    const res = await hub.gql('youthCounty', RECORD, {
      input: {
        kind: 'SUMMER_CAMP',
        date: '2025-07-15',
        place: '大通县青少年活动中心',
        regionCode: REGIONS.county,
        childIds: [childA, childB],
      },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.recordActivity).toMatchObject({
      kind: 'SUMMER_CAMP',
      date: '2025-07-15',
      region: { code: REGIONS.county },
    });
    expect(res.data!.recordActivity.children.map((c: { id: string }) => c.id).sort()).toEqual([childA, childB].sort());
    const visit = await hub.gql('youthCounty', RECORD, {
      input: {
        kind: 'VIDEO_CALL_WITH_PARENTS',
        date: '2025-08-01',
        place: '西关村儿童之家',
        regionCode: REGIONS.villageA,
        childIds: [childA],
      },
    });
    expect(visit.errors).toBeUndefined();
    const care = await hub.gql('youthCounty', CARE, { id: childA });
    expect(care.data!.child.activities).toEqual([
      { kind: 'VIDEO_CALL_WITH_PARENTS', date: '2025-08-01', place: '西关村儿童之家' },
      { kind: 'SUMMER_CAMP', date: '2025-07-15', place: '大通县青少年活动中心' },
    ]);
  });

  const valid = { kind: 'TUTORING', date: '2025-05-01', place: '城关镇中心小学', regionCode: REGIONS.townshipA };
  test.each([
    ['childIds', { childIds: [] }],
    ['childIds', { childIds: ['x', 'x'] }],
    ['date', { date: '2999-01-01' }],
    ['place', { place: ' ' }],
    ['regionCode', { regionCode: '630121101999' }],
  ])('rejects a bad %s and writes nothing', async (field, change) => {
    await expectRefused('youthCounty', RECORD, { ...valid, childIds: [childA], ...change }, 'BAD_USER_INPUT', field);
  });

  test('a child outside the caller’s jurisdiction is NOT_FOUND, and nothing of the activity is written', async () => {
    await expectRefused('youthCounty', RECORD, { ...valid, childIds: [childA, childOther] }, 'NOT_FOUND');
    await expectRefused(youthTownshipA, RECORD, { ...valid, childIds: [childA, childB] }, 'NOT_FOUND');
  });

  test('an activity held outside the caller’s jurisdiction is FORBIDDEN', async () => {
    await expectRefused(
      youthTownshipA,
      RECORD,
      { ...valid, regionCode: REGIONS.villageB, childIds: [childA] },
      'FORBIDDEN',
    );
  });

  test.each<PersonaName>(['civilCounty', 'educationCounty', 'enterprise'])(
    '%s may not record activities',
    async (persona) => {
      await expectRefused(persona, RECORD, { ...valid, childIds: [childA] }, 'FORBIDDEN');
    },
  );
});

describe('lists', () => {
  const VOLUNTEERS = `query($regionCode: ID, $first: Int, $after: String) {
    volunteers(regionCode: $regionCode, first: $first, after: $after) {
      totalCount
      edges { cursor node { name phone region { code } } }
      pageInfo { hasNextPage hasPreviousPage endCursor }
    }
  }`;
  const ACTIVITIES = `query($regionCode: ID, $from: Date, $to: Date) {
    activities(regionCode: $regionCode, from: $from, to: $to) { totalCount edges { node { kind date children { id } } } }
  }`;
  const names = (res: GraphQLResponse) =>
    res.data!.volunteers.edges.map((e: { node: { name: string } }) => e.node.name);

  test('volunteers a page at a time, by region', async () => {
    const first = await hub.gql('youthCounty', VOLUNTEERS, { first: 2 });
    expect(first.data!.volunteers.totalCount).toBe(3);
    expect(names(first)).toEqual(['王青年', '李志愿']);
    expect(first.data!.volunteers.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const rest = await hub.gql('youthCounty', VOLUNTEERS, {
      first: 2,
      after: first.data!.volunteers.pageInfo.endCursor,
    });
    expect(names(rest)).toEqual(['张红']);
    expect(rest.data!.volunteers.pageInfo.hasNextPage).toBe(false);
    const township = await hub.gql('youthCounty', VOLUNTEERS, { regionCode: REGIONS.townshipB });
    expect(names(township)).toEqual(['张红']);
  });

  test.each([
    ['first', { first: 101 }],
    ['after', { after: 'bm90LWEtY3Vyc29y' }],
    ['regionCode', { regionCode: '6301x' }],
  ])('a bad %s is BAD_USER_INPUT', async (field, variables) => {
    const res = await hub.gql('youthCounty', VOLUNTEERS, variables);
    expect([codeOf(res), res.errors![0].extensions!.field]).toEqual(['BAD_USER_INPUT', field]);
  });

  test('activities newest first, within dates; `to` before `from` is BAD_USER_INPUT', async () => {
    const all = await hub.gql('youthCounty', ACTIVITIES, {});
    expect(all.data!.activities.edges.map((e: { node: { date: string } }) => e.node.date)).toEqual([
      '2025-08-01',
      '2025-07-15',
    ]);
    const july = await hub.gql('youthCounty', ACTIVITIES, { from: '2025-07-01', to: '2025-07-31' });
    expect(july.data!.activities.totalCount).toBe(1);
    const bad = await hub.gql('youthCounty', ACTIVITIES, { from: '2025-08-01', to: '2025-07-01' });
    expect([codeOf(bad), bad.errors![0].extensions!.field]).toEqual(['BAD_USER_INPUT', 'to']);
  });

  test('a township sees its own volunteers and activities, and only its children among those attending', async () => {
    const volunteers = await hub.gql(youthTownshipA, VOLUNTEERS, {});
    expect(names(volunteers)).toEqual(['李志愿']);
    const activities = await hub.gql(youthTownshipA, ACTIVITIES, {});
    expect(activities.data!.activities.edges).toEqual([
      { node: { kind: 'VIDEO_CALL_WITH_PARENTS', date: '2025-08-01', children: [{ id: childA }] } },
    ]);
    // The county's summer camp is held above the township: its child sees only what the township may.
    const care = await hub.gql(youthTownshipA, CARE, { id: childA });
    expect(care.data!.child.activities).toEqual([
      { kind: 'VIDEO_CALL_WITH_PARENTS', date: '2025-08-01', place: '西关村儿童之家' },
    ]);
    const other = await hub.gql(youthOtherCounty, VOLUNTEERS, {});
    expect(other.data!.volunteers.totalCount).toBe(0);
  });

  test('a county volunteer is hidden from a township that sees the child’s pairing', async () => {
    const townshipB: Persona = { dept: 'YOUTH_LEAGUE', region: REGIONS.townshipB, roles: ['reader'] };
    const res = await hub.gql(townshipB, CARE, { id: childB });
    expect(res.errors).toBeUndefined();
    expect(res.data!.child.carePairings).toEqual([{ visitFrequency: 'MONTHLY', endDate: null, volunteer: null }]);
  });
});

describe('other departments', () => {
  test('civil affairs reads pairings and activities, with volunteers’ phones masked', async () => {
    const res = await hub.gql('civilCounty', CARE, { id: childA });
    expect(res.errors).toBeUndefined();
    expect(res.data!.child.carePairings[0].volunteer).toEqual({
      name: '李志愿',
      phone: '139****5678',
      organisation: '城关镇中学团支部',
    });
    expect(res.data!.child.activities).toHaveLength(2);
    const list = await hub.gql(
      'civilCounty',
      `{ volunteers(first: 5) { edges { node { phone pairings { endDate child { id } } } } } }`,
    );
    expect(list.data!.volunteers.edges[1].node.pairings).toEqual([
      { endDate: null, child: { id: childA } },
      { endDate: '2025-09-30', child: { id: childA } },
    ]);
    expect(list.data!.volunteers.edges.map((e: { node: { phone: string } }) => e.node.phone)).toEqual([
      '137****2222',
      '139****5678',
      '158****3333',
    ]);
  });

  test.each<PersonaName>(['educationCounty', 'policeCounty'])(
    '%s reads the child but not its care: FORBIDDEN',
    async (persona) => {
      const res = await hub.gql(persona, CARE, { id: childA });
      expect(res.data!.child.name).toEqual(expect.any(String));
      expect(new Set(forbiddenPaths(res))).toEqual(new Set(['child.carePairings', 'child.activities']));
    },
  );

  test.each<PersonaName>(['educationCounty', 'policeCounty', 'enterprise', 'womenCounty', 'justiceCounty'])(
    '%s may not list volunteers or activities',
    async (persona) => {
      const res = await hub.gql(persona, `{ volunteers { totalCount } activities { totalCount } }`);
      expect(new Set(forbiddenPaths(res))).toEqual(new Set(['volunteers', 'activities']));
    },
  );
});

test('served on its own, the youth-league subgraph applies the same permissions and masks', async () => {
  const split = await startTestHub({ remote: ['youth-league'] });
  try {
    const input = { name: '周志愿', phone: '13512340000', organisation: '某协会', regionCode: REGIONS.county };
    const registered = await split.gql('youthCounty', REGISTER_VOLUNTEER, { input });
    expect(registered.data!.registerVolunteer.phone).toBe('13512340000');
    const list = `{ volunteers { edges { node { name phone } } } }`;
    expect((await split.gql('civilCounty', list)).data!.volunteers.edges).toEqual([
      { node: { name: '周志愿', phone: '135****0000' } },
    ]);
    const denied = await split.gql('educationCounty', list);
    expect([codeOf(denied), denied.errors![0].extensions!.serviceName]).toEqual(['FORBIDDEN', 'youth-league']);
    expect(codeOf(await split.gql('civilCounty', REGISTER_VOLUNTEER, { input }))).toBe('FORBIDDEN');
  } finally {
    await split.close();
  }
});
