import { num, regionFigures, rows, trendFigures, type Row } from '../region-figures';

/**
 * The registry's part of region statistics: the active children registered by the end of the
 * month, by category and care arrangement, and those whose parents both work away.
 */

const ARRANGEMENTS = ['PARENTS', 'ENTRUSTED', 'GOVERNMENT_TEMPORARY', 'NONE'] as const;

/** Active children registered before the period's end, by the first `partLength` digits of their village, and in all. */
const CHILDREN_SQL = (partLength: number) => `
  select left(c.region_code, ${partLength}) as grp,
    count(*)::int as children,
    count(*) filter (where 'LEFT_BEHIND' = any(c.categories))::int as left_behind,
    count(*) filter (where 'IN_DISTRESS' = any(c.categories))::int as in_distress,
    count(*) filter (where gs.kind = 'PARENTS')::int as parents,
    count(*) filter (where gs.kind = 'ENTRUSTED')::int as entrusted,
    count(*) filter (where gs.kind = 'GOVERNMENT_TEMPORARY')::int as government_temporary,
    count(*) filter (where gs.kind is null)::int as none,
    count(*) filter (where pa.father_away and pa.mother_away)::int as both_parents_away
  from registry.child c
  left join registry.guardianship gs on gs.child_id = c.id
  left join lateral (
    select bool_or(g.relation = 'FATHER' and g.working_away) as father_away,
           bool_or(g.relation = 'MOTHER' and g.working_away) as mother_away
      from registry.guardian g where g.child_id = c.id) pa on true
  where c.status = 'ACTIVE' and c.region_code like ? and c.region_code like ? and c.created_at < ?::date
  group by grouping sets ((1), ())`;

const countsOf = (r: Row) => ({
  children: num(r.children),
  leftBehind: num(r.left_behind),
  inDistress: num(r.in_distress),
  arrangements: {
    PARENTS: num(r.parents),
    ENTRUSTED: num(r.entrusted),
    GOVERNMENT_TEMPORARY: num(r.government_temporary),
    NONE: num(r.none),
  },
  bothParentsAway: num(r.both_parents_away),
});
type Counts = ReturnType<typeof countsOf>;

export const registryFigures = regionFigures({
  sql: ({ partLength, prefix, mine, end }) => [CHILDREN_SQL(partLength), [prefix, mine, end]],
  countsOf,
  cells: {
    children: (c: Counts) => c.children,
    leftBehind: (c: Counts) => c.leftBehind,
    inDistress: (c: Counts) => c.inDistress,
    ...Object.fromEntries(ARRANGEMENTS.map((a) => [`arrangement:${a}`, (c: Counts) => c.arrangements[a]])),
    bothParentsAway: (c: Counts) => c.bothParentsAway,
  },
  present: (_, shown) => ({
    children: shown('children'),
    byCategory: [
      { category: 'LEFT_BEHIND' as const, children: shown('leftBehind') },
      { category: 'IN_DISTRESS' as const, children: shown('inDistress') },
    ],
    byArrangement: ARRANGEMENTS.map((arrangement) => ({ arrangement, children: shown(`arrangement:${arrangement}`) })),
    bothParentsAway: shown('bothParentsAway'),
  }),
});

/** Children registered before the first month (grp ''), then those registered in each month (grp YYYY-MM). */
const REGISTERED_SQL = `
  select case when c.created_at < ?::date then '' else to_char(c.created_at, 'YYYY-MM') end as grp,
         count(*)::int as children, count(*) filter (where 'LEFT_BEHIND' = any(c.categories))::int as left_behind
    from registry.child c
   where c.status = 'ACTIVE' and c.region_code like ? and c.region_code like ? and c.created_at < ?::date
   group by 1`;

/** The trend's stock figures: the active children registered by each month's end. */
export const registryTrend = trendFigures({
  async count(ctx, { months, start, end, prefix, mine }) {
    const added = new Map((await rows(ctx, REGISTERED_SQL, [start, prefix, mine, end])).map((r) => [r.grp, r]));
    let children = num(added.get('')?.children);
    let leftBehind = num(added.get('')?.left_behind);
    return new Map(
      months.map((m) => {
        children += num(added.get(m)?.children);
        leftBehind += num(added.get(m)?.left_behind);
        return [m, { children, leftBehind }];
      }),
    );
  },
  countsOf: (r) => ({ children: num(r.children), leftBehind: num(r.leftBehind) }),
  cells: { children: (c) => c.children, leftBehind: (c) => c.leftBehind },
  present: (_, shown) => ({ children: shown('children'), leftBehind: shown('leftBehind') }),
});
