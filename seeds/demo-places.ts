import type { Queryable } from './bulk';

/** A demo child as the departments' seeds place their records: where the child lives. */
export interface DemoChild {
  id: string;
  /** The village. */
  region: string;
  categories: string[];
  careNeeds: string[];
}

/** The demo children and the names of their villages, townships and counties, read back in a fixed order. */
export async function demoPlaces(db: Queryable) {
  const { rows: children } = await db.query<DemoChild>(
    `select id, region_code as region, categories, care_needs as "careNeeds" from registry.child order by id`,
  );
  const codes = new Set(children.flatMap((c) => [c.region, c.region.slice(0, 9), c.region.slice(0, 6)]));
  const { rows } = await db.query<{ code: string; name: string }>(
    'select code, name from reference.region where code = any($1::text[])',
    [[...codes]],
  );
  const names = new Map(rows.map((r) => [r.code, r.name]));
  const byTownship = new Map<string, DemoChild[]>();
  for (const child of children) {
    const township = child.region.slice(0, 9);
    const list = byTownship.get(township);
    if (list) list.push(child);
    else byTownship.set(township, [child]);
  }
  return {
    children,
    /** Townships with demo children, in code order, with their children. */
    townships: [...byTownship.keys()].sort().map((code) => ({ code, children: byTownship.get(code)! })),
    name: (code: string) => names.get(code) ?? code,
  };
}

/** The date `days` days before `date` (YYYY-MM-DD). */
export function daysBefore(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}
