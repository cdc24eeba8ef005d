import request from 'supertest';
import { makeIdNumber } from '../src/domain/id-number';
import type { LedgerRecord } from '../src/subgraphs/registry/census-ledger';
import { bothParentsAwayWithoutEntrusted, csvOf, importAndWait, ledger, villagesOf } from './helpers/census';
import { registerSchool, startTestHub, type TestHub } from './helpers/hub';
import { ENTERPRISES, REGIONS, type Persona } from './helpers/personas';

/**
 * Statistics against counts made by hand from the ledgers the test imports and the records it
 * plants in other departments: dropped out, without hukou, visits, assistance, conflicts.
 */
let hub: TestHub;
let rowsA: LedgerRecord[];
let rowsB: LedgerRecord[];
const childOf = new Map<string, string>();
const today = new Date().toISOString().slice(0, 10);
const period = today.slice(0, 7);

const supervisionProvince: Persona = { dept: 'SUPERVISION', region: REGIONS.province, roles: ['reader', 'writer'] };
const supervisionCounty: Persona = { dept: 'SUPERVISION', region: REGIONS.county, roles: ['reader', 'writer'] };
const supervisionReader: Persona = { dept: 'SUPERVISION', region: REGIONS.province, roles: ['reader'] };
const supervisionJiangsu: Persona = { dept: 'SUPERVISION', region: '32', roles: ['reader', 'writer'] };

const FIGURES = `region { code } children byCategory { category children } byArrangement { arrangement children }
  bothParentsAway withoutHukou outOfSchool openConflicts visits { due visited percent }
  assistance { reports workersCovered amount }`;
const STATISTICS = `query($code: ID!, $period: String!) {
  regionStatistics(code: $code, period: $period) {
    region { code name } period suppressed
    total { ${FIGURES} }
    parts { ${FIGURES} }
    conflicts { kind owner open }
    implementation { province { code } opinionIssued opinionDate mechanismEstablished mechanismDate }
  }
}`;
const TREND = `query($code: ID!, $from: String!, $to: String!) {
  statisticsTrend(code: $code, from: $from, to: $to) { month children leftBehind visits { due visited percent } assistance { reports amount } }
}`;
const TASKS = `query($region: ID!, $status: ConflictStatus) {
  conflictTasks(regionCode: $region, status: $status) { id kind owner child { id } region { code } status }
}`;
const DETECT = `mutation($region: ID!) { detectConflicts(regionCode: $region) { opened resolved } }`;

const away = (r: LedgerRecord) => r.father_working_away === 'Y' && r.mother_working_away === 'Y';

