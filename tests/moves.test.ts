import { registerChild, registerSchool, startTestHub, type TestHub } from './helpers/hub';
import { REGIONS, type Persona, type PersonaName } from './helpers/personas';

/**
 * A move is a move everywhere: when the registry changes a child's village, every department's
 * records of the child follow it to the new region (the registry's `ChildMoved` event, applied
 * by each subgraph on its own database), so the new county sees them and the old one no longer does.
 */
let hub: TestHub;
let childId: string;
let caseId: string;

const rw = ['reader', 'writer'] as const;
const CITY: Persona = { dept: 'CIVIL_AFFAIRS', region: '6301', roles: [...rw] };
const OLD = { education: 'educationCounty', police: 'policeCounty', civil: 'civilCounty' } as const;
const DEPTS = ['education', 'police', 'civil'] as const;
const NEW: Record<keyof typeof OLD, Persona> = {
  education: { dept: 'EDUCATION', region: REGIONS.otherCounty, roles: [...rw] },
  police: { dept: 'PUBLIC_SECURITY', region: REGIONS.otherCounty, roles: [...rw] },
  civil: { dept: 'CIVIL_AFFAIRS', region: REGIONS.otherCounty, roles: [...rw] },
};

/** What each department reads of the child: its own records (and the case, which police and civil affairs work). */
const RECORDS = {
  education: `query($id: ID!) { child(id: $id) { id enrolment { status } } }`,
  police: `query($id: ID!) { child(id: $id) { id householdRegistration { registered } protectionCases { id } } }`,
  civil: `query($id: ID!) { child(id: $id) { id residenceRegion { code } protectionCases { id } } }`,
};

async function ok(who: PersonaName | Persona, query: string, variables: Record<string, unknown>) {
  const res = await hub.gql(who, query, variables);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!;
}

/** What department `dept`'s account `who` sees of the child: null when the child is not in its jurisdiction. */
const seen = async (dept: keyof typeof RECORDS, who: PersonaName | Persona) =>
  (await ok(who, RECORDS[dept], { id: childId })).child;

const expected = (village: string) => ({
  education: { id: childId, enrolment: { status: 'ENROLLED' } },
  police: { id: childId, householdRegistration: { registered: true }, protectionCases: [{ id: caseId }] },
  civil: { id: childId, residenceRegion: { code: village }, protectionCases: [{ id: caseId }] },
});

beforeAll(async () => {
  hub = await startTestHub();
  childId = (await registerChild(hub)).id;
  const school = await registerSchool(hub);
  await ok('educationCounty', `mutation($input: RecordEnrolmentInput!) { recordEnrolment(input: $input) { status } }`, {
    input: { childId, schoolCode: school, grade: 3, status: 'ENROLLED', boarding: false },
  });
  await ok(
    'policeCounty',
    `mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { registered } }`,
    { input: { childId, hukouNumber: '630121000123', policeStation: '城关派出所' } },
  );
  const report = await ok(
    { dept: 'PUBLIC_SECURITY', region: REGIONS.county, roles: ['reporter'] },
    `mutation($input: ReportConcernInput!) { reportConcern(input: $input) { receiptNumber } }`,
    {
      input: {
        childId,
        concernType: 'UNATTENDED',
        urgency: 'URGENT',
        regionCode: REGIONS.villageA,
        address: '西关村',
        reportingUnit: '城关派出所',
        reporterContact: '0971-5551234',
        narrative: '孩子独自在家',
      },
    },
  );
  [{ id: caseId }] = await hub.on('casework')(`select id from casework.protection_case where receipt_number = ?`, [
    report.reportConcern.receiptNumber,
  ]);
});

afterAll(() => hub.close());

test('before the move, the old county sees the enrolment, household registration and open case; the new county does not', async () => {
  for (const dept of DEPTS) {
    expect(await seen(dept, OLD[dept])).toEqual(expected(REGIONS.villageA)[dept]);
    expect(await seen(dept, NEW[dept])).toBeNull();
  }
});

test('after the move, the new county sees them all and the old county none, in every department’s own records', async () => {
  const { child } = await ok(CITY, `query($id: ID!) { child(id: $id) { version } }`, { id: childId });
  await ok(CITY, `mutation($input: UpdateChildInput!) { updateChild(input: $input) { version } }`, {
    input: { id: childId, version: child.version, residenceRegionCode: REGIONS.otherCountyVillage },
  });
  await hub.settle();

  for (const dept of DEPTS) {
    expect(await seen(dept, NEW[dept])).toEqual(expected(REGIONS.otherCountyVillage)[dept]);
    expect(await seen(dept, OLD[dept])).toBeNull();
  }
  // The case's own records (its events and tasks) went with it.
  const regions = async (table: string, where: string) =>
    (await hub.sql<{ region_code: string }>(`select distinct region_code from ${table} where ${where}`)).map(
      (r) => r.region_code,
    );
  expect(await regions('education.enrolment', `child_id = '${childId}'`)).toEqual([REGIONS.otherCountyVillage]);
  expect(await regions('security.household_registration', `child_id = '${childId}'`)).toEqual([
    REGIONS.otherCountyVillage,
  ]);
  expect(await regions('casework.task', `case_id = '${caseId}'`)).toEqual([REGIONS.otherCountyVillage]);
  expect(await regions('registry.guardianship', `child_id = '${childId}'`)).toEqual([]);
});

test('each department records the move in its own audit chain, as the registry’s event applied', async () => {
  for (const schema of ['education', 'security', 'casework']) {
    const [event] = await hub.sql(
      `select account, dept, payload from ${schema}.audit_event where operation = 'follow registry:events' order by id desc limit 1`,
    );
    expect(event).toMatchObject({ account: 'registry:events feed', dept: 'SYSTEM' });
    expect(JSON.parse(event.payload).changes[0]).toMatchObject({
      id: childId,
      before: { regionCode: REGIONS.villageA },
      after: { regionCode: REGIONS.otherCountyVillage },
    });
  }
});

test('a move applied twice changes nothing more (the event is applied once per follower)', async () => {
  const before = await hub.count('education.audit_event');
  await hub.settle();
  expect(await hub.count('education.audit_event')).toBe(before);
});
