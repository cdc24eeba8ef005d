import type { IdentityHash } from '../src/auth/identity-hash';
import { childFacts } from '../src/subgraphs/registry/conflict-facts';
import type { GuardianshipKind } from '../src/subgraphs/registry/guardianship.entity';
import type { ChildStatus } from '../src/subgraphs/registry/child.entity';
import type { GuardianRelation } from '../src/domain/guardian-relation';
import { copyRows, type Queryable } from './bulk';
import type { SeedDatabases } from './databases';
import { DEPARTMENT_SEEDS } from './departments';
import { workingCalendar } from '../src/calendar/calendars';
import { addSchoolDays, isSchoolDay } from '../src/subgraphs/education/school-days';
import { makeIdNumber } from '../src/domain/id-number';
import {
  ageOn,
  categoriesOf,
  LEFT_BEHIND_AGE_LIMIT,
  type Category,
  type HouseholdType,
  type DistressReason,
  type GuardianshipCapacity,
  type IncapacityReason,
} from '../src/domain/categories';
import { daysBefore } from './demo-places';
import { Random } from './random';

/** The demo's counties in Qinghai (Xining and Haidong), where the source documents are set. */
export const DEMO_COUNTIES = ['630102', '630106', '630121', '630123', '630222', '630223'];

const SURNAMES = [
  '马',
  '李',
  '张',
  '王',
  '韩',
  '祁',
  '赵',
  '刘',
  '陈',
  '杨',
  '冶',
  '鲁',
  '朱',
  '沈',
  '何',
  '汪',
  '才',
  '索',
];
/** Given names are drawn by gender (Han and Hui families), characters a county registry is full of. */
const GIVEN = {
  MALE: ['文', '明', '永', '国', '海', '成', '福', '军', '龙', '强', '涛', '平', '德', '建', '志', '伟', '鹏', '俊'],
  FEMALE: ['玉', '花', '英', '秀', '春', '梅', '兰', '娟', '燕', '霞', '琴', '芳', '丽', '慧', '静', '婷', '雪', '萍'],
};
/**
 * Tibetan and Tu families (about a fifth of the rural population of the demo counties, with the
 * Hui and Salar under the Hui surnames above) name children without a surname.
 */
const TIBETAN = {
  MALE: ['才让', '扎西', '多杰', '索南', '尼玛', '旦增', '更登', '仁青', '桑杰', '东知'],
  FEMALE: ['卓玛', '拉毛', '措毛', '央金', '才措', '德吉', '拉姆', '旦措', '索南措', '卓嘎'],
};
/**
 * Why the demo's children are in distress (国发〔2016〕36号), by weight: mostly poverty, then
 * disability, then missing or improper guardianship.
 */
const DISTRESS: [DistressReason, number][] = [
  ['FAMILY_POVERTY', 0.5],
  ['OWN_DISABILITY', 0.2],
  ['DE_FACTO_UNSUPPORTED', 0.12],
  ['ABANDONMENT', 0.06],
  ['ABUSE', 0.06],
  ['INJURY', 0.06],
];
const INCAPACITY: IncapacityReason[] = ['SERIOUS_ILLNESS', 'DISABILITY', 'IMPRISONMENT', 'DECEASED'];
/** Where the parents work: provinces that draw migrant workers, with a city code and employers. */
const WORKPLACES = [
  { region: '3205', employers: ['苏州精密电子有限公司', '昆山纺织制衣厂'] },
  { region: '4403', employers: ['深圳华强电子厂', '深圳宝安物流有限公司'] },
  { region: '4419', employers: ['东莞玩具制造有限公司', '东莞鞋业有限公司'] },
  { region: '3301', employers: ['杭州服装有限公司', '杭州建工集团'] },
  { region: '6501', employers: ['乌鲁木齐建筑工程公司'] },
  { region: '6301', employers: ['西宁市餐饮服务公司', '青海盐湖工业股份有限公司'] },
];
const CONTACT = [
  'Weekly phone or video call with the child; home at Spring Festival',
  'Video call every Sunday; monthly money transfer to the entrusted guardian; home twice a year',
  'Phone call twice a week with the child and the class teacher',
];

