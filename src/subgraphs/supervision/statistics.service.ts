import type { HubContext } from '../../context';
import { badInput } from '../../errors';
import { jurisdictionPattern } from '../../policy/jurisdiction';
import { childRegions } from '../../regions/region.service';
import {
  checkRegion,
  MAX_MONTHS,
  monthStart,
  nextMonth,
  num,
  regionFigures,
  rows,
  suppressedFor,
  type FiguresKey,
  type MonthKey,
} from '../region-figures';
import { ProvincialImplementationSchema, type ConflictKind } from './supervision.entity';

/**
 * Region statistics: supervision lays out the view (the region's total and the regions of the
 * level below, in code order) as `RegionFigures` references, and every department resolves the
 * figures it keeps through the graph (src/subgraphs/region-figures.ts). Supervision's own are
 * the open conflict tasks, beside the figures and by region.
 */

export async function regionStatistics(ctx: HubContext, code: string, period: string) {
  checkRegion(ctx, 'code', code);
  monthStart('period', period);
  const mine = jurisdictionPattern(ctx.em);
  const [parts, conflicts, implementation] = await Promise.all([
    childRegions(ctx.em, code),
    rows(
      ctx,
      `select kind, owner, count(*)::int as open from supervision.conflict_task
        where status = 'OPEN' and region_code like ? and region_code like ? group by 1, 2 order by 1, 2`,
      [`${code}%`, mine],
    ),
    ctx.em.findOne(
      ProvincialImplementationSchema,
      { regionCode: code.slice(0, 2) },
      { filters: { jurisdiction: false } },
    ),
  ]);
  const figures = (of: string): FiguresKey => ({ code: of, period, within: code });
  return {
    region: { code },
    period,
    suppressed: suppressedFor(ctx),
    total: figures(code),
    parts: parts.map((p) => figures(p.code)),
    conflicts: conflicts.map((r) => ({ kind: r.kind as ConflictKind, owner: String(r.owner), open: num(r.open) })),
    implementation,
  };
}

/** The region's months, `from` to `to`: each department contributes its figures of each. */
export function statisticsTrend(ctx: HubContext, code: string, from: string, to: string): MonthKey[] {
  checkRegion(ctx, 'code', code);
  monthStart('from', from);
  monthStart('to', to);
  if (to < from) throw badInput('to', 'must not be before from');
  const months: MonthKey[] = [];
  for (let m = from; m <= to; m = nextMonth(m)) {
    if (months.length === MAX_MONTHS) throw badInput('to', `at most ${MAX_MONTHS} months`);
    months.push({ code, month: m });
  }
  return months;
}

/** Supervision's own figure: open conflict tasks, by part and in all. */
export const supervisionFigures = regionFigures({
  sql: ({ partLength, prefix, mine }) => [
    `select left(region_code, ${partLength}) as grp, count(*)::int as open_conflicts from supervision.conflict_task
      where status = 'OPEN' and region_code like ? and region_code like ? group by grouping sets ((1), ())`,
    [prefix, mine],
  ],
  countsOf: (r) => ({ openConflicts: num(r.open_conflicts) }),
  cells: { openConflicts: (c) => c.openConflicts },
  present: (_, shown) => ({ openConflicts: shown('openConflicts') }),
});
