import { num, regionFigures, type Row } from '../region-figures';

/**
 * Public security's part of region statistics: the children it records without household
 * registration, as its records stand now, by the region of its record (which follows the child's
 * moves).
 */
const WITHOUT_HUKOU_SQL = (partLength: number) => `
  select left(h.region_code, ${partLength}) as grp, count(*)::int as without_hukou
    from security.household_registration h
   where not h.registered and h.region_code like ? and h.region_code like ?
   group by grouping sets ((1), ())`;

const countsOf = (r: Row) => ({ withoutHukou: num(r.without_hukou) });

export const securityFigures = regionFigures({
  sql: ({ partLength, prefix, mine }) => [WITHOUT_HUKOU_SQL(partLength), [prefix, mine]],
  countsOf,
  cells: { withoutHukou: (c: ReturnType<typeof countsOf>) => c.withoutHukou },
  present: (_, shown) => ({ withoutHukou: shown('withoutHukou') }),
});