const RESOLUTIONS = [
  'Township and school visited the family; the child is back at school',
  'The child attends vocational training in the county; followed up by the township',
  'The family moved; the child is enrolled where the parents work',
];
const STREETS = ['人民路', '解放路', '团结路', '新华路', '和平路'];
/**
 * The care needs civil affairs assessed, in the registry's order: left-behind children lack
 * company and contact with their parents, school-age children need help with study, children
 * in distress medical care.
 */
function careNeeds(rnd: Random, categories: string[], age: number): string[] {
  const leftBehind = categories.includes('LEFT_BEHIND');
  const needs: [string, boolean][] = [
    ['COMPANIONSHIP', leftBehind && rnd.chance(0.6)],
    ['TUTORING', age >= 6 && age <= 15 && rnd.chance(0.35)],
    ['PSYCHOLOGICAL_SUPPORT', rnd.chance(0.08)],
    ['HEALTH_CARE', rnd.chance(categories.includes('IN_DISTRESS') ? 0.4 : 0.03)],
    ['FAMILY_CONTACT', leftBehind && rnd.chance(0.5)],
    ['SAFETY_EDUCATION', age <= 12 && rnd.chance(0.25)],
  ];
  return needs.filter(([, needed]) => needed).map(([need]) => need);
}

/** The demo's reference date: ages, school years and record dates are reckoned from it. */
export const DEMO_TODAY = '2026-09-01';

export interface DemoOptions {
  children: number;
  seed?: number;
  /** Reference date for ages; fixed by default so the data is the same every run. */
  today?: string;
  /** The keyed hash the serving hub uses, so that hashed demo records match its lookups. */
  identityHash: IdentityHash;
}

export interface Village {
  code: string;
  name: string;
  township: string;
  townshipName: string;
}

const TABLES = [
  'school',
  'policeStation',
  'child',
  'guardian',
  'guardianship',
  'enrolment',
  'enrolmentHistory',
  'absence',
  'dropoutAlert',
  'household',
  'protectionCase',
  'caseEvent',
] as const;
type Rows = Record<(typeof TABLES)[number], unknown[][]>;
const emptyRows = () => Object.fromEntries(TABLES.map((t) => [t, []])) as unknown as Rows;

interface DemoSchool {
  code: string;
  boarding: boolean;
}

/** What serves a township: its schools (the senior secondary one is the county's) and police station. */
interface Facilities {
  kindergarten: DemoSchool;
  primary: DemoSchool;
  junior: DemoSchool;
  senior: DemoSchool;
  station: { id: string; name: string };
}

/**
 * Each township gets a kindergarten, a central primary school (some taking boarders) and a
 * boarding junior secondary school; each county a boarding senior secondary school in its first
 * township; and a police station. School codes have the national 10 digits: 2, the county, a sequence.
 */
function demoFacilities(rnd: Random, villages: Village[], rows: Rows): Map<string, Facilities> {
  const townships = new Map(villages.map((v) => [v.township, v.townshipName]));
  const facilities = new Map<string, Facilities>();
  const seniors = new Map<string, DemoSchool>();
  const sequence = new Map<string, number>();
  const school = (township: string, name: string, kind: string, boarding: boolean): DemoSchool => {
    const county = township.slice(0, 6);
    const next = (sequence.get(county) ?? 0) + 1;
    sequence.set(county, next);
    const code = `2${county}${String(next).padStart(3, '0')}`;
    rows.school.push([code, name, kind, township, boarding]);
    return { code, boarding };
  };
  for (const [township, name] of townships) {
    const county = township.slice(0, 6);
    if (!seniors.has(county)) seniors.set(county, school(township, `${name}高级中学`, 'SENIOR_SECONDARY', true));
    const station = { id: rnd.uuid(), name: `${name}派出所` };
    rows.policeStation.push([
      station.id,
      station.name,
      township,
      `${county.startsWith('6301') ? '0971' : '0972'}-${rnd.int(2_000_000, 8_999_999)}`,
      `${name}${rnd.pick(STREETS)}${rnd.int(1, 200)}号`,
    ]);
    facilities.set(township, {
      kindergarten: school(township, `${name}中心幼儿园`, 'KINDERGARTEN', false),
      primary: school(township, `${name}中心小学`, 'PRIMARY', rnd.chance(0.5)),
      junior: school(township, `${name}中学`, 'JUNIOR_SECONDARY', true),
      senior: seniors.get(county)!,
      station,
    });
  }
  return facilities;
}

