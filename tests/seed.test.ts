import type { SeedDatabases } from '../seeds/databases';
import { DEMO_COUNTIES, seedDemo } from '../seeds/demo';
import { parseIdNumber } from '../src/domain/id-number';
import { startTestHub, type TestHub } from './helpers/hub';

let hub: TestHub;
let pool: SeedDatabases;

beforeAll(async () => {
  hub = await startTestHub();
  pool = hub.seedDatabases();
});

afterAll(async () => {
  await pool.end();
  await hub.close();
});

const query = async <T extends Record<string, unknown>>(sql: string) => (await pool.query<T>(sql)).rows as T[];

test('seeds realistic, valid demo children once, and the same children for the same seed', async () => {
  const identityHash = hub.identityHash;
  expect(await seedDemo(pool, { children: 300, identityHash })).toBe(300);
  expect(await seedDemo(pool, { children: 300, identityHash })).toBe(0);

  const children = await query<{ id_number: string; birth_date: string; gender: string; region_code: string }>(
    `select id_number, to_char(birth_date, 'YYYY-MM-DD') as birth_date, gender, region_code from registry.child`,
  );
  expect(children).toHaveLength(300);
  for (const c of children) {
    const facts = parseIdNumber(c.id_number);
    expect(facts).toEqual({ regionCode: c.id_number.slice(0, 6), birthDate: c.birth_date, gender: c.gender });
    expect(DEMO_COUNTIES).toContain(c.region_code.slice(0, 6));
    expect(c.region_code).toHaveLength(12);
  }
  const guardianIds = await query<{ id_number: string }>(
    'select id_number from registry.guardian where id_number is not null',
  );
  for (const g of guardianIds) expect(parseIdNumber(g.id_number)).not.toHaveProperty('error');

  const kinds = await query<{ kind: string }>('select distinct kind from registry.guardianship order by kind');
  expect(kinds.map((k) => k.kind)).toEqual(['ENTRUSTED', 'GOVERNMENT_TEMPORARY', 'PARENTS']);
  const [{ away }] = await query<{ away: number }>(
    `select count(*)::int as away from registry.guardian where working_away and work_region_code not like '63%'`,
  );
  expect(away).toBeGreaterThan(100);
  const [{ unregistered }] = await query<{ unregistered: number }>(
    'select count(*)::int as unregistered from security.household_registration where not registered',
  );
  expect(unregistered).toBeGreaterThan(0);
  expect(await hub.count('education.enrolment')).toBeGreaterThan(200);
  // Every child's township has its schools and police station; records point to them.
  // (Each department's database on its own when split: compared here.)
  const townships = new Set(
    (await query<{ township: string }>('select distinct left(region_code, 9) as township from registry.child')).map(
      (r) => r.township,
    ),
  );
  const served = async (table: string) =>
    new Set(
      (await query<{ region_code: string }>(`select distinct region_code from ${table}`)).map((r) => r.region_code),
    );
  const schools = await served('education.school');
  const stations = await served('security.police_station');
  expect([...townships].filter((t) => !schools.has(t) || !stations.has(t))).toEqual([]);
  expect(await hub.count('security.household_registration', 'registered and police_station_id is null')).toBe(0);
  expect(await hub.count('education.enrolment', 'boarding')).toBeGreaterThan(0);
  expect(await hub.count('education.enrolment', "status = 'DROPPED_OUT'")).toBeGreaterThan(0);
  expect(await hub.count('education.enrolment_history')).toBeGreaterThan(100);
  expect(await hub.count('education.absence', 'not explained')).toBeGreaterThan(0);
  const alerts = await query<{ reason: string; status: string }>(
    'select distinct reason, status from education.dropout_alert order by reason, status',
  );
  expect(alerts).toEqual(
    expect.arrayContaining([
      { reason: 'ABSENCES', status: 'OPEN' },
      { reason: 'DROPPED_OUT', status: 'OPEN' },
      { reason: 'DROPPED_OUT', status: 'RESOLVED' },
    ]),
  );

  // Deterministic: a fresh database seeded the same way holds the same children.
  const again = await startTestHub();
  const pool2 = again.seedDatabases();
  try {
    await seedDemo(pool2, { children: 300, identityHash });
    const ids = async (p: SeedDatabases) =>
      (await p.query('select id, id_number, name from registry.child order by id')).rows;
    expect(await ids(pool2)).toEqual(await ids(pool));
  } finally {
    await pool2.end();
    await again.close();
  }
});

test('supervision finds the demo’s conflicts in the facts seeded with its children', async () => {
  // As detection over the departments' own tables would find them.
  const [{ unregistered }] = await query<{ unregistered: number }>(
    `select count(*)::int as unregistered from security.household_registration where not registered`,
  );
  const [{ away }] = await query<{ away: number }>(
    `select count(*)::int as away from registry.child c
      where c.status = 'ACTIVE'
        and exists (select 1 from registry.guardian g where g.child_id = c.id and g.custodian)
        and not exists (select 1 from registry.guardian g where g.child_id = c.id and g.custodian and not g.working_away)
        and not exists (select 1 from registry.guardianship s where s.child_id = c.id
                         and (s.entrusted_guardian_id is not null or s.kind = 'GOVERNMENT_TEMPORARY'))`,
  );
  const open = await query<{ kind: string; n: number }>(
    `select kind, count(*)::int as n from supervision.conflict_task where status = 'OPEN' group by kind order by kind`,
  );
  expect(unregistered).toBeGreaterThan(0);
  expect(open).toEqual(
    [
      { kind: 'CUSTODIAN_AWAY_WITHOUT_ENTRUSTED_GUARDIAN', n: away },
      { kind: 'WITHOUT_HUKOU', n: unregistered },
    ].filter((k) => k.n > 0),
  );
  expect(await hub.count('supervision.child_fact')).toBe(300);
});

