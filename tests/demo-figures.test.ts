import { seedDemo } from '../seeds/demo';
import { capacityBreach, categoryBreaches, type CategoryFacts } from '../src/domain/categories';
import { parseIdNumber } from '../src/domain/id-number';
import { DASHBOARD_QUERY } from '../src/http/dashboard';
import { DEMO_CHILDREN } from '../src/hub';
import { startTestHub, type TestHub } from './helpers/hub';
import type { Persona } from './helpers/personas';

/**
 * The demo as a domain expert would look at it: seeded as the hub seeds it (on a day in the
 * middle of a month), every child's categories follow the rules, conflict detection finds none
 * contradicting them, and the province's statistics and dashboard show plausible figures.
 */
const TODAY = '2026-11-18';
const PERIOD = TODAY.slice(0, 7);
const supervision: Persona = { dept: 'SUPERVISION', region: '63', roles: ['reader', 'writer'] };

let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub();
  const pool = hub.seedDatabases();
  try {
    await seedDemo(pool, { children: DEMO_CHILDREN, identityHash: hub.identityHash, today: TODAY });
  } finally {
    await pool.end();
  }
  await hub.settle();
});
afterAll(() => hub?.close());

const birthYear = (idNumber: string) => Number(idNumber.slice(6, 10));

test('every seeded child and guardian passes the rules, with plausible ages and proportions', async () => {
  const children = await hub.on('registry')(
    `select c.categories, c.distress_reasons as "distressReasons", c.household_type as "householdType",
            to_char(c.birth_date, 'YYYY-MM-DD') as "birthDate", c.id_number as "idNumber",
            json_agg(json_build_object('relation', g.relation, 'workingAway', g.working_away,
              'guardianshipCapacity', g.guardianship_capacity, 'incapacityReason', g.incapacity_reason,
              'idNumber', g.id_number)) as guardians
       from registry.child c join registry.guardian g on g.child_id = c.id
      group by c.id`,
  );
  expect(children).toHaveLength(DEMO_CHILDREN);
  const flagged = children.filter(
    (c) =>
      categoryBreaches(c.categories, c as CategoryFacts, TODAY).length > 0 ||
      c.guardians.some((g: Record<string, any>) => capacityBreach(g.guardianshipCapacity, g.incapacityReason)),
  );
  expect(flagged).toEqual([]);

  for (const c of children) {
    expect(parseIdNumber(c.idNumber)).not.toHaveProperty('error');
    for (const g of c.guardians) {
      const apart = birthYear(c.idNumber) - birthYear(g.idNumber);
      if (g.relation === 'FATHER' || g.relation === 'MOTHER')
        expect([g.relation, apart >= 20 && apart <= 38]).toEqual([g.relation, true]);
      else expect([g.relation, apart >= 45 && apart <= 68]).toEqual([g.relation, true]);
    }
  }
  const share = (test: (c: Record<string, any>) => boolean) => children.filter(test).length / children.length;
  const leftBehind = share((c) => c.categories.includes('LEFT_BEHIND'));
  const inDistress = share((c) => c.categories.includes('IN_DISTRESS'));
  const both = share((c) => c.categories.length === 2);
  expect(leftBehind).toBeGreaterThan(0.75);
  expect(leftBehind).toBeLessThan(1);
  expect(inDistress).toBeGreaterThan(0.05);
  expect(inDistress).toBeLessThan(0.35);
  expect(both).toBeGreaterThan(0);
  expect(both).toBeLessThan(inDistress);
  // Left behind mostly with grandparents as the entrusted guardians.
  const withGrandparents = share(
    (c) =>
      c.categories.includes('LEFT_BEHIND') &&
      c.guardians.some((g: Record<string, any>) => g.relation === 'GRANDPARENT'),
  );
  expect(withGrandparents / leftBehind).toBeGreaterThan(0.7);
});

test('conflict detection finds no category contradicting the rules in the demo', async () => {
  const res = await hub.gql(supervision, `mutation { detectConflicts(regionCode: "63") { opened } }`);
  expect(res.errors).toBeUndefined();
  // The demo's own conflicts (custodians away with nobody entrusted, children without hukou) are found.
  expect(await hub.count('supervision.conflict_task', `status = 'OPEN'`)).toBeGreaterThan(0);
  expect(await hub.count('supervision.conflict_task', `kind = 'CATEGORY_CONTRADICTS_RULES'`)).toBe(0);
});