/** One of `choices`, by weight (the weights add up to 1). */
function weighted<T>(rnd: Random, choices: [T, number][]): T {
  let roll = rnd.next();
  for (const [choice, weight] of choices) {
    if ((roll -= weight) < 0) return choice;
  }
  return choices[choices.length - 1][0];
}

/** A date between `from` and `to` (YYYY-MM-DD, inclusive). */
function dateBetween(rnd: Random, from: string, to: string): string {
  const start = Date.parse(from);
  const days = Math.max(0, Math.round((Date.parse(to) - start) / 86_400_000));
  return new Date(start + rnd.int(0, days) * 86_400_000).toISOString().slice(0, 10);
}

export async function villagesOf(pool: Queryable, counties: string[]): Promise<Village[]> {
  const { rows } = await pool.query<Village>(
    `select v.code, v.name, t.code as township, t.name as "townshipName"
       from reference.region v join reference.region t on t.code = v.parent_code
      where v.level = 'VILLAGE' and substr(v.code, 1, 6) = any($1::text[])
      order by v.code`,
    [counties],
  );
  if (!rows.length) throw new Error(`No villages loaded for counties ${counties.join(', ')}: load regions first`);
  return rows;
}

/**
 * Synthetic but realistic children of the demo counties: valid identity numbers, parents working
 * in other provinces, grandparents and entrusted guardians; schools and police stations of their
 * townships, enrolments with some history, boarding, absences, dropouts and their alerts, and
 * household registrations. Deterministic for a given seed and count. Yields the schools and
 * police stations first, then one child's rows at a time, so a million children never sit in
 * memory at once.
 */
