import { detectConflicts } from '../src/subgraphs/supervision/conflict.service';
import { daysBefore, demoPlaces } from './demo-places';
import type { DepartmentSeed } from './departments';
import { Random } from './random';

/** Member units of a county's joint meeting on rural left-behind children, with their duties. */
const UNITS = [
  ['CIVIL_AFFAIRS', '民政局', '牵头召集；摸排建档、动态管理、监护评估', true],
  ['EDUCATION', '教育局', '控辍保学，寄宿制学校关爱，心理健康教育', false],
  ['PUBLIC_SECURITY', '公安局', '户籍登记，强制报告受理，打击侵害', false],
  ['JUSTICE', '司法局', '法律援助，监护人责任落实', false],
  ['YOUTH_LEAGUE', '团县委', '志愿者结对关爱', false],
  ['WOMENS_FEDERATION', '妇联', '家庭教育指导，儿童之家建设', false],
] as const;

const POINTS = [
  ['CIVIL_AFFAIRS', '完成年度全面摸排并更新台账'],
  ['EDUCATION', '义务教育阶段失学辍学儿童劝返复学'],
  ['PUBLIC_SECURITY', '无户籍儿童户口登记'],
  ['YOUTH_LEAGUE', '农村留守儿童志愿者结对全覆盖'],
  ['WOMENS_FEDERATION', '每个乡镇至少一个儿童之家'],
] as const;

/**
 * Supervision's demo records: Qinghai's implementing opinion and coordination mechanism (the
 * province issued its opinion in 2017), the joint meeting of every demo county with this year's
 * work points (some behind), and the cross-department conflicts the demo data holds.
 */
export const seedSupervision: DepartmentSeed = async (db, { seed, today }) => {
  const rnd = new Random(seed + 8);
  const { townships } = await demoPlaces(db);
  const counties = [...new Set(townships.map((t) => t.code.slice(0, 6)))].sort();
  for (const province of new Set(counties.map((c) => c.slice(0, 2)))) {
    await db.query(
      `insert into supervision.provincial_implementation (region_code, opinion_issued, opinion_date, mechanism_established, mechanism_date, notes, updated_by, updated_at)
       values ($1, true, '2017-03-20', true, '2017-06-30', '省政府印发实施意见，建立省级联席会议制度', 'demo', now())
       on conflict do nothing`,
      [province],
    );
  }
  const year = Number(today.slice(0, 4));
  for (const county of counties) {
    const unitIds = new Map<string, string>();
    for (const [department, unit, duties, convener] of UNITS) {
      const { rows } = await db.query<{ id: string }>(
        `insert into supervision.joint_meeting_unit (region_code, department, unit_name, duties, convener, created_at)
         values ($1, $2, $3, $4, $5, now()) returning id`,
        [county, department, `县${unit}`, duties, convener],
      );
      unitIds.set(department, rows[0].id);
    }
    for (const [department, title] of POINTS) {
      const deadline = daysBefore(today, rnd.int(-120, 200));
      const status =
        deadline < today ? rnd.pick(['DONE', 'DONE', 'IN_PROGRESS']) : rnd.pick(['PLANNED', 'IN_PROGRESS']);
      await db.query(
        `insert into supervision.work_point (region_code, year, title, unit_id, deadline, status, updated_at)
         values ($1, $2, $3, $4, $5, $6, now())`,
        [county, year, title, unitIds.get(department), deadline, status],
      );
    }
  }
  // Over the facts the children were seeded with (seeds/demo.ts).
  for (const county of counties)
    await detectConflicts(async (text, params) => (await db.query(text, params)).rows, county);
};
