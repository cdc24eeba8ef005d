import {
  categoriesOf,
  categoryBreaches,
  capacityBreach,
  isLeftBehind,
  leftBehindUntil,
  type CategoryFacts,
} from '../src/domain/categories';
import { runRetention } from '../src/audit/retention';
import { generateDemo } from '../seeds/demo';
import { generateLedger } from '../seeds/census-ledger';
import { csvOf, importAndWait, ledger, villagesOf as townshipVillages } from './helpers/census';
import { childInput, PARENTS_AWAY, REGISTER, registerChild, startTestHub, type TestHub } from './helpers/hub';
import { REGIONS } from './helpers/personas';

const TODAY = '2026-09-01';
const parents = (father: Partial<CategoryFacts['guardians'][number]>, mother: typeof father) => [
  { relation: 'FATHER', workingAway: false, guardianshipCapacity: 'FULL' as const, ...father },
  { relation: 'MOTHER', workingAway: false, guardianshipCapacity: 'FULL' as const, ...mother },
];
const facts = (over: Partial<CategoryFacts> = {}): CategoryFacts => ({
  birthDate: '2016-05-01',
  householdType: 'RURAL',
  distressReasons: [],
  guardians: parents({ workingAway: true }, { workingAway: true }),
  ...over,
});

describe('the rules (src/domain/categories.ts)', () => {
  test('LEFT_BEHIND: under 16, rural, both parents away or one away and the other without capacity', () => {
    expect(isLeftBehind(facts(), TODAY)).toBe(true);
    expect(isLeftBehind(facts({ guardians: parents({ workingAway: true }, {}) }), TODAY)).toBe(false);
    expect(
      isLeftBehind(facts({ guardians: parents({ workingAway: true }, { guardianshipCapacity: 'NONE' }) }), TODAY),
    ).toBe(true);
    // Limited capacity still cares for the child at home.
    expect(
      isLeftBehind(facts({ guardians: parents({ guardianshipCapacity: 'LIMITED' }, { workingAway: true }) }), TODAY),
    ).toBe(false);
    expect(isLeftBehind(facts({ householdType: 'URBAN' }), TODAY)).toBe(false);
    // A parent not recorded is neither away nor at home.
    expect(isLeftBehind(facts({ guardians: parents({ workingAway: true }, {}).slice(0, 1) }), TODAY)).toBe(false);
  });

  test('LEFT_BEHIND ends on the 16th birthday', () => {
    expect(leftBehindUntil('2010-09-01')).toBe('2026-09-01');
    expect(isLeftBehind(facts({ birthDate: '2010-09-02' }), TODAY)).toBe(true);
    expect(isLeftBehind(facts({ birthDate: '2010-09-01' }), TODAY)).toBe(false);
  });

  test('IN_DISTRESS goes with a recorded reason, and only with one', () => {
    expect(categoriesOf(facts({ distressReasons: ['FAMILY_POVERTY'] }), TODAY)).toEqual(['LEFT_BEHIND', 'IN_DISTRESS']);
    expect(categoryBreaches(['LEFT_BEHIND', 'IN_DISTRESS'], facts(), TODAY).map((b) => b.rule)).toEqual([
      'IN_DISTRESS',
    ]);
    expect(categoryBreaches(['LEFT_BEHIND'], facts({ distressReasons: ['ABUSE'] }), TODAY).map((b) => b.rule)).toEqual([
      'IN_DISTRESS',
    ]);
    expect(categoryBreaches(['LEFT_BEHIND'], facts(), TODAY)).toEqual([]);
  });

  test('a guardian without full capacity has a reason, one with full capacity none', () => {
    expect(capacityBreach('FULL', null)).toBeNull();
    expect(capacityBreach('NONE', 'IMPRISONMENT')).toBeNull();
    expect(capacityBreach('LIMITED', null)?.rule).toBe('INCAPACITY_REASON');
    expect(capacityBreach('FULL', 'DISABILITY')?.rule).toBe('INCAPACITY_REASON');
  });

  test('the census ledger generator follows the rules', () => {
    for (const r of generateLedger(['630121101200'], 200, 7, 0, TODAY)) {
      const guardians = parents(
        { workingAway: r.father_working_away === 'Y' },
        { workingAway: r.mother_working_away === 'Y' },
      );
      const distressReasons = (r.distress_reasons ? r.distress_reasons.split(';') : []) as never[];
      const recorded = r.categories!.split(';');
      expect(recorded.length).toBeGreaterThan(0);
      expect(
        categoryBreaches(
          recorded,
          { birthDate: r.birth_date!, householdType: 'RURAL', distressReasons, guardians },
          TODAY,
        ),
      ).toEqual([]);
    }
  });
});