export function* generateDemo(villages: Village[], options: Omit<DemoOptions, 'identityHash'>): Generator<Rows> {
  const rnd = new Random(options.seed ?? 20261123);
  // A stream of its own: adding care needs left the rest of the demo as it was.
  const needsRnd = new Random((options.seed ?? 20261123) + 1);
  const today = options.today ?? DEMO_TODAY;
  const year = Number(today.slice(0, 4));
  const used = new Set<string>();
  const idNumber = (region: string, birthDate: string, gender: 'MALE' | 'FEMALE') => {
    for (let seq = rnd.int(0, 499); ; seq++) {
      const id = makeIdNumber(region, birthDate, seq, gender);
      if (!used.has(id)) {
        used.add(id);
        return id;
      }
    }
  };
  const name = (surname: string, gender: 'MALE' | 'FEMALE') =>
    surname + rnd.pick(GIVEN[gender]) + (rnd.chance(0.6) ? rnd.pick(GIVEN[gender]) : '');
  const phone = () => `1${rnd.pick(['3', '5', '7', '8', '9'])}${String(rnd.int(0, 999_999_999)).padStart(9, '0')}`;
  const stamp = (date: string) => new Date(`${date}T08:00:00Z`);

  const places = emptyRows();
  const facilities = demoFacilities(rnd, villages, places);
  yield places;
  // The school year under way on `today` began on 1 September.
  const schoolYear = today.slice(5) >= '09-01' ? year : year - 1;
  const calendarStart = `${workingCalendar().years[0]}-01-01`;
  const lastAbsence = new Map<string, string>(); // by province: its school calendar decides
  for (let i = 0; i < options.children; i++) {
    const rows = emptyRows();
    const village = rnd.pick(villages);
    const county = village.code.slice(0, 6);
    const region = village.code;
    const childId = rnd.uuid();
    const gender = rnd.chance(0.52) ? 'MALE' : 'FEMALE';
    const tibetan = rnd.chance(0.2);
    const surname = rnd.pick(SURNAMES);
    const nameOf = (g: 'MALE' | 'FEMALE', family = true) =>
      tibetan ? rnd.pick(TIBETAN[g]) : name(family ? surname : rnd.pick(SURNAMES), g);
    // The mix the 2016 census of rural left-behind children and the opinions on children in
    // distress describe: most registered children are left behind, most of them with grandparents;
    // a minority in distress, a few both.
    const roll = rnd.next();
    const leftBehind = roll < 0.9;
    const inDistress = roll >= 0.8;
    const birthDate = leftBehind ? rnd.date(year - LEFT_BEHIND_AGE_LIMIT + 1, year - 1) : rnd.date(year - 17, year - 1);
    const age = ageOn(birthDate, today);
    const birthYear = Number(birthDate.slice(0, 4));
    const distressReasons = inDistress ? [weighted(rnd, DISTRESS)] : [];
    if (inDistress && rnd.chance(0.2)) {
      const more = weighted(rnd, DISTRESS);
      if (!distressReasons.includes(more)) distressReasons.push(more);
    }
    const householdType = leftBehind || rnd.chance(0.9) ? 'RURAL' : 'URBAN';
    // Left behind: both parents away (most), or one away and the other unable to care for the child.
    const oneAway = leftBehind && rnd.chance(0.07);
    const fatherAway = leftBehind ? !oneAway || rnd.chance(0.7) : rnd.chance(0.5);
    const motherAway = leftBehind ? !oneAway || !fatherAway : !fatherAway && rnd.chance(0.2);
    const unsupported = distressReasons.includes('DE_FACTO_UNSUPPORTED');
    const capacity = (away: boolean): [GuardianshipCapacity, IncapacityReason | null] =>
      (!away && oneAway) || (unsupported && !away) ? ['NONE', rnd.pick(INCAPACITY)] : ['FULL', null];
    const fatherCapacity = capacity(fatherAway);
    const motherCapacity = capacity(motherAway);
    const categories = categoriesOf(
      {
        birthDate,
        householdType,
        distressReasons,
        guardians: [
          { relation: 'FATHER', workingAway: fatherAway, guardianshipCapacity: fatherCapacity[0] },
          { relation: 'MOTHER', workingAway: motherAway, guardianshipCapacity: motherCapacity[0] },
        ],
      },
      today,
    );
    const registeredOn = rnd.date(Math.max(2017, year - age), year - 1);
    rows.child.push([
      childId,
      nameOf(gender),
      gender,
      birthDate,
      idNumber(county, birthDate, gender),
      categories,
      distressReasons,
      careNeeds(needsRnd, categories, age),
      village.township,
      householdType,
      region,
      'ACTIVE',
      1,
      stamp(registeredOn),
      stamp(registeredOn),
    ]);

    // Parents born 20 to 38 years before the child, grandparents 45 to 68.
    const parent = (
      relation: string,
      away: boolean,
      g: 'MALE' | 'FEMALE',
      given: string,
      [guardianshipCapacity, incapacityReason]: [GuardianshipCapacity, IncapacityReason | null],
    ) => {
      const id = rnd.uuid();
      const place = rnd.pick(WORKPLACES);
      const born = rnd.date(birthYear - 38, birthYear - 20);
      rows.guardian.push([
        id,
        childId,
        region,
        relation,
        given,
        idNumber(county, born, g),
        phone(),
        !away && guardianshipCapacity !== 'NONE',
        away,
        away ? place.region : null,
        away ? rnd.date(year - 6, year - 1) : null,
        away ? rnd.pick(place.employers) : null,
        guardianshipCapacity,
        incapacityReason,
        stamp(registeredOn),
      ]);
      return id;
    };
    parent('FATHER', fatherAway, 'MALE', nameOf('MALE'), fatherCapacity);
    parent('MOTHER', motherAway, 'FEMALE', nameOf('FEMALE', false), motherCapacity);
    let entrusted: string | null = null;
    // Nobody to care for the child at home: grandparents take it in (about nine in ten), else
    // another relative; a few have nobody at all, which conflict detection raises.
    const nobodyHome = (fatherAway || fatherCapacity[0] === 'NONE') && (motherAway || motherCapacity[0] === 'NONE');
    if (nobodyHome && !rnd.chance(0.04)) {
      entrusted = rnd.uuid();
      const born = rnd.date(birthYear - 68, birthYear - 45);
      const g = rnd.chance(0.5) ? 'MALE' : 'FEMALE';
      rows.guardian.push([
        entrusted,
        childId,
        region,
        rnd.chance(0.9) ? 'GRANDPARENT' : 'OTHER_RELATIVE',
        g === 'MALE' ? nameOf('MALE') : nameOf('FEMALE', false),
        idNumber(county, born, g),
        phone(),
        true,
        false,
        null,
        null,
        null,
        'FULL',
        null,
        stamp(registeredOn),
      ]);
    }
    const temporary = (unsupported || distressReasons.includes('ABANDONMENT')) && rnd.chance(0.5);
    rows.guardianship.push(
      temporary
        ? [
            childId,
            region,
            'GOVERNMENT_TEMPORARY',
            registeredOn,
            null,
            null,
            null,
            `${village.townshipName}民政办`,
            stamp(registeredOn),
          ]
        : entrusted
          ? [
              childId,
              region,
              'ENTRUSTED',
              registeredOn,
              entrusted,
              registeredOn,
              rnd.pick(CONTACT),
              null,
              stamp(registeredOn),
            ]
          : [childId, region, 'PARENTS', registeredOn, null, null, null, null, stamp(registeredOn)],
    );

    const local = facilities.get(village.township)!;
    if (age >= 3) {
      const grade = Math.min(12, Math.max(0, age - 5));
      const [school, firstGrade, before] =
        grade === 0
          ? [local.kindergarten, 0, null]
          : grade <= 6
            ? [local.primary, 1, local.kindergarten]
            : grade <= 9
              ? [local.junior, 7, local.primary]
              : [local.senior, 10, local.junior];
      const boarding = school.boarding && rnd.chance(grade <= 6 ? 0.2 : 0.6);
      const s = rnd.next();
      const status = age > 15 && s < 0.1 ? 'GRADUATED' : s < 0.03 ? 'DROPPED_OUT' : s < 0.05 ? 'SUSPENDED' : 'ENROLLED';
      const entered = `${schoolYear - (grade - firstGrade)}-09-01`;
      // History: the school before this one, and the enrolment a status change replaced.
      if (before) {
        const since = `${Number(entered.slice(0, 4)) - (firstGrade === 1 ? 1 : firstGrade === 7 ? 6 : 3)}-09-01`;
        rows.enrolmentHistory.push([
          rnd.uuid(),
          childId,
          region,
          before.code,
          firstGrade - 1,
          'ENROLLED',
          false,
          since,
          entered,
          stamp(entered),
        ]);
      }
      let since = entered;
      if (status !== 'ENROLLED') {
        since = dateBetween(rnd, entered, today);
        rows.enrolmentHistory.push([
          rnd.uuid(),
          childId,
          region,
          school.code,
          grade,
          'ENROLLED',
          boarding,
          entered,
          since,
          stamp(since),
        ]);
      }
      rows.enrolment.push([childId, region, school.code, grade, status, boarding, since, stamp(since)]);
      const compulsory = age >= 6 && age <= 15;
      if (status === 'DROPPED_OUT' && compulsory) {
        const resolved = rnd.chance(0.4);
        rows.dropoutAlert.push([
          rnd.uuid(),
          childId,
          region,
          'DROPPED_OUT',
          school.code,
          stamp(since),
          resolved ? 'RESOLVED' : 'OPEN',
          resolved ? rnd.pick(RESOLUTIONS) : null,
          resolved ? stamp(dateBetween(rnd, since, today)) : null,
        ]);
      } else if (status === 'ENROLLED' && grade >= 1) {
        // Absences during the enrolment: an illness now and then, and a few runs of unexplained days,
        // in the years the working calendar knows.
        const from = entered > calendarStart ? entered : calendarStart;
        const province = region.slice(0, 2);
        if (!lastAbsence.has(province)) lastAbsence.set(province, addSchoolDays(today, -2, region));
        const latest = lastAbsence.get(province)!;
        const start = dateBetween(rnd, from, latest);
        if (from <= latest && isSchoolDay(start, region) && rnd.chance(0.06)) {
          const run = compulsory && rnd.chance(0.3);
          for (let d = 0; d < (run ? 3 : 1); d++) {
            const date = addSchoolDays(start, d, region);
            rows.absence.push([rnd.uuid(), childId, region, school.code, date, !run, run ? null : '病假', stamp(date)]);
          }
          if (run) {
            const date = addSchoolDays(start, 2, region);
            rows.dropoutAlert.push([
              rnd.uuid(),
              childId,
              region,
              'ABSENCES',
              school.code,
              stamp(date),
              'OPEN',
              null,
              null,
            ]);
          }
        }
      }
    }
    const hukou = rnd.chance(0.97);
    rows.household.push([
      childId,
      region,
      hukou,
      hukou ? String(rnd.int(100_000_000, 999_999_999)) : null,
      hukou ? local.station.name : null,
      hukou ? local.station.id : null,
      stamp(registeredOn),
    ]);
    if (rnd.chance(0.02)) {
      // A case of the past year, closed by the township after two weeks to a few months:
      // reported, accepted by the police within minutes to hours (sooner when urgent), answered
      // and followed up. It draws as many random numbers as it always has (the spans come from
      // its id), so the children after it stay the same.
      const caseId = rnd.uuid();
      const concern = rnd.pick(['UNATTENDED', 'INJURY', 'OUT_OF_SCHOOL', 'MISSING'] as const);
      const urgency = rnd.pick(['URGENT', 'ROUTINE']);
      const risk = rnd.pick(['LOW', 'MEDIUM']);
      const followedUp = 14 + (parseInt(caseId.slice(0, 2), 16) % 60);
      const [yearAgo, lastReport] = [daysBefore(today, 365), daysBefore(today, followedUp)];
      const firstReport = [yearAgo, birthDate, lastReport].sort()[1];
      const reported = stamp(dateBetween(rnd, firstReport, lastReport));
      const hours = (n: number) => new Date(reported.getTime() + n * 3_600_000);
      const closed = hours(24 * followedUp);
      const toAccept = ((urgency === 'URGENT' ? 10 : 30) + (parseInt(caseId.slice(2, 4), 16) % 90)) / 60;
      rows.protectionCase.push([
        caseId,
        `BG${reported.toISOString().slice(0, 10).replaceAll('-', '')}-${caseId.slice(0, 8).toUpperCase()}`,
        childId,
        region,
        village.name,
        concern,
        urgency,
        `${village.name}村民委员会`,
        '0971-5550100',
        'demo-reporter',
        'CIVIL_AFFAIRS',
        DEMO_NARRATIVES[concern],
        'CLOSED',
        reported,
        closed,
        hours(toAccept),
        hours(toAccept + 0.5),
        hours(toAccept + 2.5),
        hours(24),
        closed,
        'RELATIVES',
        village.name,
        hours(toAccept + 2.5),
        risk,
        '监护落实，定期探访后结案',
      ]);
      const event = (n: number, at: Date, kind: string, dept: string, account: string) => [
        `${caseId.slice(0, -1)}${n}`,
        caseId,
        region,
        at,
        kind,
        dept,
        account,
      ];
      rows.caseEvent.push(
        event(0, reported, 'REPORTED', 'CIVIL_AFFAIRS', 'demo-reporter'),
        event(1, hours(24), 'HANDED_TO_TOWNSHIP', 'PUBLIC_SECURITY', 'demo-police'),
        event(2, closed, 'CLOSED', 'CIVIL_AFFAIRS', 'demo-township'),
      );
    }
    yield rows;
  }
}

