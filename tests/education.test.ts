import {
  registerChild,
  registerSchool,
  startTestHub,
  type GraphQLResponse,
  type TestHub,
  IN_DISTRESS,
} from './helpers/hub';
import { REGIONS, type PersonaName } from './helpers/personas';

let hub: TestHub;
/** Schools: a boarding primary school in township A, a nine-year school in B, a senior school in A. */
let primaryA: string;
let nineYearB: string;
let seniorA: string;

const ENROL = `mutation($input: RecordEnrolmentInput!) {
  recordEnrolment(input: $input) { grade status boarding since until school { code } }
}`;
const ABSENT = `mutation($input: RecordAbsenceInput!) {
  recordAbsence(input: $input) { id date explained reason school { code } child { id } }
}`;
const ALERTS = `query($regionCode: ID, $status: DropoutAlertStatus, $first: Int, $after: String) {
  dropoutAlerts(regionCode: $regionCode, status: $status, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id reason status resolution resolvedAt raisedAt school { code } child { id } } }
  }
}`;
const RESOLVE = `mutation($input: ResolveDropoutAlertInput!) {
  resolveDropoutAlert(input: $input) { id status resolution resolvedAt }
}`;

type Alert = { id: string; reason: string; status: string; school: { code: string } | null; child: { id: string } };

/** A child of `village` enrolled since 1 September 2024 (school-age unless `birthDate` says otherwise). */
async function enrolledChild(village: string, schoolCode: string, grade: number, child: Record<string, unknown> = {}) {
  const { id } = await registerChild(hub, child, village);
  const res = await hub.gql('educationCounty', ENROL, {
    input: { childId: id, schoolCode, grade, status: 'ENROLLED', since: '2024-09-01' },
  });
  expect(res.errors).toBeUndefined();
  return id;
}

const absent = (childId: string, date: string, extra: Record<string, unknown> = {}) =>
  hub.gql('educationCounty', ABSENT, { input: { childId, date, ...extra } });

/** Every alert `who` can list, paging through the connection. */
async function alertsFor(who: PersonaName, variables: Record<string, unknown> = {}): Promise<Alert[]> {
  const all: Alert[] = [];
  let after: string | null = null;
  for (;;) {
    const res: GraphQLResponse = await hub.gql(who, ALERTS, { ...variables, first: 100, after });
    expect(res.errors).toBeUndefined();
    all.push(...res.data!.dropoutAlerts.edges.map((e: { node: Alert }) => e.node));
    if (!res.data!.dropoutAlerts.pageInfo.hasNextPage) return all;
    after = res.data!.dropoutAlerts.pageInfo.endCursor;
  }
}

const alertsOf = async (childId: string) => (await alertsFor('educationCounty')).filter((a) => a.child.id === childId);

const codes = (res: GraphQLResponse) => res.errors?.map((e) => e.extensions?.code);

beforeAll(async () => {
  hub = await startTestHub();
  primaryA = await registerSchool(hub, { name: '城关镇中心小学', boarding: true });
  nineYearB = await registerSchool(hub, {
    name: '塔尔镇九年一贯制学校',
    kind: 'NINE_YEAR',
    regionCode: REGIONS.townshipB,
  });
  seniorA = await registerSchool(hub, { name: '大通县第一高级中学', kind: 'SENIOR_SECONDARY' });
});

afterAll(() => hub.close());