const CHILD = `query($id: ID!) { child(id: $id) { categories distressReasons householdType version
  guardians { id relation workingAway guardianshipCapacity incapacityReason } } }`;
const HISTORY = `query($id: ID!, $asOf: DateTime!) { child(id: $id, asOf: $asOf) { categories } }`;
const UPDATE_GUARDIAN = `mutation($input: UpdateGuardianInput!) { updateGuardian(input: $input) { id workingAway workRegion { code } } }`;
const ADD_GUARDIAN = `mutation($input: AddGuardianInput!) { addGuardian(input: $input) { id guardianshipCapacity } }`;
const DETECT = `mutation($region: ID!) { detectConflicts(regionCode: $region) { opened } }`;
const CONFLICTS = `query($region: ID!) { conflictTasks(regionCode: $region) { kind child { id } detail } }`;

describe('the registry follows the rules', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(() => hub?.close());

  const child = async (id: string) => (await hub.gql('civilCounty', CHILD, { id })).data?.child;

  test('a left-behind child with both parents away, and one in distress with a reason, are registered', async () => {
    const { id } = await registerChild(hub, {
      categories: ['LEFT_BEHIND', 'IN_DISTRESS'],
      distressReasons: ['OWN_DISABILITY'],
    });
    expect(await child(id)).toMatchObject({
      categories: ['LEFT_BEHIND', 'IN_DISTRESS'],
      distressReasons: ['OWN_DISABILITY'],
      householdType: 'RURAL',
      guardians: expect.arrayContaining([
        expect.objectContaining({ relation: 'FATHER', workingAway: true, guardianshipCapacity: 'FULL' }),
        expect.objectContaining({ relation: 'MOTHER', workingAway: true, guardianshipCapacity: 'FULL' }),
      ]),
    });
    const mother = {
      relation: 'MOTHER',
      name: '母亲',
      guardianshipCapacity: 'NONE',
      incapacityReason: 'SERIOUS_ILLNESS',
    };
    const other = await registerChild(hub, { guardians: [PARENTS_AWAY[0], mother] });
    expect((await child(other.id)).categories).toEqual(['LEFT_BEHIND']);
  });

  test('categories against the facts are refused with BAD_USER_INPUT naming the rule, and nothing is written', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ guardians: [PARENTS_AWAY[0], { relation: 'MOTHER', name: '母亲' }] }, 'LEFT_BEHIND'],
      [{ householdType: 'URBAN' }, 'LEFT_BEHIND'],
      // 16 or 17 today: a minor the registry holds, too old to be left behind.
      [{ birthDate: `${new Date().getFullYear() - 17}-01-01` }, 'LEFT_BEHIND'],
      [{ categories: ['IN_DISTRESS'], distressReasons: [] }, 'IN_DISTRESS'],
      [{ categories: ['IN_DISTRESS'], distressReasons: ['ABUSE'], guardians: PARENTS_AWAY }, 'LEFT_BEHIND'],
      [
        { guardians: [PARENTS_AWAY[0], { relation: 'MOTHER', name: '母亲', guardianshipCapacity: 'NONE' }] },
        'INCAPACITY_REASON',
      ],
    ];
    const before = await hub.count('registry.child');
    for (const [overrides, rule] of cases) {
      const res = await hub.gql('civilCounty', REGISTER, { input: childInput(overrides) });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule });
      expect(res.errors?.[0].message).toContain(rule);
    }
    expect(await hub.count('registry.child')).toBe(before);
  });

  test('only civil affairs of the jurisdiction changes a guardian', async () => {
    const { id } = await registerChild(hub);
    const father = (await child(id)).guardians.find((g: { relation: string }) => g.relation === 'FATHER');
    const input = { id: father.id, workingAway: false };
    const education = await hub.gql('educationCounty', UPDATE_GUARDIAN, { input });
    expect(education.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const other = await hub.gql('civilOtherCounty', UPDATE_GUARDIAN, { input });
    expect(other.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await child(id)).categories).toEqual(['LEFT_BEHIND']);
  });

  test('a parent coming home ends LEFT_BEHIND, kept in the history; leaving again restores it', async () => {
    const { id } = await registerChild(hub);
    const before = new Date().toISOString();
    const father = (await child(id)).guardians.find((g: { relation: string }) => g.relation === 'FATHER');
    const home = await hub.gql('civilCounty', UPDATE_GUARDIAN, { input: { id: father.id, workingAway: false } });
    expect(home.data?.updateGuardian).toEqual({ id: father.id, workingAway: false, workRegion: null });
    expect(await child(id)).toMatchObject({ categories: [], version: 2 });
    const then = await hub.gql('civilCounty', HISTORY, { id, asOf: before });
    expect(then.data?.child.categories).toEqual(['LEFT_BEHIND']);
    // The father at home falls seriously ill: the child is left behind again.
    const ill = await hub.gql('civilCounty', UPDATE_GUARDIAN, {
      input: { id: father.id, guardianshipCapacity: 'NONE', incapacityReason: 'SERIOUS_ILLNESS' },
    });
    expect(ill.errors).toBeUndefined();
    expect((await child(id)).categories).toEqual(['LEFT_BEHIND']);
    // A grandparent added changes nothing of the parents.
    const grandparent = await hub.gql('civilCounty', ADD_GUARDIAN, {
      input: { childId: id, relation: 'GRANDPARENT', name: '祖母', custodian: true },
    });
    expect(grandparent.data?.addGuardian.guardianshipCapacity).toBe('FULL');
    expect((await child(id)).categories).toEqual(['LEFT_BEHIND']);
  });

  test('a caller cannot keep LEFT_BEHIND once a parent is home', async () => {
    const { id } = await registerChild(hub, {
      guardians: [PARENTS_AWAY[0], { relation: 'MOTHER', name: '母亲' }],
      categories: ['IN_DISTRESS'],
    });
    const res = await hub.gql(
      'civilCounty',
      `mutation($input: UpdateChildInput!) { updateChild(input: $input) { id } }`,
      {
        input: { id, version: 1, categories: ['LEFT_BEHIND', 'IN_DISTRESS'] },
      },
    );
    expect(res.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      rule: 'LEFT_BEHIND',
      field: 'categories',
    });
  });

  test('on the 16th birthday the child leaves LEFT_BEHIND (the retention run)', async () => {
    const { id } = await registerChild(hub, { birthDate: '2011-03-15', categories: ['LEFT_BEHIND', 'IN_DISTRESS'] });
    const runOn = (today: string) => runRetention(hub.subgraphs.values(), { today, dryRun: false });
    const rule = (results: Awaited<ReturnType<typeof runOn>>) =>
      results.find((r) => r.rule === 'leave-left-behind-at-16')!.affected;
    expect(rule(await runOn('2027-03-14'))).toBe(0);
    expect((await child(id)).categories).toEqual(['LEFT_BEHIND', 'IN_DISTRESS']);
    expect(rule(await runOn('2027-03-15'))).toBeGreaterThanOrEqual(1);
    expect(await child(id)).toMatchObject({ categories: ['IN_DISTRESS'], version: 2 });
  });

  test('a census row against the rules is refused naming the rule', async () => {
    const villages = (await townshipVillages(hub, REGIONS.townshipA)).slice(0, 2);
    const rows = ledger(villages, 4, 9_000);
    const leftBehind = rows.findIndex((r) => r.categories!.includes('LEFT_BEHIND'));
    rows[leftBehind] = { ...rows[leftBehind], father_working_away: 'N', father_work_region: '', father_employer: '' };
    const outcome = await importAndWait(hub, 'civilTownshipA', { regionCode: REGIONS.townshipA, csv: csvOf(rows) });
    expect(outcome.status).toBe('REJECTED');
    expect(outcome.rowErrors).toEqual([
      expect.objectContaining({
        row: leftBehind + 1,
        column: 'categories',
        reason: expect.stringMatching(/^LEFT_BEHIND: /),
      }),
    ]);
  });

  test('conflict detection raises a task for an older record that contradicts the rules', async () => {
    const { id } = await registerChild(hub, {
      guardians: [PARENTS_AWAY[0], { relation: 'MOTHER', name: '母亲' }],
      categories: ['IN_DISTRESS'],
    });
    // A record kept before the rules: LEFT_BEHIND with the mother at home and capable.
    await hub.sql(`update registry.child set categories = '{LEFT_BEHIND,IN_DISTRESS}' where id = $1`, [id]);
    const res = await hub.gql(
      'civilCounty',
      `mutation($input: UpdateChildInput!) { updateChild(input: $input) { id } }`,
      {
        input: { id, version: 1, careNeeds: ['COMPANIONSHIP'] },
      },
    );
    expect(res.errors).toBeUndefined();
    await hub.settle();
    const detect = await hub.gql('civilCounty', DETECT, { region: REGIONS.county });
    expect(detect.data?.detectConflicts.opened).toBeGreaterThanOrEqual(1);
    const list = await hub.gql('civilCounty', CONFLICTS, { region: REGIONS.county });
    const tasks = list.data?.conflictTasks.filter((t: { kind: string }) => t.kind === 'CATEGORY_CONTRADICTS_RULES');
    expect(tasks).toEqual([expect.objectContaining({ child: { id }, detail: expect.stringContaining('LEFT_BEHIND') })]);
  });
});

