import type { Pool } from 'pg';
import type { IdentityHash } from '../src/auth/identity-hash';
import { bulkInsert } from './bulk';
import { DEPARTMENT_SEEDS } from './departments';
import { makeIdNumber } from '../src/subgraphs/registry/id-number';
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
const GIVEN = [
  '小',
  '文',
  '华',
  '明',
  '玉',
  '花',
  '永',
  '国',
  '英',
  '海',
  '秀',
  '春',
  '梅',
  '成',
  '福',
  '兰',
  '军',
  '娟',
  '龙',
  '燕',
  '强',
  '霞',
  '涛',
  '琴',
];
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

interface Village {
  code: string;
  name: string;
  township: string;
  townshipName: string;
}

type Rows = Record<string, unknown[][]>;

async function villagesOf(pool: Pool, counties: string[]): Promise<Village[]> {
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
 * in other provinces, grandparents and entrusted guardians, enrolments and household
 * registrations. Deterministic for a given seed and count.
 */
export function generateDemo(villages: Village[], options: Omit<DemoOptions, 'identityHash'>): Rows {
  const rnd = new Random(options.seed ?? 20261123);
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
  const name = (surname: string) => surname + rnd.pick(GIVEN) + (rnd.chance(0.6) ? rnd.pick(GIVEN) : '');
  const phone = () => `1${rnd.pick(['3', '5', '7', '8', '9'])}${String(rnd.int(0, 999_999_999)).padStart(9, '0')}`;
  const stamp = (date: string) => new Date(`${date}T08:00:00Z`);

  const rows: Rows = { child: [], guardian: [], guardianship: [], enrolment: [], household: [], report: [] };
  for (let i = 0; i < options.children; i++) {
    const village = rnd.pick(villages);
    const county = village.code.slice(0, 6);
    const region = village.code;
    const childId = rnd.uuid();
    const gender = rnd.chance(0.5) ? 'MALE' : 'FEMALE';
    const birthDate = rnd.date(year - 17, year - 1);
    const age = year - Number(birthDate.slice(0, 4));
    const surname = rnd.pick(SURNAMES);
    const roll = rnd.next();
    const categories = roll < 0.85 ? ['LEFT_BEHIND'] : roll < 0.95 ? ['IN_DISTRESS'] : ['LEFT_BEHIND', 'IN_DISTRESS'];
    const registeredOn = rnd.date(Math.max(2017, year - age), year - 1);
    rows.child.push([
      childId,
      name(surname),
      gender,
      birthDate,
      idNumber(county, birthDate, gender),
      categories,
      village.township,
      region,
      'ACTIVE',
      1,
      stamp(registeredOn),
      stamp(registeredOn),
    ]);

    const fatherAway = rnd.chance(0.85);
    const motherAway = categories.includes('LEFT_BEHIND') ? fatherAway && rnd.chance(0.6) : rnd.chance(0.2);
    const parent = (relation: string, away: boolean, g: 'MALE' | 'FEMALE', given?: string) => {
      const id = rnd.uuid();
      const place = rnd.pick(WORKPLACES);
      const born = rnd.date(year - age - 35, year - age - 20);
      rows.guardian.push([
        id,
        childId,
        region,
        relation,
        given ?? name(rnd.pick(SURNAMES)),
        idNumber(county, born, g),
        phone(),
        !away,
        away,
        away ? place.region : null,
        away ? rnd.date(year - 6, year - 1) : null,
        away ? rnd.pick(place.employers) : null,
        stamp(registeredOn),
      ]);
      return id;
    };
    parent('FATHER', fatherAway, 'MALE', name(surname));
    parent('MOTHER', motherAway, 'FEMALE');
    let entrusted: string | null = null;
    if (fatherAway && motherAway) {
      entrusted = rnd.uuid();
      const born = rnd.date(year - age - 70, year - age - 45);
      const g = rnd.chance(0.5) ? 'MALE' : 'FEMALE';
      rows.guardian.push([
        entrusted,
        childId,
        region,
        rnd.chance(0.85) ? 'GRANDPARENT' : 'OTHER_RELATIVE',
        name(surname),
        idNumber(county, born, g),
        phone(),
        true,
        false,
        null,
        null,
        null,
        stamp(registeredOn),
      ]);
    }
    const temporary = categories.includes('IN_DISTRESS') && rnd.chance(0.15);
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

    if (age >= 3) {
      const grade = Math.min(12, Math.max(0, age - 5));
      const school =
        grade === 0
          ? `${village.townshipName}中心幼儿园`
          : grade <= 6
            ? `${village.townshipName}中心小学`
            : `${village.townshipName}中学`;
      const s = rnd.next();
      const status = age > 15 && s < 0.1 ? 'GRADUATED' : s < 0.03 ? 'DROPPED_OUT' : s < 0.05 ? 'SUSPENDED' : 'ENROLLED';
      rows.enrolment.push([childId, region, school, village.township, grade, status, stamp(today)]);
    }
    const hukou = rnd.chance(0.97);
    rows.household.push([
      childId,
      region,
      hukou,
      hukou ? String(rnd.int(100_000_000, 999_999_999)) : null,
      hukou ? `${village.townshipName}派出所` : null,
      stamp(registeredOn),
    ]);
    if (rnd.chance(0.02)) {
      rows.report.push([
        rnd.uuid(),
        childId,
        region,
        rnd.pick(['UNATTENDED', 'INJURY', 'OUT_OF_SCHOOL', 'MISSING']),
        rnd.pick(['URGENT', 'ROUTINE']),
        rnd.pick(['CLOSED', 'HANDED_TO_TOWNSHIP']),
        stamp(rnd.date(year - 1, year - 1)),
      ]);
    }
  }
  return rows;
}

/**
 * Writes the generated registry, education and public-security rows, then lets every other
 * department's seed (seeds/departments.ts) add its records for those children, in one transaction.
 */
export async function insertDemo(pool: Pool, rows: Rows, options: Omit<DemoOptions, 'children'>): Promise<void> {
  const tx = await pool.connect();
  try {
    await tx.query('begin');
    await bulkInsert(
      tx,
      'registry.child',
      [
        'id',
        'name',
        'gender',
        'birth_date',
        'id_number',
        'categories',
        'household_region_code',
        'region_code',
        'status',
        'version',
        'created_at',
        'updated_at',
      ],
      ['uuid', 'text', 'text', 'date', 'text', 'text[]', 'text', 'text', 'text', 'int', 'timestamptz', 'timestamptz'],
      rows.child,
    );
    await bulkInsert(
      tx,
      'registry.guardian',
      [
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
        'created_at',
      ],
      ['uuid', 'uuid', 'text', 'text', 'text', 'text', 'text', 'bool', 'bool', 'text', 'date', 'text', 'timestamptz'],
      rows.guardian,
    );
    await bulkInsert(
      tx,
      'registry.guardianship',
      [
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
      ['uuid', 'text', 'text', 'date', 'uuid', 'date', 'text', 'text', 'timestamptz'],
      rows.guardianship,
    );
    await bulkInsert(
      tx,
      'education.enrolment',
      ['child_id', 'region_code', 'school_name', 'school_region_code', 'grade', 'status', 'updated_at'],
      ['uuid', 'text', 'text', 'text', 'int2', 'text', 'timestamptz'],
      rows.enrolment,
    );
    await bulkInsert(
      tx,
      'security.household_registration',
      ['child_id', 'region_code', 'registered', 'hukou_number', 'police_station', 'updated_at'],
      ['uuid', 'text', 'bool', 'text', 'text', 'timestamptz'],
      rows.household,
    );
    await bulkInsert(
      tx,
      'security.report',
      ['id', 'child_id', 'region_code', 'concern_type', 'urgency', 'status', 'received_at'],
      ['uuid', 'uuid', 'text', 'text', 'text', 'text', 'timestamptz'],
      rows.report,
    );
    const context = {
      seed: options.seed ?? 20261123,
      today: options.today ?? DEMO_TODAY,
      identityHash: options.identityHash,
    };
    for (const seedDepartment of DEPARTMENT_SEEDS) await seedDepartment(tx, context);
    await tx.query('commit');
  } catch (err) {
    await tx.query('rollback');
    throw err;
  } finally {
    tx.release();
  }
}

/** Seeds the demo unless children are already registered. Returns the number of children added. */
export async function seedDemo(pool: Pool, options: DemoOptions, counties = DEMO_COUNTIES): Promise<number> {
  const { rows } = await pool.query<{ any: boolean }>('select exists (select 1 from registry.child) as any');
  if (rows[0].any) return 0;
  const data = generateDemo(await villagesOf(pool, counties), options);
  await insertDemo(pool, data, options);
  return data.child.length;
}