describe('schools', () => {
  const SCHOOLS = `query($regionCode: ID!) { schoolsOfRegion(regionCode: $regionCode) { code name kind boarding region { code } } }`;
  const listed = async (who: PersonaName, regionCode: string) =>
    (await hub.gql(who, SCHOOLS, { regionCode })).data!.schoolsOfRegion.map((s: { code: string }) => s.code);

  test('education and civil affairs list the schools of a region, by code', async () => {
    const res = await hub.gql('educationCounty', SCHOOLS, { regionCode: REGIONS.townshipA });
    expect(res.data!.schoolsOfRegion).toEqual([
      { code: primaryA, name: '城关镇中心小学', kind: 'PRIMARY', boarding: true, region: { code: REGIONS.townshipA } },
      {
        code: seniorA,
        name: '大通县第一高级中学',
        kind: 'SENIOR_SECONDARY',
        boarding: false,
        region: { code: REGIONS.townshipA },
      },
    ]);
    expect(await listed('civilCounty', REGIONS.county)).toEqual([primaryA, nineYearB, seniorA]);
  });

  test('a township lists only its own part of a wider region, and nothing of another township', async () => {
    expect(await listed('educationTownshipB', REGIONS.county)).toEqual([nineYearB]);
    expect(await listed('educationTownshipB', REGIONS.townshipA)).toEqual([]);
    expect(await listed('civilOtherCounty', REGIONS.county)).toEqual([]);
  });

  test.each<PersonaName>(['policeCounty', 'youthCounty', 'enterprise'])('%s may not list schools', async (who) => {
    const res = await hub.gql(who, SCHOOLS, { regionCode: REGIONS.county });
    expect(res.data?.schoolsOfRegion ?? null).toBeNull();
    expect(codes(res)).toEqual(['FORBIDDEN']);
  });

  test('a region code that is not one is bad input', async () => {
    expect(codes(await hub.gql('educationCounty', SCHOOLS, { regionCode: '63012' }))).toEqual(['BAD_USER_INPUT']);
  });

  const REGISTER_SCHOOL = `mutation($input: RegisterSchoolInput!) { registerSchool(input: $input) { code } }`;
  const school = { code: '2630121900', name: '塔尔镇中心幼儿园', kind: 'KINDERGARTEN', regionCode: REGIONS.townshipA };

  test('education registers schools of its jurisdiction only; a code is registered once', async () => {
    const outside = await hub.gql('educationTownshipB', REGISTER_SCHOOL, { input: school });
    expect(codes(outside)).toEqual(['FORBIDDEN']);
    expect(await hub.count('education.school', `code = '${school.code}'`)).toBe(0);
    const again = await hub.gql('educationCounty', REGISTER_SCHOOL, { input: { ...school, code: primaryA } });
    expect(again.errors![0].extensions).toMatchObject({ code: 'CONFLICT' });
  });

  test.each([
    ['code', { code: '263012190' }],
    ['name', { name: ' ' }],
    ['regionCode', { regionCode: REGIONS.province }],
    ['regionCode', { regionCode: '630121199' }],
  ])('registerSchool rejects a bad %s', async (field, change) => {
    const res = await hub.gql('educationCounty', REGISTER_SCHOOL, { input: { ...school, ...change } });
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await hub.count('education.school', `code = '${school.code}'`)).toBe(0);
  });

  test.each<PersonaName>(['civilCounty', 'policeCounty'])('%s may not register schools', async (who) => {
    expect(codes(await hub.gql(who, REGISTER_SCHOOL, { input: school }))).toEqual(['FORBIDDEN']);
  });
});