/** What the village committee wrote in the demo reports, by concern. */
const DEMO_NARRATIVES = {
  UNATTENDED: '儿童长期独自在家，无人照料',
  INJURY: '儿童受伤未及时就医',
  OUT_OF_SCHOOL: '儿童开学两周未到校',
  MISSING: '儿童离家一日未归',
} as const;

/** Where each generated table goes, and its columns in the generator's order. */
const TARGETS: Record<keyof Rows, { table: string; columns: string[] }> = {
  school: { table: 'education.school', columns: ['code', 'name', 'kind', 'region_code', 'boarding'] },
  policeStation: { table: 'security.police_station', columns: ['id', 'name', 'region_code', 'phone', 'address'] },
  child: {
    table: 'registry.child',
    columns: [
      'id',
      'name',
      'gender',
      'birth_date',
      'id_number',
      'categories',
      'distress_reasons',
      'care_needs',
      'household_region_code',
      'household_type',
      'region_code',
      'status',
      'version',
      'created_at',
      'updated_at',
    ],
  },
  guardian: {
    table: 'registry.guardian',
    columns: [
      'id',
      'child_id',
      'region_code',
      'relation',
      'name',
      'id_number',
      'phone',
      'custodian',
      'working_away',
      'work_region_code',
      'away_since',
      'employer',
      'guardianship_capacity',
      'incapacity_reason',
      'created_at',
    ],
  },
  guardianship: {
    table: 'registry.guardianship',
    columns: [
      'child_id',
      'region_code',
      'kind',
      'since',
      'entrusted_guardian_id',
      'agreement_date',
      'contact_obligations',
      'agency',
      'updated_at',
    ],
  },
  enrolment: {
    table: 'education.enrolment',
    columns: ['child_id', 'region_code', 'school_code', 'grade', 'status', 'boarding', 'since', 'updated_at'],
  },
  enrolmentHistory: {
    table: 'education.enrolment_history',
    columns: [
      'id',
      'child_id',
      'region_code',
      'school_code',
      'grade',
      'status',
      'boarding',
      'since',
      'until',
      'recorded_at',
    ],
  },
  absence: {
    table: 'education.absence',
    columns: ['id', 'child_id', 'region_code', 'school_code', 'date', 'explained', 'reason', 'recorded_at'],
  },
  dropoutAlert: {
    table: 'education.dropout_alert',
    columns: [
      'id',
      'child_id',
      'region_code',
      'reason',
      'school_code',
      'raised_at',
      'status',
      'resolution',
      'resolved_at',
    ],
  },
  household: {
    table: 'security.household_registration',
    columns: [
      'child_id',
      'region_code',
      'registered',
      'hukou_number',
      'police_station',
      'police_station_id',
      'updated_at',
    ],
  },
  protectionCase: {
    table: 'casework.protection_case',
    columns: [
      'id',
      'receipt_number',
      'child_id',
      'region_code',
      'address',
      'concern_type',
      'urgency',
      'reporting_unit',
      'reporter_contact',
      'reporter_account',
      'reporter_dept',
      'narrative',
      'status',
      'received_at',
      'updated_at',
      'accepted_at',
      'dispatched_at',
      'child_safe_at',
      'handed_over_at',
      'closed_at',
      'placement_kind',
      'placement_address',
      'placement_since',
      'risk_level',
      'outcome',
    ],
  },
  caseEvent: {
    table: 'casework.case_event',
    columns: ['id', 'case_id', 'region_code', 'at', 'kind', 'actor_dept', 'actor_account'],
  },
};

