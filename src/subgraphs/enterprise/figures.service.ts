import { num, regionFigures, rows, trendFigures, type Row } from '../region-figures';

/** Enterprises' part of region statistics: assistance reports dated in the period, by the enterprise's region. */

const ASSISTANCE_SQL = (group: string, sets: string) => `
  select ${group} as grp, count(*)::int as reports,
    coalesce(sum(cardinality(r.worker_ids)), 0)::int as workers,
    coalesce(sum(r.amount), 0)::numeric(16, 2)::text as amount
  from enterprise.assistance_report r
  where r.date >= ?::date and r.date < ?::date and r.region_code like ? and r.region_code like ?
  group by ${sets}`;

const countsOf = (r: Row) => ({
  assistance: { reports: num(r.reports), workersCovered: num(r.workers), amount: String(r.amount ?? '0.00') },
});

/** No count of children among them: nothing to suppress. */
const assistance = { countsOf, cells: {}, present: (c: ReturnType<typeof countsOf>) => c };

export const enterpriseFigures = regionFigures({
  ...assistance,
  sql: ({ partLength, start, end, prefix, mine }) => [
    ASSISTANCE_SQL(`left(r.region_code, ${partLength})`, 'grouping sets ((1), ())'),
    [start, end, prefix, mine],
  ],
});

export const enterpriseTrend = trendFigures({
  ...assistance,
  async count(ctx, { start, end, prefix, mine }) {
    const found = await rows(ctx, ASSISTANCE_SQL(`to_char(r.date, 'YYYY-MM')`, '1'), [start, end, prefix, mine]);
    return new Map(found.map((r) => [String(r.grp), countsOf(r)]));
  },
});