test('demo children are visible through the gateway to their county', async () => {
  const res = await hub.gql(
    'civilCounty',
    '{ children(first: 5) { totalCount edges { node { guardians { relation } } } } }',
  );
  expect(res.data!.children.totalCount).toBeGreaterThan(0);
  expect(res.data!.children.edges[0].node.guardians.length).toBeGreaterThanOrEqual(2);
});

test('demo care work: care needs, volunteers paired inside the region they serve, activities, homes and guidance', async () => {
  const [{ needy }] = await query<{ needy: number }>(
    'select count(*)::int as needy from registry.child where cardinality(care_needs) > 0',
  );
  expect(needy).toBeGreaterThan(100);
  const children = new Map(
    (
      await query<{ id: string; region_code: string; care_needs: string[] }>(
        'select id, region_code, care_needs from registry.child',
      )
    ).map((c) => [c.id, c]),
  );
  const volunteers = new Map(
    (await query<{ id: string; region_code: string }>('select id, region_code from youth.volunteer')).map((v) => [
      v.id,
      v.region_code,
    ]),
  );
  const pairings = await query<{ region_code: string; child_id: string; volunteer_id: string }>(
    'select region_code, child_id, volunteer_id from youth.care_pairing',
  );
  expect(pairings.length).toBeGreaterThan(20);
  for (const p of pairings) {
    const child = children.get(p.child_id)!;
    expect(p.region_code).toBe(child.region_code);
    expect(child.region_code.startsWith(volunteers.get(p.volunteer_id)!)).toBe(true);
    expect(child.care_needs).toContain('COMPANIONSHIP');
  }
  const [{ camps }] = await query<{ camps: number }>(
    "select count(*)::int as camps from youth.activity where kind = 'SUMMER_CAMP'",
  );
  expect(camps).toBe(DEMO_COUNTIES.length);
  const attendees = await query<{ child_id: string; region_code: string }>(
    'select child_id, region_code from youth.activity_child',
  );
  expect(attendees.filter((a) => children.get(a.child_id)?.region_code !== a.region_code)).toEqual([]);

  const homes = await query<{ region_code: string }>('select region_code from women.childrens_home');
  expect(homes.length).toBeGreaterThan(10);
  for (const h of homes) expect(DEMO_COUNTIES).toContain(h.region_code.slice(0, 6));
  const guardians = new Map(
    (await query<{ id: string; relation: string }>('select id, relation from registry.guardian')).map((g) => [
      g.id,
      g.relation,
    ]),
  );
  const attended = await query<{ guardian_id: string; relation: string; region_code: string; session_region: string }>(
    `select a.guardian_id, a.relation, a.region_code, s.region_code as session_region
       from women.guidance_attendee a join women.guidance_session s on s.id = a.session_id`,
  );
  expect(attended.length).toBeGreaterThan(50);
  expect(
    attended.filter((a) => guardians.get(a.guardian_id) !== a.relation || !a.region_code.startsWith(a.session_region)),
  ).toEqual([]);

  const youth = await hub.gql(
    'youthCounty',
    '{ volunteers(first: 1) { totalCount } activities(first: 1) { totalCount } }',
  );
  expect(youth.data!.volunteers.totalCount).toBeGreaterThan(0);
  expect(youth.data!.activities.totalCount).toBeGreaterThan(0);
  const women = await hub.gql('womenCounty', '{ guidanceSessions(first: 1) { totalCount } childrensHomes { name } }');
  expect(women.data!.guidanceSessions.totalCount).toBeGreaterThan(0);
  expect(women.data!.childrensHomes.length).toBeGreaterThan(0);
});

test('demo protection cases: open steps on the policy’s deadlines, overdue after the demo date, and inboxes', async () => {
  const open = await query<{ step: string; n: number }>(
    `select step, count(*)::int as n from casework.task where done_at is null group by step order by step`,
  );
  expect(open.map((r) => r.step)).toEqual(
    expect.arrayContaining(['ACCEPT', 'ANSWER_REFERRAL', 'ASSESS', 'REVIEW', 'VISIT']),
  );
  const [county] = await query<{ code: string }>(
    `select substr(region_code, 1, 6) as code from casework.task where step = 'ANSWER_REFERRAL' limit 1`,
  );
  const persona = { region: county.code, roles: ['reader' as const] };
  const justice = await hub.gql(
    { ...persona, dept: 'JUSTICE' },
    `{ referralsToAnswer(first: 10) { totalCount edges { node { status case { riskLevel } } } } notifications { unreadCount } }`,
  );
  expect(justice.errors).toBeUndefined();
  expect(justice.data!.referralsToAnswer.totalCount).toBeGreaterThan(0);
  expect(justice.data!.notifications.unreadCount).toBeGreaterThan(0);
  // Long after the demo date, every open step of the demo is overdue and reached the city.
  const civil = await hub.gql(
    { ...persona, region: county.code.slice(0, 4), dept: 'CIVIL_AFFAIRS' },
    `{ overdueTasks(regionCode: "${county.code.slice(0, 4)}") { totalCount } }`,
  );
  expect(civil.data!.overdueTasks.totalCount).toBeGreaterThan(0);
});
