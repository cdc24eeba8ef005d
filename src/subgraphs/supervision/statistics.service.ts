import type { HubContext } from '../../context';
import { badInput, forbidden } from '../../errors';
import { jurisdictionPattern } from '../../policy/jurisdiction';
import { isWithin, REGION_CODE_PATTERN } from '../../regions/region-code';
import { ProvincialImplementationSchema, type ConflictKind } from './supervision.entity';

/**
 * Statistics are a reporting read model: aggregate SQL over the departments' schemas, read-only,
 * grouped by the region of the level below, with the caller's jurisdiction prefix applied in
 * the SQL itself. One statement per family of figures, however many regions are shown. No
 * personal field leaves these queries; outside civil affairs, cells of 1 to 4 children are
 * suppressed, so that a small village's figures cannot single a child out, and where a level
 * has a single small cell, the next smallest cell too (or the total would give it back).
 */

/** Cells below this many children are suppressed outside civil affairs. */
export const SMALL_CELL = 5;

const NEXT_LEVEL: Record<number, number> = { 2: 4, 4: 6, 6: 9, 9: 12, 12: 12 };
const ARRANGEMENTS = ['PARENTS', 'ENTRUSTED', 'GOVERNMENT_TEMPORARY', 'NONE'] as const;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

type Row = Record<string, unknown>;
const num = (v: unknown) => Number(v ?? 0);

