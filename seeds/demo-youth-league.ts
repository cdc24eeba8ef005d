import { bulkInsert } from './bulk';
import { daysBefore, demoPlaces, type DemoChild } from './demo-places';
import type { DepartmentSeed } from './departments';
import { Random } from './random';

const NAMES = ['李', '王', '张', '马', '赵', '陈', '刘', '杨', '韩', '祁'];
const GIVEN = ['晓', '雪', '婷', '磊', '佳', '悦', '宁', '博', '欣', '航', '瑶', '鹏'];
const FREQUENCIES = ['WEEKLY', 'FORTNIGHTLY', 'FORTNIGHTLY', 'MONTHLY'];
const ACTIVITY_KINDS = ['COMPANIONSHIP_VISIT', 'COMPANIONSHIP_VISIT', 'VIDEO_CALL_WITH_PARENTS', 'TUTORING'];

/**
 * Youth-league volunteers in every demo township (school league branches, universities,
 * volunteer associations), pairings for about half of the left-behind children who need
 * company, and a year of activities with the children who attended, summer camps by county.
 */
export const seedYouthLeague: DepartmentSeed = async (db, { seed, today }) => {
  const rnd = new Random(seed + 5);
  const { children, townships, name } = await demoPlaces(db);

  const phones = new Set<string>();
  const phone = () => {
    for (;;) {
      const p = `1${rnd.pick(['3', '5', '8'])}${String(rnd.int(0, 999_999_999)).padStart(9, '0')}`;
      if (!phones.has(p)) {
        phones.add(p);
        return p;
      }
    }
  };
  const rows: Record<string, unknown[][]> = { volunteer: [], pairing: [], activity: [], attendance: [] };
  const stamp = (date: string) => new Date(`${date}T09:00:00Z`);

  for (const township of townships) {
    const county = township.code.slice(0, 6);
    const organisations = [
      `${name(township.code)}中学团委`,
      `${name(county)}青年志愿者协会`,
      '青海大学青年志愿者协会',
      '青海师范大学研究生支教团',
    ];
    // Most volunteers serve the township (the first always does); some only their own village.
    const volunteers: { id: string; region: string }[] = [];
    const count = Math.min(40, 2 + Math.ceil(township.children.length / 40));
    for (let i = 0; i < count; i++) {
      const region = i > 0 && rnd.chance(0.2) ? rnd.pick(township.children).region : township.code;
      const id = rnd.uuid();
      volunteers.push({ id, region });
      const joined = daysBefore(today, rnd.int(60, 900));
      rows.volunteer.push([
        id,
        region,
        rnd.pick(NAMES) + rnd.pick(GIVEN) + rnd.pick(GIVEN),
        phone(),
        rnd.pick(organisations),
        stamp(joined),
      ]);
    }

    for (const child of township.children) {
      if (!child.careNeeds.includes('COMPANIONSHIP') || !rnd.chance(0.5)) continue;
      const covering = volunteers.filter((v) => child.region.startsWith(v.region));
      const volunteer = rnd.pick(covering);
      const startDate = daysBefore(today, rnd.int(30, 700));
      const ended = rnd.chance(0.2) && startDate < daysBefore(today, 120);
      const endDate = ended ? daysBefore(today, rnd.int(1, 90)) : null;
      rows.pairing.push([
        rnd.uuid(),
        volunteer.id,
        child.id,
        child.region,
        startDate,
        endDate,
        rnd.pick(FREQUENCIES),
        stamp(startDate),
      ]);
    }

    const activities = Math.min(24, 4 + Math.floor(township.children.length / 100));
    for (let i = 0; i < activities; i++) {
      const kind = rnd.pick(ACTIVITY_KINDS);
      const atVillage = kind !== 'TUTORING';
      const village = rnd.pick(township.children).region;
      const region = atVillage ? village : township.code;
      const place =
        kind === 'TUTORING'
          ? `${name(township.code)}中心小学`
          : kind === 'VIDEO_CALL_WITH_PARENTS'
            ? `${name(village).replace(/委会$/, '')}儿童之家`
            : `${name(village)}`;
      const attending = township.children.filter((c) => c.region.startsWith(region));
      addActivity(rnd, rows, kind, daysBefore(today, rnd.int(1, 365)), place, region, attending, 8);
    }
  }

  // A summer camp in each demo county, last July.
  const counties = [...new Set(townships.map((t) => t.code.slice(0, 6)))];
  const july = `${Number(today.slice(0, 4)) - (today.slice(5) < '08' ? 1 : 0)}-07-${rnd.int(10, 25)}`;
  for (const county of counties) {
    const attending = children.filter((c) => c.region.startsWith(county) && c.categories.includes('LEFT_BEHIND'));
    addActivity(rnd, rows, 'SUMMER_CAMP', july, `${name(county)}青少年活动中心`, county, attending, 40);
  }

  await bulkInsert(
    db,
    'youth.volunteer',
    ['id', 'region_code', 'name', 'phone', 'organisation', 'created_at'],
    ['uuid', 'text', 'text', 'text', 'text', 'timestamptz'],
    rows.volunteer,
  );
  await bulkInsert(
    db,
    'youth.care_pairing',
    ['id', 'volunteer_id', 'child_id', 'region_code', 'start_date', 'end_date', 'visit_frequency', 'created_at'],
    ['uuid', 'uuid', 'uuid', 'text', 'date', 'date', 'text', 'timestamptz'],
    rows.pairing,
  );
  await bulkInsert(
    db,
    'youth.activity',
    ['id', 'region_code', 'kind', 'date', 'place', 'created_at'],
    ['uuid', 'text', 'text', 'date', 'text', 'timestamptz'],
    rows.activity,
  );
  await bulkInsert(
    db,
    'youth.activity_child',
    ['activity_id', 'child_id', 'region_code'],
    ['uuid', 'uuid', 'text'],
    rows.attendance,
  );
};

/** An activity and up to `most` of the `eligible` children attending it (none: no activity). */
function addActivity(
  rnd: Random,
  rows: Record<string, unknown[][]>,
  kind: string,
  date: string,
  place: string,
  region: string,
  eligible: DemoChild[],
  most: number,
) {
  if (eligible.length === 0) return;
  const id = rnd.uuid();
  rows.activity.push([id, region, kind, date, place, new Date(`${date}T18:00:00Z`)]);
  const attending = new Set<DemoChild>();
  const count = rnd.int(1, Math.min(most, eligible.length));
  while (attending.size < count) attending.add(rnd.pick(eligible));
  for (const child of attending) rows.attendance.push([id, child.id, child.region]);
}
