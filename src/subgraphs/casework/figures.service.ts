import { num, regionFigures, type Row } from '../region-figures';

/**
 * Casework's part of region statistics: children with an open case, steps overdue now, referral
 * answers given in the period and whether by their deadline, and the median minutes from a
 * report received in the period to its acceptance. Each count is made by part and for the whole
 * (grp null); the outer grouping brings a part's rows of the three counts together (and the
 * whole's: GROUP BY puts nulls together).
 */
const CASEWORK_SQL = (partLength: number) => `
  select grp, sum(open_cases)::int as open_cases, max(median_accept) as median_accept,
         sum(overdue)::int as overdue, sum(answered)::int as answered, sum(on_time)::int as on_time
    from (
      select left(region_code, ${partLength}) as grp,
        count(distinct child_id) filter (where status not in ('CLOSED', 'NOT_SUBSTANTIATED'))::int as open_cases,
        percentile_cont(0.5) within group (order by extract(epoch from accepted_at - received_at) / 60)
          filter (where received_at >= ?::date and received_at < ?::date and accepted_at is not null) as median_accept,
        0 as overdue, 0 as answered, 0 as on_time
        from casework.protection_case where region_code like ? and region_code like ?
       group by grouping sets ((1), ())
      union all
      select left(region_code, ${partLength}), 0, null, count(*)::int, 0, 0
        from casework.task where done_at is null and due_at < ? and region_code like ? and region_code like ?
       group by grouping sets ((1), ())
      union all
      select left(region_code, ${partLength}), 0, null, 0, count(*)::int, count(*) filter (where done_at <= due_at)::int
        from casework.task
       where step = 'ANSWER_REFERRAL' and done_at >= ?::date and done_at < ?::date
         and region_code like ? and region_code like ?
       group by grouping sets ((1), ())
    ) figures
   group by grp`;

const countsOf = (r: Row) => ({
  openCases: num(r.open_cases),
  overdueTasks: num(r.overdue),
  answered: num(r.answered),
  onTime: num(r.on_time),
  medianMinutesToAcceptance: r.median_accept == null ? null : Math.round(Number(r.median_accept) * 10) / 10,
});
type Counts = ReturnType<typeof countsOf>;

export const caseworkFigures = regionFigures({
  sql: ({ partLength, start, end, prefix, mine }, ctx) => [
    CASEWORK_SQL(partLength),
    [start, end, prefix, mine, ctx.clock.now().toISOString(), prefix, mine, start, end, prefix, mine],
  ],
  countsOf,
  cells: { openCases: (c: Counts) => c.openCases },
  present: (c, shown) => ({
    openProtectionCases: shown('openCases'),
    overdueTasks: c.overdueTasks,
    referralAnswers: {
      answered: c.answered,
      onTime: c.onTime,
      percent: c.answered ? Math.round((c.onTime / c.answered) * 1000) / 10 : null,
    },
    medianMinutesToAcceptance: c.medianMinutesToAcceptance,
  }),
});