describe('enrolment history', () => {
  const HISTORY = `query($id: ID!) { child(id: $id) {
    enrolment { school { code kind } schoolName grade status boarding since until }
    enrolmentHistory { school { code } schoolRegion { code } grade status boarding since until updatedAt }
  } }`;
  let childId: string;

  beforeAll(async () => {
    childId = await enrolledChild(REGIONS.villageA, primaryA, 1);
    await hub.gql('educationCounty', ENROL, {
      input: { childId, schoolCode: primaryA, grade: 2, status: 'ENROLLED', boarding: true, since: '2025-09-01' },
    });
  });

  test('a new record moves the current one to the history, ending when the new one begins', async () => {
    const moved = await hub.gql('educationCounty', ENROL, {
      input: { childId, schoolCode: nineYearB, grade: 3, status: 'ENROLLED', since: '2026-03-02' },
    });
    expect(moved.data!.recordEnrolment).toEqual({
      grade: 3,
      status: 'ENROLLED',
      boarding: false,
      since: '2026-03-02',
      until: null,
      school: { code: nineYearB },
    });
    const { child } = (await hub.gql('educationCounty', HISTORY, { id: childId })).data!;
    expect(child.enrolment).toEqual({
      school: { code: nineYearB, kind: 'NINE_YEAR' },
      schoolName: '塔尔镇九年一贯制学校',
      grade: 3,
      status: 'ENROLLED',
      boarding: false,
      since: '2026-03-02',
      until: null,
    });
    expect(
      child.enrolmentHistory.map(({ updatedAt, ...rest }: Record<string, unknown>) => {
        expect(typeof updatedAt).toBe('string');
        return rest;
      }),
    ).toEqual([
      {
        school: { code: nineYearB },
        schoolRegion: { code: REGIONS.townshipB },
        grade: 3,
        status: 'ENROLLED',
        boarding: false,
        since: '2026-03-02',
        until: null,
      },
      {
        school: { code: primaryA },
        schoolRegion: { code: REGIONS.townshipA },
        grade: 2,
        status: 'ENROLLED',
        boarding: true,
        since: '2025-09-01',
        until: '2026-03-02',
      },
      {
        school: { code: primaryA },
        schoolRegion: { code: REGIONS.townshipA },
        grade: 1,
        status: 'ENROLLED',
        boarding: false,
        since: '2024-09-01',
        until: '2025-09-01',
      },
    ]);
    // Civil affairs reads the same history.
    expect((await hub.gql('civilCounty', HISTORY, { id: childId })).data!.child.enrolmentHistory).toHaveLength(3);
  });

  test('a record may not begin before the current one', async () => {
    const res = await hub.gql('educationCounty', ENROL, {
      input: { childId, schoolCode: nineYearB, grade: 3, status: 'SUSPENDED', since: '2026-03-01' },
    });
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'since' });
    expect(await hub.count('education.enrolment_history', `child_id = '${childId}'`)).toBe(2);
  });

  test('public security sees neither the enrolment nor its history', async () => {
    const res = await hub.gql('policeCounty', HISTORY, { id: childId });
    expect(res.data!.child).toEqual({ enrolment: null, enrolmentHistory: null });
    expect(res.errors!.map((e) => [e.path!.join('.'), e.extensions!.code])).toEqual(
      expect.arrayContaining([
        ['child.enrolment', 'FORBIDDEN'],
        ['child.enrolmentHistory', 'FORBIDDEN'],
      ]),
    );
  });

  test('another township reads the child like one that does not exist', async () => {
    expect((await hub.gql('educationTownshipB', HISTORY, { id: childId })).data).toEqual({ child: null });
  });
});