function monthStart(field: string, value: string): string {
  if (!MONTH.test(value)) throw badInput(field, `"${value}" is not a month (YYYY-MM)`);
  return `${value}-01`;
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

function checkRegion(ctx: HubContext, code: string) {
  if (!REGION_CODE_PATTERN.test(code)) throw badInput('code', `"${code}" is not a GB/T 2260 region code`);
  if (!isWithin(ctx.principal.region, code)) throw forbidden(`Region ${code} is outside your jurisdiction`);
}

function query(ctx: HubContext, sql: string, params: unknown[]): Promise<Row[]> {
  return ctx.em.getConnection().execute(sql, params, 'all');
}

export interface VisitFigures {
  due: number | null;
  visited: number | null;
  percent: number | null;
}

export interface Figures {
  region: { code: string };
  children: number | null;
  byCategory: { category: 'LEFT_BEHIND' | 'IN_DISTRESS'; children: number | null }[];
  byArrangement: { arrangement: (typeof ARRANGEMENTS)[number]; children: number | null }[];
  bothParentsAway: number | null;
  withoutHukou: number | null;
  outOfSchool: number | null;
  visits: VisitFigures;
  assistance: { reports: number; workersCovered: number; amount: string };
  openConflicts: number | null;
  openProtectionCases: number | null;
  overdueTasks: number;
  referralAnswers: { answered: number; onTime: number; percent: number | null };
  medianMinutesToAcceptance: number | null;
}

/** Raw (unsuppressed) counts of one region, added up from rows of the level below. */
interface Counts {
  children: number;
  leftBehind: number;
  inDistress: number;
  arrangements: Record<string, number>;
  bothParentsAway: number;
  withoutHukou: number;
  outOfSchool: number;
  due: number;
  visited: number;
  reports: number;
  workers: number;
  fen: bigint;
  openConflicts: number;
  openCases: number;
  overdueTasks: number;
  referralsAnswered: number;
  referralsOnTime: number;
}

const emptyCounts = (): Counts => ({
  children: 0,
  leftBehind: 0,
  inDistress: 0,
  arrangements: Object.fromEntries(ARRANGEMENTS.map((a) => [a, 0])),
  bothParentsAway: 0,
  withoutHukou: 0,
  outOfSchool: 0,
  due: 0,
  visited: 0,
  reports: 0,
  workers: 0,
  fen: 0n,
  openConflicts: 0,
  openCases: 0,
  overdueTasks: 0,
  referralsAnswered: 0,
  referralsOnTime: 0,
});

function add(into: Counts, from: Counts): void {
  for (const key of Object.keys(into) as (keyof Counts)[]) {
    if (key === 'arrangements') {
      for (const a of ARRANGEMENTS) into.arrangements[a] += from.arrangements[a];
    } else if (key === 'fen') into.fen += from.fen;
    else (into[key] as number) += from[key] as number;
  }
}

const toFen = (yuan: unknown) => BigInt(String(yuan ?? '0.00').replace('.', ''));
function toYuan(fen: bigint): string {
  const digits = fen.toString().padStart(3, '0');
  return `${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** The cells of a region's figures that count children, by name. */
const CELLS: [string, (c: Counts) => number][] = [
  ['children', (c) => c.children],
  ['leftBehind', (c) => c.leftBehind],
  ['inDistress', (c) => c.inDistress],
  ...ARRANGEMENTS.map((a): [string, (c: Counts) => number] => [`arrangement:${a}`, (c) => c.arrangements[a]]),
  ['bothParentsAway', (c) => c.bothParentsAway],
  ['withoutHukou', (c) => c.withoutHukou],
  ['outOfSchool', (c) => c.outOfSchool],
  ['due', (c) => c.due],
  ['visited', (c) => c.visited],
  ['openConflicts', (c) => c.openConflicts],
  ['openCases', (c) => c.openCases],
];

const small = (n: number) => n > 0 && n < SMALL_CELL;

/**
 * Secondary suppression: where one region of a level has a small cell and the total is shown,
 * the total minus the others would give it back, so the next smallest non-zero cell of the same
 * figure is hidden too. Returns the cells to hide beyond the small ones, per region.
 */
function secondary(parts: [string, Counts][]): Map<string, Set<string>> {
  const hidden = new Map<string, Set<string>>();
  for (const [key, get] of CELLS) {
    const primary = parts.filter(([, c]) => small(get(c)));
    if (primary.length !== 1) continue;
    const others = parts.filter(([, c]) => get(c) > 0 && !small(get(c)));
    if (!others.length) continue;
    const [code] = others.reduce((a, b) => (get(b[1]) < get(a[1]) ? b : a));
    hidden.set(code, (hidden.get(code) ?? new Set()).add(key));
  }
  return hidden;
}

/** What a caller is shown of the counts: small cells (and `hidden` ones) nulled outside civil affairs. */
function present(
  code: string,
  c: Counts,
  suppress: boolean,
  hidden = new Set<string>(),
  medianMinutesToAcceptance: number | null = null,
): Figures {
  const cell = (key: string, n: number) => (suppress && (small(n) || hidden.has(key)) ? null : n);
  const due = cell('due', c.due);
  const visited = cell('visited', c.visited);
  // A percentage would give the small count back: null when either count, or the unvisited rest, is small.
  const unseen = suppress && small(c.due - c.visited);
  return {
    region: { code },
    children: cell('children', c.children),
    byCategory: [
      { category: 'LEFT_BEHIND', children: cell('leftBehind', c.leftBehind) },
      { category: 'IN_DISTRESS', children: cell('inDistress', c.inDistress) },
    ],
    byArrangement: ARRANGEMENTS.map((a) => ({ arrangement: a, children: cell(`arrangement:${a}`, c.arrangements[a]) })),
    bothParentsAway: cell('bothParentsAway', c.bothParentsAway),
    withoutHukou: cell('withoutHukou', c.withoutHukou),
    outOfSchool: cell('outOfSchool', c.outOfSchool),
    visits: {
      due,
      visited,
      percent:
        due === null || visited === null || unseen || c.due === 0 ? null : Math.round((c.visited / c.due) * 1000) / 10,
    },
    assistance: { reports: c.reports, workersCovered: c.workers, amount: toYuan(c.fen) },
    openConflicts: cell('openConflicts', c.openConflicts),
    openProtectionCases: cell('openCases', c.openCases),
    overdueTasks: c.overdueTasks,
    referralAnswers: {
      answered: c.referralsAnswered,
      onTime: c.referralsOnTime,
      percent: c.referralsAnswered ? Math.round((c.referralsOnTime / c.referralsAnswered) * 1000) / 10 : null,
    },
    medianMinutesToAcceptance,
  };
}

/** Active children registered before `end`, grouped by the first `len` digits of their village. */
const CHILDREN_SQL = (group: string) => `
  select ${group} as grp,
    count(*)::int as children,
    count(*) filter (where 'LEFT_BEHIND' = any(c.categories))::int as left_behind,
    count(*) filter (where 'IN_DISTRESS' = any(c.categories))::int as in_distress,
    count(*) filter (where gs.kind = 'PARENTS')::int as parents,
    count(*) filter (where gs.kind = 'ENTRUSTED')::int as entrusted,
    count(*) filter (where gs.kind = 'GOVERNMENT_TEMPORARY')::int as government_temporary,
    count(*) filter (where gs.kind is null)::int as none,
    count(*) filter (where pa.father_away and pa.mother_away)::int as both_parents_away,
    count(*) filter (where hr.registered = false)::int as without_hukou,
    count(*) filter (where en.status in ('DROPPED_OUT', 'SUSPENDED'))::int as out_of_school
  from registry.child c
  left join registry.guardianship gs on gs.child_id = c.id
  left join security.household_registration hr on hr.child_id = c.id
  left join education.enrolment en on en.child_id = c.id
  left join lateral (
    select bool_or(g.relation = 'FATHER' and g.working_away) as father_away,
           bool_or(g.relation = 'MOTHER' and g.working_away) as mother_away
      from registry.guardian g where g.child_id = c.id) pa on true
  where c.status = 'ACTIVE' and c.region_code like ? and c.region_code like ? and c.created_at < ?::date
  group by 1`;

/** Children with a care pairing in [start, end) and whether they had the visits it schedules. */
const VISITS_SQL = (group: string) => `
  select ${group} as grp, count(*)::int as due,
    count(*) filter (where coalesce(v.n, 0) >= case p.visit_frequency when 'WEEKLY' then 4 when 'FORTNIGHTLY' then 2 else 1 end)::int as visited
  from (select distinct on (cp.child_id) cp.child_id, cp.region_code, cp.visit_frequency
          from youth.care_pairing cp
         where cp.start_date < ?::date and (cp.end_date is null or cp.end_date >= ?::date)
           and cp.region_code like ? and cp.region_code like ?
         order by cp.child_id, cp.start_date desc) p
  left join (select ac.child_id, count(*)::int as n
               from youth.activity_child ac join youth.activity a on a.id = ac.activity_id
              where a.kind = 'COMPANIONSHIP_VISIT' and a.date >= ?::date and a.date < ?::date
                and ac.region_code like ?
              group by ac.child_id) v on v.child_id = p.child_id
  group by 1`;

const ASSISTANCE_SQL = (group: string) => `
  select ${group} as grp, count(*)::int as reports,
    coalesce(sum(cardinality(r.worker_ids)), 0)::int as workers,
    coalesce(sum(r.amount), 0)::numeric(16, 2)::text as amount
  from enterprise.assistance_report r
  where r.date >= ?::date and r.date < ?::date and r.region_code like ? and r.region_code like ?
  group by 1`;

/**
 * Protection casework by region: children with an open case, steps overdue at `now`, referral
 * answers given in [start, end) and whether by their deadline, and the median minutes from a
 * report received in [start, end) to its acceptance, per region and (grp null) for the whole.
 */
const CASEWORK_SQL = (len: number) => `
  with cases as (
    select left(region_code, ${len}) as grp,
      count(distinct child_id) filter (where status not in ('CLOSED', 'NOT_SUBSTANTIATED'))::int as open_cases,
      percentile_cont(0.5) within group (order by extract(epoch from accepted_at - received_at) / 60)
        filter (where received_at >= ?::date and received_at < ?::date and accepted_at is not null) as median_accept
      from casework.protection_case where region_code like ? and region_code like ?
     group by grouping sets ((1), ())),
  tasks as (
    select left(region_code, ${len}) as grp, count(*)::int as overdue
      from casework.task where done_at is null and due_at < ? and region_code like ? and region_code like ?
     group by 1),
  answers as (
    select left(region_code, ${len}) as grp, count(*)::int as answered,
           count(*) filter (where done_at <= due_at)::int as on_time
      from casework.task
     where step = 'ANSWER_REFERRAL' and done_at >= ?::date and done_at < ?::date
       and region_code like ? and region_code like ?
     group by 1)
  select coalesce(c.grp, t.grp, a.grp) as grp, c.grp is null and t.grp is null and a.grp is null as whole,
         coalesce(c.open_cases, 0) as open_cases, c.median_accept, coalesce(t.overdue, 0) as overdue,
         coalesce(a.answered, 0) as answered, coalesce(a.on_time, 0) as on_time
    from cases c full join tasks t on t.grp = c.grp full join answers a on a.grp = coalesce(c.grp, t.grp)`;

function countsFromRows(children: Row[], visits: Row[], assistance: Row[], conflicts: Row[]): Map<string, Counts> {
  const by = new Map<string, Counts>();
  const get = (k: unknown) => {
    const key = String(k);
    let c = by.get(key);
    if (!c) by.set(key, (c = emptyCounts()));
    return c;
  };
  for (const r of children) {
    const c = get(r.grp);
    c.children = num(r.children);
    c.leftBehind = num(r.left_behind);
    c.inDistress = num(r.in_distress);
    c.arrangements = {
      PARENTS: num(r.parents),
      ENTRUSTED: num(r.entrusted),
      GOVERNMENT_TEMPORARY: num(r.government_temporary),
      NONE: num(r.none),
    };
    c.bothParentsAway = num(r.both_parents_away);
    c.withoutHukou = num(r.without_hukou);
    c.outOfSchool = num(r.out_of_school);
  }
  for (const r of visits) Object.assign(get(r.grp), { due: num(r.due), visited: num(r.visited) });
  for (const r of assistance) {
    Object.assign(get(r.grp), { reports: num(r.reports), workers: num(r.workers), fen: toFen(r.amount) });
  }
  for (const r of conflicts) get(r.grp).openConflicts = num(r.n);
  return by;
}

export async function regionStatistics(ctx: HubContext, code: string, period: string) {
  checkRegion(ctx, code);
  const start = monthStart('period', period);
  const end = `${nextMonth(period)}-01`;
  const len = NEXT_LEVEL[code.length];
  const mine = jurisdictionPattern(ctx.em);
  const prefix = `${code}%`;
  const group = (col: string) => `left(${col}, ${len})`;
  const now = ctx.clock.now().toISOString();
  const [parts, children, visits, assistance, conflicts, conflictCounts, casework] = await Promise.all([
    code.length === 12
      ? Promise.resolve([])
      : query(ctx, `select code from reference.region where parent_code = ? order by code`, [code]),
    query(ctx, CHILDREN_SQL(group('c.region_code')), [prefix, mine, end]),
    query(ctx, VISITS_SQL(group('p.region_code')), [end, start, prefix, mine, start, end, prefix]),
    query(ctx, ASSISTANCE_SQL(group('r.region_code')), [start, end, prefix, mine]),
    query(
      ctx,
      `select ${group('region_code')} as grp, count(*)::int as n from supervision.conflict_task
        where status = 'OPEN' and region_code like ? and region_code like ? group by 1`,
      [prefix, mine],
    ),
    query(
      ctx,
      `select kind, owner, count(*)::int as open from supervision.conflict_task
        where status = 'OPEN' and region_code like ? and region_code like ? group by 1, 2 order by 1, 2`,
      [prefix, mine],
    ),
    query(ctx, CASEWORK_SQL(len), [start, end, prefix, mine, now, prefix, mine, start, end, prefix, mine]),
  ]);
  const counts = countsFromRows(children, visits, assistance, conflicts);
  const medians = new Map<string, number | null>();
  const minutes = (v: unknown) => (v == null ? null : Math.round(Number(v) * 10) / 10);
  for (const r of casework) {
    if (r.whole) {
      medians.set('', minutes(r.median_accept));
      continue;
    }
    const key = String(r.grp);
    let c = counts.get(key);
    if (!c) counts.set(key, (c = emptyCounts()));
    Object.assign(c, {
      openCases: num(r.open_cases),
      overdueTasks: num(r.overdue),
      referralsAnswered: num(r.answered),
      referralsOnTime: num(r.on_time),
    });
    medians.set(key, minutes(r.median_accept));
  }
  const suppress = ctx.principal.dept !== 'CIVIL_AFFAIRS';
  const total = emptyCounts();
  for (const c of counts.values()) add(total, c);
  const partCodes = code.length === 12 ? [] : parts.map((p) => String(p.code));
  // Rows under a code the reference does not list (should not happen) still count in the total.
  for (const k of counts.keys()) if (code.length !== 12 && !partCodes.includes(k)) partCodes.push(k);
  const hidden = secondary(partCodes.map((p) => [p, counts.get(p) ?? emptyCounts()]));
  const implementation = await ctx.em.findOne(
    ProvincialImplementationSchema,
    { regionCode: code.slice(0, 2) },
    { filters: { jurisdiction: false } },
  );
  return {
    region: { code },
    period,
    suppressed: suppress,
    total: present(code, total, suppress, undefined, medians.get('') ?? null),
    parts: partCodes
      .sort()
      .map((p) => present(p, counts.get(p) ?? emptyCounts(), suppress, hidden.get(p), medians.get(p) ?? null)),
    conflicts: conflictCounts.map((r) => ({
      kind: r.kind as ConflictKind,
      owner: String(r.owner),
      open: num(r.open),
    })),
    implementation,
  };
}

/** The region's figures per month: children registered by each month's end, visits and assistance in it. */
export async function statisticsTrend(ctx: HubContext, code: string, from: string, to: string) {
  checkRegion(ctx, code);
  const start = monthStart('from', from);
  monthStart('to', to);
  if (to < from) throw badInput('to', 'must not be before from');
  const months: string[] = [];
  for (let m = from; m <= to; m = nextMonth(m)) months.push(m);
  if (months.length > 36) throw badInput('to', 'at most 36 months');
  const end = `${nextMonth(to)}-01`;
  const mine = jurisdictionPattern(ctx.em);
  const prefix = `${code}%`;
  const month = (col: string) => `to_char(${col}, 'YYYY-MM')`;
  const [registered, visits, assistance] = await Promise.all([
    query(
      ctx,
      `select case when c.created_at < ?::date then '' else ${month('c.created_at')} end as grp,
              count(*)::int as children, count(*) filter (where 'LEFT_BEHIND' = any(c.categories))::int as left_behind
         from registry.child c
        where c.status = 'ACTIVE' and c.region_code like ? and c.region_code like ? and c.created_at < ?::date
        group by 1`,
      [start, prefix, mine, end],
    ),
    query(
      ctx,
      `with months as (select m::date as m, (m + interval '1 month')::date as n
                         from generate_series(?::date, ?::date, interval '1 month') m),
       due as (select distinct on (mo.m, cp.child_id) mo.m, mo.n, cp.child_id, cp.visit_frequency
                 from months mo join youth.care_pairing cp
                   on cp.start_date < mo.n and (cp.end_date is null or cp.end_date >= mo.m)
                where cp.region_code like ? and cp.region_code like ?
                order by mo.m, cp.child_id, cp.start_date desc),
       seen as (select date_trunc('month', a.date)::date as m, ac.child_id, count(*)::int as n
                  from youth.activity_child ac join youth.activity a on a.id = ac.activity_id
                 where a.kind = 'COMPANIONSHIP_VISIT' and a.date >= ?::date and a.date < ?::date and ac.region_code like ?
                 group by 1, 2)
       select ${month('d.m')} as grp, count(*)::int as due,
              count(*) filter (where coalesce(s.n, 0) >= case d.visit_frequency when 'WEEKLY' then 4 when 'FORTNIGHTLY' then 2 else 1 end)::int as visited
         from due d left join seen s on s.m = d.m and s.child_id = d.child_id
        group by 1`,
      [start, `${to}-01`, prefix, mine, start, end, prefix],
    ),
    query(ctx, ASSISTANCE_SQL(month('r.date')), [start, end, prefix, mine]),
  ]);
  const counts = countsFromRows([], visits, assistance, []);
  const suppress = ctx.principal.dept !== 'CIVIL_AFFAIRS';
  const added = new Map(registered.map((r) => [String(r.grp), r]));
  let children = num(added.get('')?.children);
  let leftBehind = num(added.get('')?.left_behind);
  return months.map((m) => {
    children += num(added.get(m)?.children);
    leftBehind += num(added.get(m)?.left_behind);
    const c = counts.get(m) ?? emptyCounts();
    const f = present(code, { ...c, children, leftBehind }, suppress);
    return {
      month: m,
      children: f.children,
      leftBehind: f.byCategory[0].children,
      visits: f.visits,
      assistance: f.assistance,
    };
  });
}
