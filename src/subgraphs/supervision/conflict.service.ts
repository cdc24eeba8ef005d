import type { PoolClient } from 'pg';

/**
 * Cross-department conflicts, found set-based over the departments' tables (a reporting read
 * model: read-only aggregate queries across schemas, never a write to another department's
 * table). Each kind is one statement that opens a task for every new conflict and one that
 * resolves the tasks whose conflict is gone. `scope` is a region prefix.
 */
const KINDS: { kind: string; owner: string; detail: string; children: string }[] = [
  {
    // Education records the child as dropped out while the census ledger has the child in school.
    kind: 'DROPPED_OUT_BUT_IN_SCHOOL',
    owner: 'EDUCATION',
    detail: `'Education records the child as DROPPED_OUT; the census ledger has the child in school'`,
    children: `select e.child_id, e.region_code from education.enrolment e
                 join supervision.ledger_entry l on l.child_id = e.child_id
                where e.status = 'DROPPED_OUT' and l.schooling = 'IN_SCHOOL' and e.region_code like $1 || '%'`,
  },
  {
    kind: 'WITHOUT_HUKOU',
    owner: 'PUBLIC_SECURITY',
    detail: `'A child in the registry has no household registration (hukou)'`,
    children: `select c.id as child_id, c.region_code from registry.child c
                 join security.household_registration h on h.child_id = c.id
                where c.status = 'ACTIVE' and not h.registered and c.region_code like $1 || '%'`,
  },
  {
    // Every custodian works away and nobody is entrusted with the child's care.
    kind: 'CUSTODIAN_AWAY_WITHOUT_ENTRUSTED_GUARDIAN',
    owner: 'CIVIL_AFFAIRS',
    detail: `'Every custodian is recorded as working away and no entrusted guardian is named'`,
    children: `select c.id as child_id, c.region_code from registry.child c
                 join (select child_id from registry.guardian where custodian and region_code like $1 || '%'
                        group by child_id having bool_and(working_away)) away on away.child_id = c.id
                 left join registry.guardianship gs on gs.child_id = c.id
                where c.status = 'ACTIVE' and c.region_code like $1 || '%'
                  and gs.entrusted_guardian_id is null and coalesce(gs.kind, '') <> 'GOVERNMENT_TEMPORARY'`,
  },
  {
    // The same person (by identity number) is custodian of children living in two counties.
    kind: 'CUSTODIAN_IN_TWO_COUNTIES',
    owner: 'CIVIL_AFFAIRS',
    detail: `'A custodian of this child is also recorded as custodian of a child in another county'`,
    children: `select distinct g.child_id, g.region_code from registry.guardian g
                 join (select id_number from registry.guardian
                        where custodian and id_number in (select id_number from registry.guardian
                                                           where custodian and id_number is not null and region_code like $1 || '%')
                        group by id_number having count(distinct left(region_code, 6)) > 1) two
                   on two.id_number = g.id_number
                where g.custodian and g.region_code like $1 || '%'`,
  },
];

export interface DetectionResult {
  opened: number;
  resolved: number;
}

export async function detectConflicts(client: Pick<PoolClient, 'query'>, scope: string): Promise<DetectionResult> {
  let opened = 0;
  let resolved = 0;
  for (const k of KINDS) {
    const open = await client.query(
      `insert into supervision.conflict_task (kind, child_id, region_code, owner, detail, status, detected_at)
       select '${k.kind}', f.child_id, f.region_code, '${k.owner}', ${k.detail}, 'OPEN', now()
         from (${k.children}) f
       on conflict (kind, child_id) where status = 'OPEN' do nothing`,
      [scope],
    );
    const closed = await client.query(
      `update supervision.conflict_task t set status = 'RESOLVED', resolved_at = now()
        where t.kind = '${k.kind}' and t.status = 'OPEN' and t.region_code like $1 || '%'
          and not exists (select 1 from (${k.children}) f where f.child_id = t.child_id)`,
      [scope],
    );
    opened += open.rowCount ?? 0;
    resolved += closed.rowCount ?? 0;
  }
  return { opened, resolved };
}
