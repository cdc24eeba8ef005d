import { seedDemo } from '../seeds/demo';
import { subgraphNamed } from '../src/subgraphs';
import { roleOf } from '../src/subgraphs/subgraph';
import { startTestHub, type TestHub } from './helpers/hub';
import type { Persona } from './helpers/personas';

/**
 * The graph as civil affairs uses it: one request for one child answers from every department's
 * subgraph — registry, education, public security, justice, youth league and the enterprises'
 * family assistance — on the demo data every department's seed adds.
 */
let hub: TestHub;
let childId: string;
/** A reader of civil affairs of the child's county. */
let countyCivilAffairs: Persona;

beforeAll(async () => {
  hub = await startTestHub();
  const pool = hub.seedDatabases();
  await seedDemo(pool, { children: 2000, identityHash: hub.identityHash });
  // A child every department holds something of (each asked in its own database when split).
  const childrenIn = async (sql: string) =>
    new Set((await pool.query<{ child_id: string }>(sql)).rows.map((r) => r.child_id));
  const sets = await Promise.all([
    childrenIn('select child_id from justice.legal_aid_case'),
    childrenIn('select child_id from youth.care_pairing'),
    childrenIn(
      'select l.child_id from enterprise.worker_link l join enterprise.assistance_report r on l.worker_id = any(r.worker_ids)',
    ),
    childrenIn('select child_id from education.enrolment'),
  ]);
  const [first, ...rest] = sets;
  const ids = [...first].filter((id) => rest.every((s) => s.has(id))).sort();
  await pool.end();
  childId = ids[0];
  const [row] = await hub.on('registry')(
    `select substr(region_code, 1, 6) as county from registry.child where id = ?`,
    [childId],
  );
  countyCivilAffairs = { dept: 'CIVIL_AFFAIRS', region: row.county, roles: ['reader'] };
}, 180_000);
afterAll(() => hub.close());

test('one request as a county civil-affairs account returns every department’s part of the child', async () => {
  expect(childId).toBeDefined();
  const res = await hub.gql(
    countyCivilAffairs,
    `query($id: ID!) {
      child(id: $id) {
        id name idNumber categories careNeeds
        guardians { relation name }
        guardianship { kind }
        enrolment { schoolName grade status }
        householdRegistration { registered }
        protectionCases { status }
        legalAidCases { caseType status provider }
        carePairings { startDate visitFrequency }
        familyAssistance { enterpriseName kind date }
      }
    }`,
    { id: childId },
  );
  expect(res.errors).toBeUndefined();
  const child = res.data!.child;
  expect(child.id).toBe(childId);
  expect(child.idNumber).toMatch(/^\d{17}[\dX]$/);
  expect(child.guardians.length).toBeGreaterThan(0);
  expect(child.enrolment.schoolName).toBeTruthy();
  expect(child.householdRegistration).not.toBeNull();
  expect(child.legalAidCases.length).toBeGreaterThan(0);
  expect(child.carePairings.length).toBeGreaterThan(0);
  expect(child.familyAssistance.length).toBeGreaterThan(0);
  expect(child.familyAssistance[0].enterpriseName).toBeTruthy();
});

test('an unexpected failure in one department leaves the rest of the child, and the hub logs the failure itself', async () => {
  const role = roleOf(subgraphNamed('education'));
  await hub.sql(`revoke select on education.enrolment from ${role}`);
  try {
    const res = await hub.gql(
      countyCivilAffairs,
      `query($id: ID!) { child(id: $id) { id name enrolment { schoolName } householdRegistration { registered } } }`,
      { id: childId },
    );
    expect(res.data!.child).toMatchObject({
      id: childId,
      enrolment: null,
      householdRegistration: { registered: true },
    });
    expect(res.data!.child.name).toBeTruthy();
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: 'Internal server error',
        path: ['child', 'enrolment'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'education' },
      }),
    ]);
    expect(hub.loggedErrors().join('')).toContain('permission denied for table enrolment');
  } finally {
    await hub.sql(`grant select on education.enrolment to ${role}`);
  }
});