describe('absences and dropout alerts', () => {
  test('three consecutive unexplained school days raise one alert; a fourth raises no second', async () => {
    const childId = await enrolledChild(REGIONS.villageA, primaryA, 3);
    const monday = await absent(childId, '2025-03-03');
    expect(monday.data!.recordAbsence).toMatchObject({
      date: '2025-03-03',
      explained: false,
      reason: null,
      school: { code: primaryA },
      child: { id: childId },
    });
    await absent(childId, '2025-03-04');
    expect(await alertsOf(childId)).toEqual([]);
    await absent(childId, '2025-03-05');
    const [alert] = await alertsOf(childId);
    expect(alert).toMatchObject({ reason: 'ABSENCES', status: 'OPEN', school: { code: primaryA } });
    await absent(childId, '2025-03-06');
    expect(await alertsOf(childId)).toHaveLength(1);

    // Once resolved, a new run raises a new alert.
    await hub.gql('educationCounty', RESOLVE, { input: { id: alert.id, resolution: 'Back at school on 7 March' } });
    for (const date of ['2025-03-17', '2025-03-18', '2025-03-19']) await absent(childId, date);
    expect((await alertsOf(childId)).map((a) => a.status).sort()).toEqual(['OPEN', 'RESOLVED']);
  });

  test('the weekend does not break a run (Friday, Monday, Tuesday), recorded in any order', async () => {
    const childId = await enrolledChild(REGIONS.villageA, primaryA, 3);
    await absent(childId, '2025-03-11');
    await absent(childId, '2025-03-07');
    expect(await alertsOf(childId)).toEqual([]);
    await absent(childId, '2025-03-10');
    expect(await alertsOf(childId)).toEqual([expect.objectContaining({ reason: 'ABSENCES', status: 'OPEN' })]);
  });

  test('school days are China’s: a holiday is none, and a run of absences spans it', async () => {
    const childId = await enrolledChild(REGIONS.villageA, primaryA, 3);
    const holiday = await absent(childId, '2025-10-01');
    expect(holiday.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'date' });
    expect(holiday.errors![0].message).toBe('date: is not a school day: a public holiday (国庆节、中秋节)');
    const summer = await absent(childId, '2025-08-04');
    expect(summer.errors![0].message).toBe('date: is not a school day: in the school vacation (暑假)');
    // Tuesday 30 September, then Thursday 9 and Friday 10 October: three school days in a row.
    for (const date of ['2025-09-30', '2025-10-09']) expect((await absent(childId, date)).errors).toBeUndefined();
    expect(await alertsOf(childId)).toEqual([]);
    await absent(childId, '2025-10-10');
    expect(await alertsOf(childId)).toEqual([expect.objectContaining({ reason: 'ABSENCES', status: 'OPEN' })]);
  });

  test('an absence on a make-up school day counts like any other', async () => {
    const childId = await enrolledChild(REGIONS.villageA, primaryA, 3);
    // Friday 26, Sunday 28 (worked for National Day) and Monday 29 September 2025.
    for (const date of ['2025-09-26', '2025-09-28']) expect((await absent(childId, date)).errors).toBeUndefined();
    expect(await alertsOf(childId)).toEqual([]);
    await absent(childId, '2025-09-29');
    expect(await alertsOf(childId)).toEqual([expect.objectContaining({ reason: 'ABSENCES', status: 'OPEN' })]);
  });

  test('a date in a year the working calendar has no notice for is refused, not guessed', async () => {
    const childId = await enrolledChild(REGIONS.villageA, primaryA, 3);
    const res = await absent(childId, '2023-05-10');
    expect(codes(res)).toEqual(['CALENDAR_MISSING']);
    expect(res.errors![0].message).toMatch(/no official data for 2023/);
    expect(await hub.count('education.absence', `child_id = '${childId}'`)).toBe(0);
  });

  test('explained absences and absences on days that do not follow each other raise no alert', async () => {
    const explained = await enrolledChild(REGIONS.villageA, primaryA, 3);
    await absent(explained, '2025-03-03');
    await absent(explained, '2025-03-04', { explained: true, reason: '发烧，家长请假' });
    await absent(explained, '2025-03-05');
    await absent(explained, '2025-03-06');
    expect(await alertsOf(explained)).toEqual([]);
    const scattered = await enrolledChild(REGIONS.villageA, primaryA, 3);
    for (const date of ['2025-03-03', '2025-03-05', '2025-03-07']) await absent(scattered, date);
    expect(await alertsOf(scattered)).toEqual([]);
  });

  test('an absence recorded again is corrected, not duplicated', async () => {
    const childId = await enrolledChild(REGIONS.villageA, primaryA, 3);
    await absent(childId, '2025-03-03');
    const corrected = await absent(childId, '2025-03-03', { explained: true, reason: '病假' });
    expect(corrected.data!.recordAbsence).toMatchObject({ explained: true, reason: '病假' });
    expect(await hub.count('education.absence', `child_id = '${childId}'`)).toBe(1);
  });

  test('a status change to DROPPED_OUT at compulsory-education age raises one alert', async () => {
    const childId = await enrolledChild(REGIONS.villageB, nineYearB, 4);
    const dropOut = (since: string) =>
      hub.gql('educationCounty', ENROL, {
        input: { childId, schoolCode: nineYearB, grade: 4, status: 'DROPPED_OUT', since },
      });
    await dropOut('2025-10-08');
    expect(await alertsOf(childId)).toEqual([
      expect.objectContaining({ reason: 'DROPPED_OUT', status: 'OPEN', school: { code: nineYearB } }),
    ]);
    // Still DROPPED_OUT: no change of status, no new alert, even after the first is resolved.
    await dropOut('2025-11-03');
    expect(await alertsOf(childId)).toHaveLength(1);
    const [{ id }] = await alertsOf(childId);
    await hub.gql('civilCounty', RESOLVE, { input: { id, resolution: '乡镇入户劝返' } });
    await dropOut('2025-12-01');
    expect((await alertsOf(childId)).map((a) => a.status)).toEqual(['RESOLVED']);
  });

  test('dropping out past compulsory-education age raises no alert', async () => {
    const year = new Date().getUTCFullYear();
    // 17: too old to be left behind; in distress.
    const childId = await enrolledChild(REGIONS.villageA, seniorA, 10, {
      ...IN_DISTRESS,
      birthDate: `${year - 17}-01-15`,
    });
    const res = await hub.gql('educationCounty', ENROL, {
      input: { childId, schoolCode: seniorA, grade: 10, status: 'DROPPED_OUT' },
    });
    expect(res.data!.recordEnrolment.status).toBe('DROPPED_OUT');
    expect(await alertsOf(childId)).toEqual([]);
  });

  test('absences are recorded only for an enrolled child, on a school day of the enrolment', async () => {
    const childId = await enrolledChild(REGIONS.villageA, primaryA, 3);
    const before = await hub.count('education.absence');
    const input = (date: string, extra: Record<string, unknown> = {}) => absent(childId, date, extra);
    expect((await input('2025-03-08')).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'date' });
    expect((await input('2024-06-03')).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'date' });
    expect((await input('2999-03-03')).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'date' });
    expect((await input('2025-03-03', { explained: true })).errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'reason',
    });
    const unenrolled = (await registerChild(hub, {}, REGIONS.villageA)).id;
    expect(codes(await absent(unenrolled, '2025-03-03'))).toEqual(['CONFLICT']);
    await hub.gql('educationCounty', ENROL, {
      input: { childId, schoolCode: primaryA, grade: 3, status: 'SUSPENDED', since: '2025-01-06' },
    });
    expect(codes(await input('2025-03-03'))).toEqual(['CONFLICT']);
    expect(await hub.count('education.absence')).toBe(before);
  });

  test('another township may not record an absence of A’s child; other departments not at all', async () => {
    const childId = await enrolledChild(REGIONS.villageA, primaryA, 3);
    const input = { childId, date: '2025-03-03' };
    expect(codes(await hub.gql('educationTownshipB', ABSENT, { input }))).toEqual(['NOT_FOUND']);
    for (const who of ['civilCounty', 'policeCounty', 'youthCounty'] as const) {
      expect(codes(await hub.gql(who, ABSENT, { input }))).toEqual(['FORBIDDEN']);
    }
    expect(await hub.count('education.absence', `child_id = '${childId}'`)).toBe(0);
  });
});