/**
 * What conflict detection in supervision needs of a chunk's children, as the registry, education
 * and public security publish it (src/events/conflict-facts.ts): the demo's children come with
 * their facts, as children registered through the API do.
 */
function conflictFacts(
  rows: Rows,
  identityHash: IdentityHash,
  today: string,
): { table: string; columns: string[]; rows: unknown[][] }[] {
  const at = (table: keyof Rows, column: string) => TARGETS[table].columns.indexOf(column);
  const byChild = <T>(table: keyof Rows, of: (row: unknown[]) => T) => {
    const found = new Map<unknown, T[]>();
    for (const row of rows[table]) {
      const child = row[at(table, 'child_id')];
      found.set(child, [...(found.get(child) ?? []), of(row)]);
    }
    return found;
  };
  const guardians = byChild('guardian', (g) => ({
    relation: g[at('guardian', 'relation')] as GuardianRelation,
    guardianshipCapacity: g[at('guardian', 'guardianship_capacity')] as GuardianshipCapacity,
    custodian: g[at('guardian', 'custodian')] as boolean,
    workingAway: g[at('guardian', 'working_away')] as boolean,
    idNumber: g[at('guardian', 'id_number')] as string | null,
  }));
  const guardianships = byChild('guardianship', (g) => ({
    kind: g[at('guardianship', 'kind')] as GuardianshipKind,
    entrustedGuardianId: g[at('guardianship', 'entrusted_guardian_id')] as string | null,
  }));
  const children: unknown[][] = [];
  const custodians: unknown[][] = [];
  for (const c of rows.child) {
    const id = c[at('child', 'id')] as string;
    const facts = childFacts(
      {
        id,
        regionCode: c[at('child', 'region_code')] as string,
        status: c[at('child', 'status')] as ChildStatus,
        categories: c[at('child', 'categories')] as Category[],
        birthDate: c[at('child', 'birth_date')] as string,
        householdType: c[at('child', 'household_type')] as HouseholdType,
        distressReasons: c[at('child', 'distress_reasons')] as DistressReason[],
        schooling: null,
        guardianship: guardianships.get(id)?.[0] ?? null,
        guardians: guardians.get(id) ?? [],
      },
      identityHash,
      today,
    );
    children.push([
      id,
      facts.regionCode,
      facts.active,
      facts.awayWithoutEntrusted,
      facts.schooling,
      facts.categoryBreaches,
    ]);
    for (const hash of facts.custodians) custodians.push([id, hash, facts.regionCode]);
  }
  const pick = (table: keyof Rows, columns: string[]) => rows[table].map((r) => columns.map((c) => r[at(table, c)]));
  return [
    {
      table: 'supervision.child_fact',
      columns: ['child_id', 'region_code', 'active', 'away_without_entrusted', 'schooling', 'category_breaches'],
      rows: children,
    },
    { table: 'supervision.custodian_fact', columns: ['child_id', 'id_hash', 'region_code'], rows: custodians },
    {
      table: 'supervision.enrolment_fact',
      columns: ['child_id', 'region_code', 'status'],
      rows: pick('enrolment', ['child_id', 'region_code', 'status']),
    },
    {
      table: 'supervision.household_fact',
      columns: ['child_id', 'region_code', 'registered'],
      rows: pick('household', ['child_id', 'region_code', 'registered']),
    },
  ];
}

