import { bulkInsert } from './bulk';
import { daysBefore, demoPlaces } from './demo-places';
import type { DepartmentSeed } from './departments';
import { Random } from './random';

const OPENING_HOURS = [
  '周一至周五 16:30-18:30，周六 9:00-17:00',
  '周末及寒暑假 9:00-17:00',
  '每天 15:00-19:00',
  '周二、周四 16:00-18:00，周六全天',
];
const HOME_ACTIVITIES = [
  '课后作业辅导',
  '亲情视频通话',
  '图书阅读',
  '手工与绘画',
  '安全知识讲座',
  '心理健康游戏',
  '体育活动',
];
const TOPICS = [
  'GUARDIANSHIP_DUTIES',
  'PARENT_CHILD_CONTACT',
  'CHILD_SAFETY',
  'CHILD_DEVELOPMENT',
  'MENTAL_HEALTH',
  'LAWS_AND_POLICIES',
];

/**
 * Children's homes (儿童之家) in about a third of the demo villages, serving the village's
 * children, and family-education guidance sessions in every demo township over the past year,
 * attended by parents and entrusted guardians, some of them linked to the registry.
 */
export const seedWomensFederation: DepartmentSeed = async (db, { seed, today }) => {
  const rnd = new Random(seed + 6);
  const { townships, name } = await demoPlaces(db);
  const { rows: carers } = await db.query<{ id: string; region: string; relation: string }>(
    `select id, region_code as region, relation from registry.guardian where custodian order by id`,
  );
  const rows: Record<string, unknown[][]> = { home: [], session: [], attendee: [] };
  const stamp = (date: string) => new Date(`${date}T10:00:00Z`);

  for (const township of townships) {
    const villages = new Map<string, number>();
    for (const child of township.children) villages.set(child.region, (villages.get(child.region) ?? 0) + 1);
    for (const [village, served] of [...villages].sort(([a], [b]) => a.localeCompare(b))) {
      if (!rnd.chance(0.35)) continue;
      const opened = daysBefore(today, rnd.int(200, 1500));
      const activities = [...new Set(Array.from({ length: rnd.int(2, 4) }, () => rnd.pick(HOME_ACTIVITIES)))];
      rows.home.push([
        rnd.uuid(),
        village,
        `${name(village).replace(/委会$/, '')}儿童之家`,
        `${name(township.code)}${name(village)}院内`,
        rnd.pick(OPENING_HOURS),
        served + rnd.int(0, 5),
        activities,
        stamp(opened),
        stamp(daysBefore(today, rnd.int(1, 180))),
      ]);
    }

    const local = carers.filter((g) => g.region.startsWith(township.code));
    const county = township.code.slice(0, 6);
    for (let i = rnd.int(2, 4); i > 0; i--) {
      const inVillage = rnd.chance(0.4);
      const region = inVillage ? rnd.pick(township.children).region : township.code;
      const id = rnd.uuid();
      const date = daysBefore(today, rnd.int(1, 365));
      const attendeeCount = rnd.int(12, 60);
      const topics = TOPICS.filter(() => rnd.chance(0.35));
      rows.session.push([
        id,
        region,
        date,
        topics.length ? topics : [rnd.pick(TOPICS)],
        inVillage ? name(region) : rnd.pick([`${name(township.code)}妇女之家`, `${name(township.code)}中心小学`]),
        rnd.pick([`${name(county)}妇联`, `${name(township.code)}妇联`]),
        attendeeCount,
        stamp(date),
      ]);
      const eligible = local.filter((g) => g.region.startsWith(region));
      const linked = new Set<(typeof local)[number]>();
      const wanted = Math.min(eligible.length, Math.floor(attendeeCount * 0.4));
      while (linked.size < wanted) linked.add(rnd.pick(eligible));
      for (const g of linked) rows.attendee.push([id, g.id, g.region, g.relation]);
    }
  }

  await bulkInsert(
    db,
    'women.childrens_home',
    [
      'id',
      'region_code',
      'name',
      'address',
      'opening_hours',
      'children_served',
      'activities',
      'created_at',
      'updated_at',
    ],
    ['uuid', 'text', 'text', 'text', 'text', 'int', 'text[]', 'timestamptz', 'timestamptz'],
    rows.home,
  );
  await bulkInsert(
    db,
    'women.guidance_session',
    ['id', 'region_code', 'date', 'topics', 'place', 'host', 'attendee_count', 'created_at'],
    ['uuid', 'text', 'date', 'text[]', 'text', 'text', 'int', 'timestamptz'],
    rows.session,
  );
  await bulkInsert(
    db,
    'women.guidance_attendee',
    ['session_id', 'guardian_id', 'region_code', 'relation'],
    ['uuid', 'uuid', 'text', 'text'],
    rows.attendee,
  );
};