test('the dashboard shows the province plausible figures for the month and the year before it', async () => {
  const from = '2025-12';
  const res = await hub.gql(
    supervision,
    DASHBOARD_QUERY,
    { code: '63', period: PERIOD, from },
    { purpose: 'STATISTICS' },
  );
  expect(res.errors).toBeUndefined();
  const { regionStatistics: s, statisticsTrend: trend } = res.data!;
  const t = s.total;
  const category = (c: string) => t.byCategory.find((x: { category: string }) => x.category === c).children;
  const arrangement = (a: string) => t.byArrangement.find((x: { arrangement: string }) => x.arrangement === a).children;

  expect(t.children).toBe(DEMO_CHILDREN);
  expect(category('LEFT_BEHIND') / t.children).toBeGreaterThan(0.75);
  expect(category('LEFT_BEHIND')).toBeLessThan(t.children);
  expect(category('IN_DISTRESS')).toBeGreaterThan(0);
  expect(category('IN_DISTRESS') / t.children).toBeLessThan(0.35);
  expect(arrangement('ENTRUSTED')).toBeGreaterThan(arrangement('PARENTS'));
  expect(arrangement('PARENTS')).toBeGreaterThan(0);
  expect(arrangement('GOVERNMENT_TEMPORARY')).toBeGreaterThan(0);
  expect(t.bothParentsAway).toBeGreaterThan(0);
  expect(t.bothParentsAway).toBeLessThanOrEqual(category('LEFT_BEHIND'));
  for (const field of ['withoutHukou', 'outOfSchool', 'openConflicts', 'openProtectionCases']) {
    expect([field, t[field] > 0 && t[field] < t.children / 10]).toEqual([field, true]);
  }
  // Visits on schedule: most paired children, not all (a month under way, schedules missed).
  expect(t.visits.due).toBeGreaterThan(50);
  expect(t.visits.percent).toBeGreaterThan(0);
  expect(t.visits.percent).toBeLessThan(100);
  // Enterprises of Qinghai report assistance to their workers.
  expect(t.assistance.reports).toBeGreaterThan(0);
  expect(t.assistance.workersCovered).toBeGreaterThan(0);
  expect(Number(t.assistance.amount)).toBeGreaterThan(0);
  // The police accept reports within minutes to hours.
  expect(t.medianMinutesToAcceptance).toBeGreaterThan(0);
  expect(t.medianMinutesToAcceptance).toBeLessThan(24 * 60);
  expect(t.overdueTasks).toBeGreaterThanOrEqual(0);
  expect(s.conflicts.length).toBeGreaterThan(0);
  // Every county of the demo shows its own children and visits.
  const counties = s.parts.filter((p: Record<string, any>) => p.children > 0);
  expect(counties.length).toBeGreaterThan(1);

  // The trend: twelve months, each with children, visits on schedule and assistance.
  expect(trend.map((m: { month: string }) => m.month)).toHaveLength(12);
  for (const m of trend) {
    expect([m.month, m.children > 0 && m.leftBehind > 0 && m.leftBehind < m.children]).toEqual([m.month, true]);
    expect([m.month, m.visits.percent > 0 && m.visits.percent < 100]).toEqual([m.month, true]);
  }
  const withAssistance = trend.filter((m: Record<string, any>) => Number(m.assistance.amount) > 0);
  expect(withAssistance.length).toBeGreaterThanOrEqual(10);
});

test('the month before shows its visits and acceptance times too', async () => {
  const res = await hub.gql(
    supervision,
    `query($period: String!) { regionStatistics(code: "63", period: $period) {
      total { visits { due percent } assistance { amount } medianMinutesToAcceptance } } }`,
    { period: '2026-10' },
    { purpose: 'STATISTICS' },
  );
  expect(res.errors).toBeUndefined();
  const t = res.data!.regionStatistics.total;
  // A whole month: more pairings keep their schedule than in one under way.
  expect(t.visits.percent).toBeGreaterThan(50);
  expect(t.visits.percent).toBeLessThan(100);
  expect(Number(t.assistance.amount)).toBeGreaterThan(0);
  expect(t.medianMinutesToAcceptance).toBeGreaterThan(0);
});