/** Children written per round of COPY statements: memory stays flat however many are seeded. */
const CHUNK = 20_000;

/**
 * Writes the generated rows with COPY, a chunk of children at a time (schools and police
 * stations first, each chunk's children before their guardians, enrolments, ..., then
 * supervision's facts of them), then lets
 * every other department's seed (seeds/departments.ts) add its records for those children, all
 * in one transaction. Returns how many rows went into each table.
 */
export async function insertDemo(
  databases: SeedDatabases,
  generated: Iterable<Rows>,
  options: Omit<DemoOptions, 'children'>,
): Promise<Record<keyof Rows, number>> {
  const counts = Object.fromEntries(TABLES.map((t) => [t, 0])) as Record<keyof Rows, number>;
  return databases.transaction(async (tx) => {
    let chunk = emptyRows();
    let children = 0;
    const flush = async () => {
      for (const table of TABLES) {
        if (!chunk[table].length) continue;
        await copyRows(tx, TARGETS[table].table, TARGETS[table].columns, chunk[table]);
        counts[table] += chunk[table].length;
      }
      for (const facts of conflictFacts(chunk, options.identityHash, options.today ?? DEMO_TODAY)) {
        if (facts.rows.length) await copyRows(tx, facts.table, facts.columns, facts.rows);
      }
      chunk = emptyRows();
      children = 0;
    };
    for (const rows of generated) {
      for (const table of TABLES) for (const row of rows[table]) chunk[table].push(row);
      if (++children === CHUNK) await flush();
    }
    await flush();
    const context = {
      seed: options.seed ?? 20261123,
      today: options.today ?? DEMO_TODAY,
      identityHash: options.identityHash,
    };
    for (const seedDepartment of DEPARTMENT_SEEDS) await seedDepartment(tx, context);
    return counts;
  });
}

/** Seeds the demo unless children are already registered. Returns the number of children added. */
export async function seedDemo(
  databases: SeedDatabases,
  options: DemoOptions,
  counties = DEMO_COUNTIES,
): Promise<number> {
  const { rows } = await databases.query<{ any: boolean }>('select exists (select 1 from registry.child) as any');
  if (rows[0].any) return 0;
  const counts = await insertDemo(databases, generateDemo(await villagesOf(databases, counties), options), options);
  return counts.child;
}
