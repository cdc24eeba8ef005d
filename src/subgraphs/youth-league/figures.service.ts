import { isSmall, num, regionFigures, rows, trendFigures, type Row, type Shown } from '../region-figures';

/**
 * The youth league's part of region statistics: children with a care pairing in the month, and
 * those visited as often as the pairing's schedule asks.
 */

/** Companionship visits in a month that a pairing's schedule asks for. */
const VISITS_ASKED = `case p.visit_frequency when 'WEEKLY' then 4 when 'FORTNIGHTLY' then 2 else 1 end`;

/** Children with a care pairing in [start, end) and whether they had the visits it schedules, by part and in all. */
const VISITS_SQL = (partLength: number) => `
  select left(p.region_code, ${partLength}) as grp, count(*)::int as due,
    count(*) filter (where coalesce(v.n, 0) >= ${VISITS_ASKED})::int as visited
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
  group by grouping sets ((1), ())`;

/** The same for each month from `start` to `end`. */
const MONTHLY_VISITS_SQL = `
  with months as (select m::date as m, (m + interval '1 month')::date as n
                    from generate_series(?::date, ?::date - interval '1 month', interval '1 month') m),
  p as (select distinct on (mo.m, cp.child_id) mo.m, cp.child_id, cp.visit_frequency
          from months mo join youth.care_pairing cp
            on cp.start_date < mo.n and (cp.end_date is null or cp.end_date >= mo.m)
         where cp.region_code like ? and cp.region_code like ?
         order by mo.m, cp.child_id, cp.start_date desc),
  seen as (select date_trunc('month', a.date)::date as m, ac.child_id, count(*)::int as n
             from youth.activity_child ac join youth.activity a on a.id = ac.activity_id
            where a.kind = 'COMPANIONSHIP_VISIT' and a.date >= ?::date and a.date < ?::date and ac.region_code like ?
            group by 1, 2)
  select to_char(p.m, 'YYYY-MM') as grp, count(*)::int as due,
         count(*) filter (where coalesce(s.n, 0) >= ${VISITS_ASKED})::int as visited
    from p left join seen s on s.m = p.m and s.child_id = p.child_id
   group by 1`;

const countsOf = (r: Row) => ({ due: num(r.due), visited: num(r.visited) });
type Counts = ReturnType<typeof countsOf>;

const visits = {
  countsOf,
  cells: { due: (c: Counts) => c.due, visited: (c: Counts) => c.visited },
  present: (c: Counts, shown: Shown, suppressed: boolean) => {
    const [due, visited] = [shown('due'), shown('visited')];
    // A percentage would give a small count back: none when a count, or the unvisited rest, is small.
    const unseen = suppressed && isSmall(c.due - c.visited);
    const percent =
      due === null || visited === null || unseen || c.due === 0 ? null : Math.round((c.visited / c.due) * 1000) / 10;
    return { visits: { due, visited, percent } };
  },
};

export const youthFigures = regionFigures({
  ...visits,
  sql: ({ partLength, prefix, mine, start, end }) => [
    VISITS_SQL(partLength),
    [end, start, prefix, mine, start, end, prefix],
  ],
});

export const youthTrend = trendFigures({
  ...visits,
  async count(ctx, { start, end, prefix, mine }) {
    const found = await rows(ctx, MONTHLY_VISITS_SQL, [start, end, prefix, mine, start, end, prefix]);
    return new Map(found.map((r) => [String(r.grp), countsOf(r)]));
  },
});
