import type { Row } from '../../db/statement';

/** Runs one statement with `$n` parameters: in a request's or a feed's transaction, or the demo seed's. */
export type Run = (text: string, params: unknown[]) => Promise<Row[]>;

/**
 * Cross-department conflicts, found set-based over supervision's own tables: the facts the
 * departments publish (src/subgraphs/supervision/conflict-facts.ts). Each kind is one statement
 * that opens a task for every new conflict and one that resolves the tasks whose conflict is
 * gone. `scope` is a region prefix.
 */
const KINDS: { kind: string; owner: string; detail: string; children: string }[] = [
  {
    // Education records the child as dropped out while the census ledger has the child in school.
    kind: 'DROPPED_OUT_BUT_IN_SCHOOL',
    owner: 'EDUCATION',
    detail: `'Education records the child as DROPPED_OUT; the census ledger has the child in school'`,
    children: `select e.child_id, e.region_code from supervision.enrolment_fact e
                 join supervision.child_fact c on c.child_id = e.child_id
                where e.status = 'DROPPED_OUT' and c.schooling = 'IN_SCHOOL' and e.region_code like $1 || '%'`,
  },
  {
    kind: 'WITHOUT_HUKOU',
    owner: 'PUBLIC_SECURITY',
    detail: `'A child in the registry has no household registration (hukou)'`,
    children: `select c.child_id, c.region_code from supervision.household_fact h
                 join supervision.child_fact c on c.child_id = h.child_id
                where not h.registered and c.active and h.region_code like $1 || '%'`,
  },
  {
    // Every custodian works away and nobody is entrusted with the child's care.
    kind: 'CUSTODIAN_AWAY_WITHOUT_ENTRUSTED_GUARDIAN',
    owner: 'CIVIL_AFFAIRS',
    detail: `'Every custodian is recorded as working away and no entrusted guardian is named'`,
    children: `select child_id, region_code from supervision.child_fact
                where active and away_without_entrusted and region_code like $1 || '%'`,
  },
  {
    // The registry's categories contradict the rules of src/domain/categories.ts (records kept or
    // imported before the rules, or a 16th birthday the daily run has not reached yet).
    kind: 'CATEGORY_CONTRADICTS_RULES',
    owner: 'CIVIL_AFFAIRS',
    detail: `'The child''s categories contradict the rules of the 2016 opinions (国发〔2016〕13号, 36号): '
             || (select array_to_string(category_breaches, ', ') from supervision.child_fact x where x.child_id = f.child_id)`,
    children: `select child_id, region_code from supervision.child_fact
                where active and cardinality(category_breaches) > 0 and region_code like $1 || '%'`,
  },
  {
    // The same person (by the keyed hash of the identity number) is custodian of children living in two counties.
    kind: 'CUSTODIAN_IN_TWO_COUNTIES',
    owner: 'CIVIL_AFFAIRS',
    detail: `'A custodian of this child is also recorded as custodian of a child in another county'`,
    children: `select distinct g.child_id, g.region_code from supervision.custodian_fact g
                 join (select id_hash from supervision.custodian_fact
                        where id_hash in (select id_hash from supervision.custodian_fact where region_code like $1 || '%')
                        group by id_hash having count(distinct left(region_code, 6)) > 1) two
                   on two.id_hash = g.id_hash
                where g.region_code like $1 || '%'`,
  },
];

export interface DetectionResult {
  opened: number;
  resolved: number;
}

export async function detectConflicts(run: Run, scope: string): Promise<DetectionResult> {
  let opened = 0;
  let resolved = 0;
  for (const k of KINDS) {
    const [open] = await run(
      `with opened as (
         insert into supervision.conflict_task (kind, child_id, region_code, owner, detail, status, detected_at)
         select '${k.kind}', f.child_id, f.region_code, '${k.owner}', ${k.detail}, 'OPEN', now()
           from (${k.children}) f
         on conflict (kind, child_id) where status = 'OPEN' do nothing
         returning 1)
       select count(*)::int as n from opened`,
      [scope],
    );
    const [closed] = await run(
      `with closed as (
         update supervision.conflict_task t set status = 'RESOLVED', resolved_at = now()
          where t.kind = '${k.kind}' and t.status = 'OPEN' and t.region_code like $1 || '%'
            and not exists (select 1 from (${k.children}) f where f.child_id = t.child_id)
         returning 1)
       select count(*)::int as n from closed`,
      [scope],
    );
    opened += Number(open.n);
    resolved += Number(closed.n);
  }
  return { opened, resolved };
}