async function gqlOk<T = Record<string, any>>(who: Parameters<TestHub['gql']>[0], query: string, vars = {}) {
  const res = await hub.gql<T>(who, query, vars);
  if (!res.data || res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data;
}

beforeAll(async () => {
  hub = await startTestHub();
  rowsA = ledger((await villagesOf(hub, REGIONS.townshipA)).slice(0, 3), 30, 0);
  rowsB = ledger((await villagesOf(hub, REGIONS.townshipB)).slice(0, 2), 3, 1000);
  // Planted: both parents away and nobody entrusted (a conflict for civil affairs).
  bothParentsAwayWithoutEntrusted(rowsA[0]);
  for (const [region, rows] of [
    [REGIONS.townshipA, rowsA],
    [REGIONS.townshipB, rowsB],
  ] as const) {
    const outcome = await importAndWait(hub, 'civilCounty', { regionCode: region, csv: csvOf(rows) });
    expect(outcome.status).toBe('ACCEPTED');
  }
  // Planted: rowsA[1]'s father is also custodian of a child in another county.
  const other = ledger([REGIONS.otherCountyVillage], 1, 2000)[0];
  other.father_id_number = rowsA[1].father_id_number;
  const outcome = await importAndWait(hub, 'civilOtherCounty', {
    regionCode: REGIONS.otherCounty,
    csv: csvOf([other]),
  });
  expect(outcome.status).toBe('ACCEPTED');
  const ids = await hub.on('registry')(`select id, id_number from registry.child`);
  for (const r of ids as { id: string; id_number: string }[]) childOf.set(r.id_number, r.id);

  // Education: one child of school age the ledger has in school drops out; another is enrolled.
  const school = await registerSchool(hub);
  const inSchool = rowsA.filter((r) => r.schooling === 'IN_SCHOOL' && r.birth_date! <= '2019-01-01');
  const enrol = (r: LedgerRecord, status: string) =>
    gqlOk('educationCounty', `mutation($input: RecordEnrolmentInput!) { recordEnrolment(input: $input) { status } }`, {
      input: { childId: childOf.get(r.id_number!), schoolCode: school, grade: 3, status },
    });
  await enrol(inSchool[0], 'DROPPED_OUT');
  await enrol(inSchool[1], 'ENROLLED');
  // Public security: two children recorded without hukou (no API records that; its seeds do),
  // with the event public security publishes of a household registration.
  for (const r of [rowsA[3], rowsA[4]]) {
    const recorded = { childId: childOf.get(r.id_number!), regionCode: r.residence_region, registered: false };
    await hub.on('public-security')(
      `with registration as (
         insert into security.household_registration (child_id, region_code, registered, updated_at) values (?, ?, false, now()))
       insert into security.outbox (kind, payload) values ('HouseholdRecorded', ?)`,
      [recorded.childId, recorded.regionCode, JSON.stringify(recorded)],
    );
  }
  // Youth league: three pairings; one monthly child visited, one weekly child visited once only.
  const paired: string[] = [];
  for (const [i, frequency] of [
    [5, 'MONTHLY'],
    [6, 'WEEKLY'],
    [7, 'MONTHLY'],
  ] as const) {
    const v = await gqlOk<{ registerVolunteer: { id: string } }>(
      'youthCounty',
      `mutation($input: RegisterVolunteerInput!) { registerVolunteer(input: $input) { id } }`,
      { input: { name: `志愿者${i}`, phone: `1370000000${i}`, organisation: '团县委', regionCode: REGIONS.townshipA } },
    );
    const childId = childOf.get(rowsA[i].id_number!)!;
    paired.push(childId);
    await gqlOk('youthCounty', `mutation($input: PairVolunteerInput!) { pairVolunteer(input: $input) { id } }`, {
      input: { volunteerId: v.registerVolunteer.id, childId, startDate: today, visitFrequency: frequency },
    });
  }
  await gqlOk('youthCounty', `mutation($input: RecordActivityInput!) { recordActivity(input: $input) { id } }`, {
    input: {
      kind: 'COMPANIONSHIP_VISIT',
      date: today,
      place: '村委会',
      regionCode: REGIONS.townshipA,
      childIds: [paired[0], paired[1]],
    },
  });
  // An enterprise of township A reports assistance this month.
  await gqlOk(
    'civilCounty',
    `mutation($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { creditCode } }`,
    {
      input: {
        creditCode: ENTERPRISES.a,
        name: '大通测试制衣厂',
        regionCode: REGIONS.townshipA,
        labourIntensive: true,
        contactName: '联系人',
        contactPhone: '13900000000',
      },
    },
  );
  for (const [key, amount, workers] of [
    ['a-1', '1200.50', 2],
    ['a-2', '300.00', 1],
  ] as const) {
    await gqlOk(
      'enterprise',
      `mutation($input: AssistanceReportInput!) { reportAssistance(input: $input) { reportId } }`,
      {
        input: {
          clientKey: key,
          kind: 'HARDSHIP_AID',
          date: today,
          amount,
          workerIdNumbers: Array.from({ length: workers }, (_, n) =>
            makeIdNumber(REGIONS.county, '1980-01-01', 300 + n, 'MALE'),
          ),
        },
      },
    );
  }
});
afterAll(() => hub?.close());

type Figures = Record<string, any>;
const part = (s: Figures, code: string) => s.parts.find((p: Figures) => p.region.code === code);
const byCat = (f: Figures, c: string) => f.byCategory.find((x: Figures) => x.category === c).children;
const byArr = (f: Figures, a: string) => f.byArrangement.find((x: Figures) => x.arrangement === a).children;

describe('regionStatistics', () => {
  test('civil affairs sees every figure of the county, per township, as counted by hand', async () => {
    const { regionStatistics: s } = await gqlOk<{ regionStatistics: Figures }>('civilCounty', STATISTICS, {
      code: REGIONS.county,
      period,
    });
    expect(s.suppressed).toBe(false);
    const a = part(s, REGIONS.townshipA);
    expect(a.children).toBe(rowsA.length);
    expect(byCat(a, 'LEFT_BEHIND')).toBe(rowsA.filter((r) => r.categories!.includes('LEFT_BEHIND')).length);
    expect(byCat(a, 'IN_DISTRESS')).toBe(rowsA.filter((r) => r.categories!.includes('IN_DISTRESS')).length);
    for (const k of ['PARENTS', 'ENTRUSTED', 'GOVERNMENT_TEMPORARY'])
      expect([k, byArr(a, k)]).toEqual([k, rowsA.filter((r) => r.guardianship === k).length]);
    expect(byArr(a, 'NONE')).toBe(0);
    expect(a.bothParentsAway).toBe(rowsA.filter(away).length);
    expect(a.withoutHukou).toBe(2);
    expect(a.outOfSchool).toBe(1);
    expect(a.visits).toEqual({ due: 3, visited: 1, percent: 33.3 });
    expect(a.assistance).toEqual({ reports: 2, workersCovered: 3, amount: '1500.50' });
    const b = part(s, REGIONS.townshipB);
    expect(b.children).toBe(rowsB.length);
    expect(b.bothParentsAway).toBe(rowsB.filter(away).length);
    expect(s.total.children).toBe(rowsA.length + rowsB.length);
    expect(s.total.assistance.amount).toBe('1500.50');
    // Every township of the county is listed, with or without children.
    const townships = await hub.count('reference.region', `parent_code = '${REGIONS.county}'`);
    expect(s.parts).toHaveLength(townships);
    expect(s.region.name).toBe('大通回族土族自治县');
  });

  test('a page of statistics costs each department the same statements, whatever the number of parts', async () => {
    // Every department's figures, as the dashboard asks for them.
    const PAGE = `query($code: ID!, $period: String!) {
      regionStatistics(code: $code, period: $period) {
        region { code name } total { ...all } parts { ...all } conflicts { kind open } implementation { opinionIssued }
      }
    }
    fragment all on RegionFigures {
      ${FIGURES} openProtectionCases overdueTasks referralAnswers { percent } medianMinutesToAcceptance
    }`;
    const departments = [
      'registry',
      'public-security',
      'education',
      'youth-league',
      'enterprise',
      'casework',
      'supervision',
    ];
    const page = async (code: string) => {
      const before = departments.map((d) => hub.sqlStatements(d));
      const { regionStatistics: s } = await gqlOk<{ regionStatistics: Figures }>('civilCounty', PAGE, { code, period });
      return {
        parts: s.parts.length,
        statements: Object.fromEntries(departments.map((d, i) => [d, hub.sqlStatements(d) - before[i]])),
      };
    };
    const village = rowsA[0].residence_region!;
    for (const code of [REGIONS.county, REGIONS.townshipA, village]) await page(code); // region names cached
    const [county, township, one] = [await page(REGIONS.county), await page(REGIONS.townshipA), await page(village)];
    expect([county.parts, one.parts]).toEqual([
      await hub.count('reference.region', `parent_code = '${REGIONS.county}'`),
      0,
    ]);
    expect(county.statements).toEqual(one.statements);
    expect(township.statements).toEqual(one.statements);
    // A department counts a view's total and all its parts in one statement, and may append the
    // request's read to its audit chain; supervision also lists the parts, counts conflicts by kind
    // and reads the province's implementation.
    const most = (d: string) => (d === 'supervision' ? 5 : 2);
    expect(departments.filter((d) => one.statements[d] > most(d))).toEqual([]);
  });

  test('a village aggregates its own children and has no parts', async () => {
    const village = rowsA[0].residence_region!;
    const { regionStatistics: s } = await gqlOk<{ regionStatistics: Figures }>('civilCounty', STATISTICS, {
      code: village,
      period,
    });
    expect(s.parts).toEqual([]);
    expect(s.total.children).toBe(rowsA.filter((r) => r.residence_region === village).length);
  });

  test('supervision sees the figures with small cells suppressed, and no personal field', async () => {
    const res = await hub.gql<{ regionStatistics: Figures }>(
      supervisionReader,
      STATISTICS,
      { code: REGIONS.county, period },
      { purpose: 'STATISTICS' },
    );
    expect(res.errors).toBeUndefined();
    const s = res.data!.regionStatistics;
    expect(s.suppressed).toBe(true);
    const a = part(s, REGIONS.townshipA);
    // Township B's 3 children are the county's only small cell: township A's count is hidden too,
    // or the total minus township A would give township B back.
    expect(a.children).toBeNull();
    expect(byCat(a, 'LEFT_BEHIND')).toBeNull();
    expect(a.withoutHukou).toBeNull(); // 2
    expect(a.outOfSchool).toBeNull(); // 1
    expect(a.visits).toEqual({ due: null, visited: null, percent: null }); // 3 due, 1 visited
    expect(a.assistance.amount).toBe('1500.50');
    expect(part(s, REGIONS.townshipB).children).toBeNull(); // 3
    expect(s.total.children).toBe(rowsA.length + rowsB.length);
    const zero = s.parts.find(
      (p: Figures) => p.region.code !== REGIONS.townshipA && p.region.code !== REGIONS.townshipB,
    );
    expect(zero.children).toBe(0);
    for (const query of [
      `{ children(first: 1) { edges { node { id name } } } }`,
      `query($r: ID!) { conflictTasks(regionCode: $r) { id child { id } } }`,
      `query($r: ID!) { censusImports(regionCode: $r) { id } }`,
    ]) {
      const denied = await hub.gql(supervisionReader, query, { r: REGIONS.county }, { purpose: 'STATISTICS' });
      expect([query, denied.errors?.[0].extensions?.code]).toEqual([query, 'FORBIDDEN']);
    }
  });

  test('education sees them suppressed too; enterprises and other jurisdictions not at all', async () => {
    const ed = await gqlOk<{ regionStatistics: Figures }>('educationCounty', STATISTICS, {
      code: REGIONS.county,
      period,
    });
    expect(ed.regionStatistics.suppressed).toBe(true);
    expect(part(ed.regionStatistics, REGIONS.townshipB).children).toBeNull();
    const enterprise = await hub.gql('enterprise', STATISTICS, { code: REGIONS.county, period });
    expect(enterprise.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    for (const who of ['civilOtherCounty', supervisionCounty] as const) {
      const res = await hub.gql(who, STATISTICS, { code: REGIONS.province, period });
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    const bad = await hub.gql('civilCounty', STATISTICS, { code: REGIONS.county, period: '2026-13' });
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  test('statisticsTrend counts by month', async () => {
    const [y, m] = period.split('-').map(Number);
    const from = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
    const { statisticsTrend: t } = await gqlOk<{ statisticsTrend: Figures[] }>('civilCounty', TREND, {
      code: REGIONS.townshipA,
      from,
      to: period,
    });
    expect(t.map((x) => x.month)).toEqual([from, period]);
    expect(t[0]).toMatchObject({ children: 0, leftBehind: 0, visits: { due: 0, visited: 0, percent: null } });
    expect(t[1]).toMatchObject({
      children: rowsA.length,
      leftBehind: rowsA.filter((r) => r.categories!.split(';').includes('LEFT_BEHIND')).length,
      visits: { due: 3, visited: 1, percent: 33.3 },
      assistance: { reports: 2, amount: '1500.50' },
    });
  });
});

describe('figures from each department', () => {
  /** Asks one department's subgraph, served on its own, for entity references as `who`. */
  async function entities(subgraph: string, who: Parameters<TestHub['gql']>[0], query: string) {
    const url = new URL((await hub.serveSubgraphs([subgraph]))[subgraph]);
    const res = await request(`${url.protocol}//${url.host}`)
      .post(url.pathname)
      .set('authorization', `Bearer ${await hub.token(who)}`)
      .set('x-purpose', 'STATISTICS')
      .send({ query });
    return res.body as { data?: { _entities: (Figures | null)[] }; errors?: Figures[] };
  }
  const hukou = (code: string, within: string, p = period) =>
    `{ _entities(representations: [{ __typename: "RegionFigures", code: "${code}", period: "${p}", within: "${within}" }]) { ... on RegionFigures { withoutHukou } } }`;

  test('a department answers references for the caller’s jurisdiction only, and refuses bad ones', async () => {
    const civil = await entities('public-security', 'civilCounty', hukou(REGIONS.townshipA, REGIONS.county));
    expect(civil).toEqual({ data: { _entities: [{ withoutHukou: 2 }] } });
    // Public security's own 2 children without hukou are a small cell to its own county account.
    const police = await entities('public-security', 'policeCounty', hukou(REGIONS.townshipA, REGIONS.county));
    expect(police).toEqual({ data: { _entities: [{ withoutHukou: null }] } });
    const codes = async (who: Parameters<TestHub['gql']>[0], query: string) =>
      (await entities('public-security', who, query)).errors?.map((e) => e.extensions.code);
    expect(await codes('civilOtherCounty', hukou(REGIONS.townshipA, REGIONS.county))).toEqual(['FORBIDDEN']);
    expect(await codes('enterprise', hukou(REGIONS.townshipA, REGIONS.county))).toEqual(['FORBIDDEN']);
    // A region is shown in its own view or in its parent's, nowhere else.
    expect(await codes('policeCounty', hukou(REGIONS.townshipA, REGIONS.townshipB))).toEqual(['BAD_USER_INPUT']);
    expect(await codes('policeCounty', hukou(REGIONS.townshipA, REGIONS.county, '2026-13'))).toEqual([
      'BAD_USER_INPUT',
    ]);
    const months = (...ms: string[]) =>
      `{ _entities(representations: [${ms.map((m) => `{ __typename: "MonthFigures", code: "${REGIONS.county}", month: "${m}" }`).join(', ')}]) { ... on MonthFigures { children } } }`;
    expect((await entities('registry', 'civilCounty', months('2024-01', '2024-02'))).errors).toBeUndefined();
    const span = await entities('registry', 'civilCounty', months('2024-01', '2027-01'));
    expect(span.errors?.map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
  });
});

describe('conflicts', () => {
  const kinds = (tasks: Figures[]) => tasks.map((t) => [t.kind, t.child.id]).sort();

  test('each planted conflict is found and listed for its owning unit', async () => {
    // Detection reads the facts the departments published: once supervision has them.
    await hub.settle();
    await gqlOk('civilCounty', DETECT, { region: REGIONS.county });
    const dropped = rowsA.filter((r) => r.schooling === 'IN_SCHOOL' && r.birth_date! <= '2019-01-01')[0];
    const expected = [
      ['DROPPED_OUT_BUT_IN_SCHOOL', childOf.get(dropped.id_number!)],
      ['WITHOUT_HUKOU', childOf.get(rowsA[3].id_number!)],
      ['WITHOUT_HUKOU', childOf.get(rowsA[4].id_number!)],
      ...rowsA
        .filter((r) => away(r) && r.guardianship !== 'ENTRUSTED')
        .map((r) => ['CUSTODIAN_AWAY_WITHOUT_ENTRUSTED_GUARDIAN', childOf.get(r.id_number!)]),
      ['CUSTODIAN_IN_TWO_COUNTIES', childOf.get(rowsA[1].id_number!)],
    ].sort();
    const all = await gqlOk<{ conflictTasks: Figures[] }>('civilCounty', TASKS, { region: REGIONS.county });
    expect(kinds(all.conflictTasks)).toEqual(expected);
    const ed = await gqlOk<{ conflictTasks: Figures[] }>('educationCounty', TASKS, { region: REGIONS.county });
    expect(ed.conflictTasks.map((t) => t.kind)).toEqual(['DROPPED_OUT_BUT_IN_SCHOOL']);
    // Education sees where a child lives down to the township: the task's village too, and its filter.
    expect((ed.conflictTasks[0] as { region: { code: string } }).region.code).toHaveLength(9);
    const byVillage = await hub.gql('educationCounty', TASKS, { region: REGIONS.villageA });
    expect(byVillage.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const police = await gqlOk<{ conflictTasks: Figures[] }>('policeCounty', TASKS, { region: REGIONS.county });
    expect(police.conflictTasks.map((t) => t.kind)).toEqual(['WITHOUT_HUKOU', 'WITHOUT_HUKOU']);
    // The other county's civil affairs finds its half of the shared custodian.
    await gqlOk('civilOtherCounty', DETECT, { region: REGIONS.otherCounty });
    const other = await gqlOk<{ conflictTasks: Figures[] }>('civilOtherCounty', TASKS, { region: REGIONS.otherCounty });
    expect(other.conflictTasks.map((t) => t.kind)).toEqual(['CUSTODIAN_IN_TWO_COUNTIES']);
    // Supervision sees the counts beside the figures.
    const s = await hub.gql<{ regionStatistics: Figures }>(supervisionReader, STATISTICS, {
      code: REGIONS.county,
      period,
    });
    expect(s.data!.regionStatistics.conflicts).toEqual(
      expect.arrayContaining([{ kind: 'WITHOUT_HUKOU', owner: 'PUBLIC_SECURITY', open: 2 }]),
    );
    const denied = await hub.gql('educationCounty', DETECT, { region: REGIONS.county });
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const outside = await hub.gql('civilOtherCounty', TASKS, { region: REGIONS.county });
    expect(outside.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  test('a conflict that is fixed is resolved at the next detection', async () => {
    const dropped = rowsA.filter((r) => r.schooling === 'IN_SCHOOL' && r.birth_date! <= '2019-01-01')[0];
    const school = await hub.on('education')(`select code from education.school limit 1`);
    await gqlOk(
      'educationCounty',
      `mutation($input: RecordEnrolmentInput!) { recordEnrolment(input: $input) { status } }`,
      {
        input: { childId: childOf.get(dropped.id_number!), schoolCode: school[0].code, grade: 3, status: 'ENROLLED' },
      },
    );
    await hub.settle();
    const detected = await gqlOk<{ detectConflicts: Figures }>(supervisionCounty, DETECT, { region: REGIONS.county });
    expect(detected.detectConflicts).toEqual({ opened: 0, resolved: 1 });
    const ed = await gqlOk<{ conflictTasks: Figures[] }>('educationCounty', TASKS, { region: REGIONS.county });
    expect(ed.conflictTasks).toEqual([]);
    // Public security closes one of its own tasks; education cannot close it.
    const police = await gqlOk<{ conflictTasks: Figures[] }>('policeCounty', TASKS, { region: REGIONS.county });
    const RESOLVE = `mutation($id: ID!) { resolveConflictTask(id: $id) { status } }`;
    const foreign = await hub.gql('educationCounty', RESOLVE, { id: police.conflictTasks[0].id });
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const own = await gqlOk('policeCounty', RESOLVE, { id: police.conflictTasks[0].id });
    expect(own.resolveConflictTask.status).toBe('RESOLVED');
  });
});

describe('supervision records', () => {
  const SET = `mutation($input: ProvincialImplementationInput!) {
    setProvincialImplementation(input: $input) { province { code name } opinionIssued opinionDate mechanismEstablished mechanismDate }
  }`;
  const input = {
    provinceCode: REGIONS.province,
    opinionIssued: true,
    opinionDate: '2017-03-01',
    mechanismEstablished: true,
    mechanismDate: '2017-06-15',
  };

  test('supervision records a province’s implementation, shown beside the figures', async () => {
    const set = await gqlOk(supervisionProvince, SET, { input });
    expect(set.setProvincialImplementation).toMatchObject({
      province: { code: '63', name: '青海省' },
      opinionIssued: true,
    });
    const s = await gqlOk<{ regionStatistics: Figures }>('civilCounty', STATISTICS, { code: REGIONS.county, period });
    expect(s.regionStatistics.implementation).toEqual({
      province: { code: '63' },
      opinionIssued: true,
      opinionDate: '2017-03-01',
      mechanismEstablished: true,
      mechanismDate: '2017-06-15',
    });
    for (const who of ['civilCounty', supervisionReader, supervisionJiangsu, supervisionCounty] as const) {
      const res = await hub.gql(who, SET, { input });
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    const bad = await hub.gql(supervisionProvince, SET, { input: { ...input, opinionIssued: false } });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'opinionDate' });
  });

  test('the joint meeting: member units, work points, and which are behind', async () => {
    const UNIT = `mutation($input: JointMeetingUnitInput!) { addJointMeetingUnit(input: $input) { id unitName convener } }`;
    const POINT = `mutation($input: WorkPointInput!) { addWorkPoint(input: $input) { id overdue status unit { unitName } } }`;
    const civil = await gqlOk(supervisionCounty, UNIT, {
      input: {
        regionCode: REGIONS.county,
        department: 'CIVIL_AFFAIRS',
        unitName: '县民政局',
        duties: '牵头',
        convener: true,
      },
    });
    const edu = await gqlOk(supervisionCounty, UNIT, {
      input: { regionCode: REGIONS.county, department: 'EDUCATION', unitName: '县教育局', duties: '控辍保学' },
    });
    const late = await gqlOk(supervisionCounty, POINT, {
      input: { unitId: edu.addJointMeetingUnit.id, year: 2026, title: '完成义务教育阶段劝返', deadline: '2026-01-31' },
    });
    expect(late.addWorkPoint).toMatchObject({ overdue: true, status: 'PLANNED', unit: { unitName: '县教育局' } });
    await gqlOk(supervisionCounty, POINT, {
      input: {
        unitId: civil.addJointMeetingUnit.id,
        year: 2026,
        title: '全面摸排',
        deadline: '2026-02-28',
        status: 'DONE',
      },
    });
    const MEETING = `query($r: ID!, $y: Int!) { jointMeeting(regionCode: $r, year: $y) {
      units { unitName convener } workPoints { title overdue unit { unitName } } overdueWorkPoints } }`;
    const meeting = await gqlOk(supervisionProvince, MEETING, { r: REGIONS.county, y: 2026 });
    expect(meeting.jointMeeting.units.map((u: Figures) => u.unitName)).toEqual(['县民政局', '县教育局']);
    expect(meeting.jointMeeting.overdueWorkPoints).toBe(1);
    const done = await gqlOk(
      supervisionCounty,
      `mutation($id: ID!) { setWorkPointStatus(id: $id, status: DONE) { overdue } }`,
      {
        id: late.addWorkPoint.id,
      },
    );
    expect(done.setWorkPointStatus.overdue).toBe(false);
    const denied = await hub.gql('civilCounty', UNIT, {
      input: { regionCode: REGIONS.county, department: 'JUSTICE', unitName: '县司法局', duties: '法律援助' },
    });
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const outside = await hub.gql(supervisionJiangsu, MEETING, { r: REGIONS.county, y: 2026 });
    expect(outside.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const otherCounty = await hub.gql({ ...supervisionCounty, region: REGIONS.otherCounty }, UNIT, {
      input: { regionCode: REGIONS.county, department: 'JUSTICE', unitName: '县司法局', duties: '法律援助' },
    });
    expect(otherCounty.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
