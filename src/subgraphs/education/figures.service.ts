import { num, regionFigures, type Row } from '../region-figures';

/**
 * Education's part of region statistics: children whose current enrolment, in effect by the end
 * of the month, is dropped out or suspended, by the region of its record (which follows the
 * child's moves).
 */
const OUT_OF_SCHOOL_SQL = (partLength: number) => `
  select left(e.region_code, ${partLength}) as grp, count(*)::int as out_of_school
    from education.enrolment e
   where e.status in ('DROPPED_OUT', 'SUSPENDED') and e.since < ?::date
     and e.region_code like ? and e.region_code like ?
   group by grouping sets ((1), ())`;

const countsOf = (r: Row) => ({ outOfSchool: num(r.out_of_school) });

export const educationFigures = regionFigures({
  sql: ({ partLength, end, prefix, mine }) => [OUT_OF_SCHOOL_SQL(partLength), [end, prefix, mine]],
  countsOf,
  cells: { outOfSchool: (c: ReturnType<typeof countsOf>) => c.outOfSchool },
  present: (_, shown) => ({ outOfSchool: shown('outOfSchool') }),
});