describe('dropout alert lists', () => {
  let alertA: Alert;
  let alertB: Alert;

  beforeAll(async () => {
    const dropOut = async (village: string, schoolCode: string) => {
      const childId = await enrolledChild(village, schoolCode, 5);
      await hub.gql('educationCounty', ENROL, { input: { childId, schoolCode, grade: 5, status: 'DROPPED_OUT' } });
      return (await alertsOf(childId))[0];
    };
    alertA = await dropOut(REGIONS.villageA, primaryA);
    alertB = await dropOut(REGIONS.villageB, nineYearB);
  });

  const ids = (alerts: Alert[]) => alerts.map((a) => a.id);

  test('civil affairs and education list the alerts of their jurisdiction only', async () => {
    const county = ids(await alertsFor('civilCounty'));
    expect(county).toEqual(expect.arrayContaining([alertA.id, alertB.id]));
    const townshipA = await alertsFor('civilTownshipA');
    expect(ids(townshipA)).toContain(alertA.id);
    expect(townshipA.every((a) => a.child.id !== alertB.child.id)).toBe(true);
    expect(ids(await alertsFor('educationTownshipB'))).toContain(alertB.id);
    expect(ids(await alertsFor('educationTownshipB'))).not.toContain(alertA.id);
    expect(await alertsFor('civilOtherCounty')).toEqual([]);
    expect(ids(await alertsFor('civilCounty', { regionCode: REGIONS.townshipB }))).toEqual(
      ids(await alertsFor('educationTownshipB')),
    );
  });

  test('education, which sees where children live down to the township, does not list by village', async () => {
    expect(ids(await alertsFor('educationCounty', { regionCode: REGIONS.townshipA }))).toContain(alertA.id);
    const byVillage = await hub.gql('educationCounty', ALERTS, { regionCode: REGIONS.villageA, first: 10 });
    expect(codes(byVillage)).toEqual(['FORBIDDEN']);
    const village = await alertsFor('civilCounty', { regionCode: REGIONS.villageA });
    expect(ids(village)).toContain(alertA.id);
    expect(ids(village)).not.toContain(alertB.id);
  });

  test('the list is narrowed by status', async () => {
    const open = await alertsFor('educationCounty', { status: 'OPEN' });
    const resolved = await alertsFor('educationCounty', { status: 'RESOLVED' });
    expect(open.every((a) => a.status === 'OPEN') && resolved.every((a) => a.status === 'RESOLVED')).toBe(true);
    expect(open.length + resolved.length).toBe((await alertsFor('educationCounty')).length);
    expect(ids(open)).toContain(alertA.id);
  });

  test('pages of one visit every alert once, in the order of the whole list', async () => {
    const all = ids(await alertsFor('educationCounty'));
    expect(all.length).toBeGreaterThan(3);
    const seen: string[] = [];
    let after: string | null = null;
    let page: GraphQLResponse;
    do {
      page = await hub.gql('educationCounty', ALERTS, { first: 1, after });
      expect(page.data!.dropoutAlerts.totalCount).toBe(all.length);
      seen.push(...page.data!.dropoutAlerts.edges.map((e: { node: Alert }) => e.node.id));
      after = page.data!.dropoutAlerts.pageInfo.endCursor;
    } while (page.data!.dropoutAlerts.pageInfo.hasNextPage);
    expect(seen).toEqual(all);
    expect(codes(await hub.gql('educationCounty', ALERTS, { first: 1, after: 'not-a-cursor' }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(codes(await hub.gql('educationCounty', ALERTS, { first: 101 }))).toEqual(['BAD_USER_INPUT']);
  });

  test.each<PersonaName>(['policeCounty', 'youthCounty', 'enterprise', 'supervisionProvince'])(
    '%s may not list dropout alerts',
    async (who) => {
      const res = await hub.gql(who, ALERTS, {});
      expect(res.data?.dropoutAlerts ?? null).toBeNull();
      expect(codes(res)).toEqual(['FORBIDDEN']);
    },
  );

  test('an alert is resolved once, with a note, inside the caller’s jurisdiction', async () => {
    const input = { id: alertA.id, resolution: '学校与乡镇入户劝返，已返校' };
    expect(codes(await hub.gql('educationTownshipB', RESOLVE, { input }))).toEqual(['NOT_FOUND']);
    expect(codes(await hub.gql('youthCounty', RESOLVE, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await hub.gql('civilReadOnly', RESOLVE, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await hub.gql('educationCounty', RESOLVE, { input: { ...input, resolution: ' ' } }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    const res = await hub.gql('educationCounty', RESOLVE, { input });
    expect(res.data!.resolveDropoutAlert).toMatchObject({ status: 'RESOLVED', ...input });
    expect(Date.parse(res.data!.resolveDropoutAlert.resolvedAt)).not.toBeNaN();
    expect(codes(await hub.gql('civilCounty', RESOLVE, { input }))).toEqual(['CONFLICT']);
  });
});

describe('left-behind children of education’s jurisdiction', () => {
  const LIST = `query($first: Int) { children(first: $first, filter: { category: LEFT_BEHIND }) {
    totalCount edges { node { id categories idNumber residenceRegion { code } } }
  } }`;

  test('education lists left-behind children with masked identity numbers and township residence', async () => {
    const leftBehind = await registerChild(hub, { categories: ['LEFT_BEHIND'] }, REGIONS.villageB);
    const inDistress = await registerChild(hub, { categories: ['IN_DISTRESS'] }, REGIONS.villageB);
    const res = await hub.gql('educationTownshipB', LIST, { first: 100 });
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.children.edges.map((e: { node: Record<string, any> }) => e.node);
    const ids = nodes.map((n: { id: string }) => n.id);
    expect(ids).toContain(leftBehind.id);
    expect(ids).not.toContain(inDistress.id);
    expect(nodes.every((n: { categories: string[] }) => n.categories.includes('LEFT_BEHIND'))).toBe(true);
    expect(nodes.find((n: { id: string }) => n.id === leftBehind.id)).toEqual({
      id: leftBehind.id,
      categories: ['LEFT_BEHIND'],
      idNumber: `${leftBehind.idNumber.slice(0, 6)}********${leftBehind.idNumber.slice(14)}`,
      residenceRegion: { code: REGIONS.townshipB },
    });
    // Township B's list holds none of township A's children; the county's holds both.
    const county = await hub.gql('educationCounty', LIST, { first: 100 });
    expect(county.data!.children.totalCount).toBeGreaterThan(res.data!.children.totalCount);
  });
});