describe('the demo follows the rules', () => {
  test('every generated child passes the rules, in plausible proportions', () => {
    const villages = [
      { code: REGIONS.villageA, name: '西关村委会', township: REGIONS.townshipA, townshipName: '城关镇' },
      { code: REGIONS.villageB, name: '塔尔湾村委会', township: REGIONS.townshipB, townshipName: '塔尔镇' },
    ];
    {
      const counts = { LEFT_BEHIND: 0, IN_DISTRESS: 0, both: 0, grandparents: 0, children: 0 };
      for (const rows of generateDemo(villages, { children: 2_000, today: TODAY })) {
        for (const c of rows.child) {
          const [id, , , birthDate, , categories, distressReasons, , , householdType] = c as [
            string,
            string,
            string,
            string,
            string,
            string[],
            never[],
            string[],
            string,
            'RURAL' | 'URBAN',
          ];
          const guardians = rows.guardian
            .filter((g) => g[1] === id)
            .map((g) => ({
              relation: g[3] as string,
              workingAway: g[8] as boolean,
              guardianshipCapacity: g[12] as 'FULL',
            }));
          expect(categoryBreaches(categories, { birthDate, householdType, distressReasons, guardians }, TODAY)).toEqual(
            [],
          );
          expect(categories.length).toBeGreaterThan(0);
          counts.children++;
          for (const k of categories) counts[k as 'LEFT_BEHIND']++;
          if (categories.length === 2) counts.both++;
          if (rows.guardian.some((g) => g[1] === id && g[3] === 'GRANDPARENT')) counts.grandparents++;
        }
      }
      expect(counts.LEFT_BEHIND / counts.children).toBeGreaterThan(0.8);
      expect(counts.IN_DISTRESS / counts.children).toBeGreaterThan(0.1);
      expect(counts.IN_DISTRESS / counts.children).toBeLessThan(0.3);
      expect(counts.both).toBeGreaterThan(0);
      expect(counts.grandparents / counts.LEFT_BEHIND).toBeGreaterThan(0.7);
    }
  });
});
