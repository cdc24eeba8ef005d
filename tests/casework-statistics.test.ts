import { registerChild, startTestHub, type TestHub } from './helpers/hub';
import { REGIONS, type Persona, type PersonaName } from './helpers/personas';

/** The county education bureau's reporting account: it may report children of any of its townships. */
const countyReporter: Persona = { dept: 'EDUCATION', region: REGIONS.county, roles: ['reporter'] };

/** Monday 2 November 2026, 10:00 in China; the tests move it. */
let now = new Date('2026-11-02T02:00:00Z');
const clock = { now: () => now };
const advance = (minutes: number) => (now = new Date(now.getTime() + minutes * 60_000));

let hub: TestHub;
afterAll(() => hub.close());
beforeAll(async () => {
  hub = await startTestHub({ clock });
});

async function ok(who: PersonaName | Persona, query: string, variables?: Record<string, unknown>) {
  const res = await hub.gql(who, query, variables);
  if (res.errors) throw new Error(`${who}: ${JSON.stringify(res.errors)}`);
  return res.data!;
}

const step = (name: string, input = 'CaseStepInput') =>
  `mutation($input: ${input}!) { ${name}(input: $input) { version } }`;

async function report(childId: string, village: string) {
  const data = await ok(
    countyReporter,
    `mutation($input: ReportConcernInput!) { reportConcern(input: $input) { receiptNumber } }`,
    {
      input: {
        childId,
        concernType: 'UNATTENDED',
        urgency: 'URGENT',
        regionCode: village,
        address: '村内',
        reportingUnit: '中心小学',
        reporterContact: '0971-5551234',
        narrative: '无人照看',
      },
    },
  );
  const [row] = await hub.on('casework')(`select id, version from casework.protection_case where receipt_number = ?`, [
    data.reportConcern.receiptNumber,
  ]);
  return { id: String(row.id), version: Number(row.version) };
}

async function police(name: string, c: { id: string; version: number }, more: Record<string, unknown> = {}) {
  const input =
    name === 'acceptReport' || name === 'dispatchResponse'
      ? 'CaseStepInput'
      : `${name[0].toUpperCase()}${name.slice(1)}Input`;
  const data = await ok('policeCounty', step(name, input), { input: { caseId: c.id, version: c.version, ...more } });
  c.version = data[name].version;
}

const STATS = `query($code: ID!, $period: String!) {
  regionStatistics(code: $code, period: $period) {
    total { openProtectionCases overdueTasks referralAnswers { answered onTime percent } medianMinutesToAcceptance }
    parts { region { code } openProtectionCases overdueTasks referralAnswers { answered onTime percent } medianMinutesToAcceptance }
  }
}`;

test('open cases, overdue steps, referrals answered on time and the median time to acceptance, by township', async () => {
  const [a1, a2] = [await registerChild(hub), await registerChild(hub)];
  const b1 = await registerChild(hub, {}, REGIONS.villageB);

  const first = await report(a1.id, REGIONS.villageA);
  advance(30);
  await police('acceptReport', first); // accepted after 30 minutes
  advance(30);
  const second = await report(a2.id, REGIONS.villageA);
  advance(60);
  await report(b1.id, REGIONS.villageB); // never accepted
  advance(60);
  await police('acceptReport', second); // accepted after 120 minutes

  await police('dispatchResponse', first);
  await police('recordChildSafe', first, { placementKind: 'OWN_HOME', placementAddress: '家中' });
  await police('handToTownship', first, { riskLevel: 'LOW' });
  const domains = ['SAFETY', 'GUARDIANSHIP_AND_CARE', 'PHYSICAL_HEALTH', 'MENTAL_HEALTH', 'SCHOOLING'].map((d) => ({
    domain: d,
    findings: '正常',
    level: 'LOW',
  }));
  const assessed = await ok('civilTownshipA', step('assessCase', 'AssessCaseInput'), {
    input: { caseId: first.id, version: first.version, domains, carePlan: '探访', assessor: '督导员' },
  });
  first.version = assessed.assessCase.version;
  const refer = async (service: string) => {
    const data = await ok(
      'civilTownshipA',
      `mutation($input: ReferCaseInput!) { referCase(input: $input) { id version } }`,
      { input: { caseId: first.id, version: first.version, service } },
    );
    first.version += 1;
    return data.referCase as { id: string; version: number };
  };
  const schooling = await refer('SCHOOLING_SUPPORT');
  const legalAid = await refer('LEGAL_AID');
  const ANSWER = `mutation($input: AnswerReferralInput!) { answerReferral(input: $input) { status } }`;
  advance(60);
  await ok('educationCounty', ANSWER, { input: { id: schooling.id, version: schooling.version, status: 'ACCEPTED' } });
  advance(6 * 24 * 60); // three working days have passed: legal aid answers late
  await ok('justiceCounty', ANSWER, { input: { id: legalAid.id, version: legalAid.version, status: 'ACCEPTED' } });

  // Hand-counted: township A has two open cases, the second case's dispatch overdue, two referral
  // answers of which one on time, and acceptances after 30 and 120 minutes; township B one open
  // case whose acceptance is overdue.
  const civil = (await ok('civilCounty', STATS, { code: REGIONS.county, period: '2026-11' })).regionStatistics;
  const part = (code: string) => civil.parts.find((p: { region: { code: string } }) => p.region.code === code);
  expect(part(REGIONS.townshipA)).toMatchObject({
    openProtectionCases: 2,
    overdueTasks: 1,
    referralAnswers: { answered: 2, onTime: 1, percent: 50 },
    medianMinutesToAcceptance: 75,
  });
  expect(part(REGIONS.townshipB)).toMatchObject({
    openProtectionCases: 1,
    overdueTasks: 1,
    referralAnswers: { answered: 0, onTime: 0, percent: null },
    medianMinutesToAcceptance: null,
  });
  expect(civil.total).toEqual({
    openProtectionCases: 3,
    overdueTasks: 2,
    referralAnswers: { answered: 2, onTime: 1, percent: 50 },
    medianMinutesToAcceptance: 75,
  });

  // Supervision sees the same figures with the small counts of children suppressed.
  const supervision = (await ok('supervisionProvince', STATS, { code: REGIONS.county, period: '2026-11' }))
    .regionStatistics;
  expect(supervision.total).toEqual({ ...civil.total, openProtectionCases: null });
  // Another month: nothing answered or accepted in it.
  const october = (await ok('civilCounty', STATS, { code: REGIONS.county, period: '2026-10' })).regionStatistics;
  expect(october.total).toMatchObject({ referralAnswers: { answered: 0 }, medianMinutesToAcceptance: null });
});
