import { bulkInsert } from './bulk';
import { daysBefore, demoPlaces, type DemoChild } from './demo-places';
import type { DepartmentSeed } from './departments';
import { Random } from './random';

const NAMES = ['李', '王', '张', '马', '赵', '陈', '刘', '杨', '韩', '祁'];
const GIVEN = ['晓', '雪', '婷', '磊', '佳', '悦', '宁', '博', '欣', '航', '瑶', '鹏'];
const FREQUENCIES = ['WEEKLY', 'FORTNIGHTLY', 'FORTNIGHTLY', 'MONTHLY'];
const ACTIVITY_KINDS = ['COMPANIONSHIP_VISIT', 'COMPANIONSHIP_VISIT', 'VIDEO_CALL_WITH_PARENTS', 'TUTORING'];

/** Children a volunteer looks after at most: volunteers are few, so some children wait for one. */
const PAIRINGS_PER_VOLUNTEER = 6;
/** Companionship visits a pairing's schedule asks for in a month (as statistics count them). */
const VISITS_ASKED = { WEEKLY: 4, FORTNIGHTLY: 2, MONTHLY: 1 } as Record<string, number>;

/**
 * Youth-league volunteers in every demo township (school league branches, universities,
 * volunteer associations), pairings for about half of the left-behind children who need
 * company (as far as the volunteers go), each pairing's companionship visits of the last year,
 * and a year of activities with the children who attended, summer camps by county.
 */
export const seedYouthLeague: DepartmentSeed = async (db, { seed, today }) => {
  const rnd = new Random(seed + 5);
  // A stream of its own: the visits leave the rest of the youth league's records as they were.
  const visitRnd = new Random(seed + 55);
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

    const paired = new Map<string, number>();
    for (const child of township.children) {
      if (!child.careNeeds.includes('COMPANIONSHIP') || !rnd.chance(0.5)) continue;
      const covering = volunteers.filter(
        (v) => child.region.startsWith(v.region) && (paired.get(v.id) ?? 0) < PAIRINGS_PER_VOLUNTEER,
      );
      if (!covering.length) continue;
      const volunteer = rnd.pick(covering);
      paired.set(volunteer.id, (paired.get(volunteer.id) ?? 0) + 1);
      const startDate = daysBefore(today, rnd.int(30, 700));
      const ended = rnd.chance(0.2) && startDate < daysBefore(today, 120);
      const endDate = ended ? daysBefore(today, rnd.int(1, 90)) : null;
      const id = rnd.uuid();
      const frequency = rnd.pick(FREQUENCIES);
      rows.pairing.push([id, volunteer.id, child.id, child.region, startDate, endDate, frequency, stamp(startDate)]);
      for (const date of scheduledVisits(visitRnd, startDate, endDate ?? today, today, VISITS_ASKED[frequency])) {
        addActivity(visitRnd, rows, 'COMPANIONSHIP_VISIT', date, name(child.region), child.region, [child], 1);
      }
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

/**
 * The days a volunteer visited a paired child from `start` to `end` (YYYY-MM-DD), in the year up
 * to `today`: each month split into as many stretches as the schedule asks visits, a visit in
 * each stretch; most pairings keep the schedule most months, and a month missed lacks a visit
 * or more. Visits after `today` (in the month under way) are not made yet.
 */
function scheduledVisits(rnd: Random, start: string, end: string, today: string, asked: number): string[] {
  const visits: string[] = [];
  const diligence = 0.6 + 0.38 * rnd.next();
  const from = start > daysBefore(today, 365) ? start : daysBefore(today, 365);
  for (let month = from.slice(0, 7); month <= end.slice(0, 7);) {
    const [y, m] = month.split('-').map(Number);
    const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const kept = rnd.chance(diligence) ? asked : rnd.int(0, asked - 1);
    for (let k = 0; k < kept; k++) {
      const day = 1 + Math.floor(((k + rnd.next()) * days) / asked);
      const date = `${month}-${String(day).padStart(2, '0')}`;
      if (date >= from && date <= end) visits.push(date);
    }
    month = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  }
  return visits;
}

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
