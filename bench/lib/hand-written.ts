import { randomUUID } from 'node:crypto';
import express from 'express';
import { actorOf, EventWriter } from '../../src/audit/audit-log';
import { numbered } from '../../src/db/statement';
import type { Pool } from 'pg';
import type { Principal } from '../../src/auth/principal';
import type { VerifyToken } from '../../src/auth/verifier';
import { accessOf, FIELD_ACCESS } from '../../src/policy/field-access';
import { MASKS } from '../../src/policy/masks';

/**
 * The baselines: what a careful developer would write by hand for exactly the benchmark's two
 * operations, in the same process as the hub. Express + pg, the same token check, the same
 * jurisdiction prefix and masking, and one SQL statement building the whole JSON answer.
 */

/** The purpose every benchmark request declares (X-Purpose): day-to-day case work. */
export const PURPOSE = 'CASE_WORK';

/** The 360° view of one child: registry, education, public security and casework. */
export const CHILD_QUERY = `query Child($id: ID!) {
  child(id: $id) {
    id name idNumber birthDate
    residenceRegion { code name }
    guardians { relation name phone }
    guardianship { kind }
    enrolment { schoolName grade status }
    householdRegistration { registered hukouNumber }
    protectionCases { concernType urgency status receivedAt }
  }
}`;

/** A county's list page: children with their guardians, enrolment and cases. */
export const PAGE_QUERY = `query Page($first: Int!, $after: String) {
  children(first: $first, after: $after) {
    edges { node {
      id name
      guardians { relation name phone }
      enrolment { schoolName grade status }
      protectionCases { status }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** The fields CHILD_QUERY and PAGE_QUERY read, as the permission table names them. */
export const FIELDS_READ = [
  'Query.child',
  'Query.children',
  'Child.id',
  'Child.name',
  'Child.idNumber',
  'Child.birthDate',
  'Child.residenceRegion',
  'Region.code',
  'Region.name',
  'Child.guardians',
  'Guardian.relation',
  'Guardian.name',
  'Guardian.phone',
  'Child.guardianship',
  'Guardianship.kind',
  'Child.enrolment',
  'Enrolment.schoolName',
  'Enrolment.grade',
  'Enrolment.status',
  'Child.householdRegistration',
  'HouseholdRegistration.registered',
  'HouseholdRegistration.hukouNumber',
  'Child.protectionCases',
  'ProtectionCase.concernType',
  'ProtectionCase.urgency',
  'ProtectionCase.status',
  'ProtectionCase.receivedAt',
];

const INSTANT = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/**
 * `$1` the child, `$2` the jurisdiction prefix, `$3` how many digits of the residence code the
 * caller may see (12, or 9 when it is masked down to the township). Every table is scoped.
 */
const CHILD_SQL = `
  select c.id, c.name, c.id_number as "idNumber", to_char(c.birth_date, 'YYYY-MM-DD') as "birthDate",
         json_build_object('code', r.code, 'name', r.name) as "residenceRegion",
         coalesce((select json_agg(json_build_object('relation', g.relation, 'name', g.name, 'phone', g.phone)
                                   order by g.created_at, g.id)
                     from registry.guardian g where g.child_id = c.id and g.region_code like $2), '[]') as guardians,
         (select json_build_object('kind', s.kind)
            from registry.guardianship s where s.child_id = c.id and s.region_code like $2) as guardianship,
         (select json_build_object('schoolName', k.name, 'grade', e.grade, 'status', e.status)
            from education.enrolment e join education.school k on k.code = e.school_code
           where e.child_id = c.id and e.region_code like $2) as enrolment,
         (select json_build_object('registered', h.registered, 'hukouNumber', h.hukou_number)
            from security.household_registration h
           where h.child_id = c.id and h.region_code like $2) as "householdRegistration",
         coalesce((select json_agg(json_build_object('concernType', p.concern_type, 'urgency', p.urgency,
                                                     'status', p.status,
                                                     'receivedAt', to_char(p.received_at at time zone 'UTC', ${INSTANT}))
                                   order by p.received_at desc)
                     from casework.protection_case p where p.child_id = c.id and p.region_code like $2), '[]') as "protectionCases"
    from registry.child c join reference.region r on r.code = left(c.region_code, $3)
   where c.id = $1 and c.region_code like $2`;

/**
 * `$1` the jurisdiction's pattern, `$2` the page size, `$3`/`$4` the cursor's village and id (the
 * jurisdiction's code and the smallest id for the first page), `$5` the first code after the
 * jurisdiction's. One more row than asked tells whether there is a next page. The cursor and the
 * bound are index conditions, so the scan starts at the cursor and stops at the jurisdiction's
 * end whatever plan PostgreSQL keeps for the prepared statement: with the pattern alone, a
 * generic plan cannot narrow the index by it and read the country from its start (half a second a
 * page at 1,000,000 children).
 */
const PAGE_SQL = `
  select c.id, c.name, c.region_code as "regionCode",
         coalesce((select json_agg(json_build_object('relation', g.relation, 'name', g.name, 'phone', g.phone)
                                   order by g.created_at, g.id)
                     from registry.guardian g where g.child_id = c.id and g.region_code like $1), '[]') as guardians,
         (select json_build_object('schoolName', k.name, 'grade', e.grade, 'status', e.status)
            from education.enrolment e join education.school k on k.code = e.school_code
           where e.child_id = c.id and e.region_code like $1) as enrolment,
         coalesce((select json_agg(json_build_object('status', p.status) order by p.received_at desc)
                     from casework.protection_case p where p.child_id = c.id and p.region_code like $1), '[]') as "protectionCases"
    from registry.child c
   where c.region_code like $1
     and (c.region_code, c.id) > ($3, $4::uuid)
     and c.region_code < $5
   order by c.region_code, c.id
   limit $2 + 1`;

const FIRST_ID = '00000000-0000-0000-0000-000000000000';
/** The first region code after every code starting with `prefix` (codes compare byte by byte). */
const codesAfter = (prefix: string) =>
  prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const access = (field: string, p: Pick<Principal, 'dept' | 'roles'>) => accessOf(FIELD_ACCESS[field], p.dept, p.roles);
const cursor = (row: { regionCode: string; id: string }) =>
  Buffer.from(`${row.regionCode}:${row.id}`).toString('base64url');

type Guardian = { phone: unknown };
interface PageRow {
  id: string;
  name: string;
  regionCode: string;
  guardians: Guardian[];
  enrolment: unknown;
  protectionCases: unknown[];
}

/**
 * With `audited`, each child read also appends the READ event the hub writes for it (same
 * writer, same chain), so the comparison can be made with the audit the hub must keep.
 */
export function handWrittenApp(pool: Pool, verifyToken: VerifyToken, audited = false) {
  // The registry's chain, where the hub records the reads of the child's record.
  const writer = new EventWriter((sql, params) => pool.query(numbered(sql), params), 'registry');
  const app = express();
  app.disable('x-powered-by');
  app.post('/graphql', express.json(), async (req, res) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    let principal: Principal;
    try {
      principal = await verifyToken(match?.[1] ?? '');
    } catch {
      res.status(401).json({ errors: [{ message: 'Invalid token', extensions: { code: 'UNAUTHENTICATED' } }] });
      return;
    }
    const masked = (field: string) => access(field, principal) === 'masked';
    const maskPhones = (guardians: Guardian[]) => {
      if (masked('Guardian.phone')) for (const g of guardians) g.phone = MASKS.phone(g.phone);
    };
    const variables = req.body?.variables ?? {};
    const pattern = `${principal.region}%`;
    try {
      if (req.body?.query === CHILD_QUERY) {
        if (access('Query.child', principal) === 'none') return res.json({ data: { child: null } });
        if (typeof variables.id !== 'string' || !UUID.test(variables.id)) return res.json({ data: { child: null } });
        const digits = masked('Child.residenceRegion') ? 9 : 12;
        const { rows } = await pool.query({ name: 'child', text: CHILD_SQL, values: [variables.id, pattern, digits] });
        const child = rows[0] ?? null;
        if (child && masked('Child.idNumber')) child.idNumber = MASKS.idNumber(child.idNumber);
        if (child) maskPhones(child.guardians);
        if (child && audited) {
          await writer.append({
            at: new Date().toISOString(),
            kind: 'READ',
            actor: actorOf(principal),
            purpose: PURPOSE,
            requestId: randomUUID(),
            operation: 'query Child',
            children: [child.id],
            fields: FIELDS_READ.filter((f) => !f.startsWith('Query.') && !f.startsWith('Region.')).sort(),
            changes: [],
          });
        }
        return res.json({ data: { child } });
      }
      if (req.body?.query === PAGE_QUERY) {
        if (access('Query.children', principal) === 'none') return res.json({ data: { children: null } });
        const first = Number(variables.first);
        const [village, id] = variables.after
          ? Buffer.from(String(variables.after), 'base64url').toString().split(':')
          : [principal.region, FIRST_ID];
        const { rows } = await pool.query<PageRow>({
          name: 'page',
          text: PAGE_SQL,
          values: [pattern, first, village, id, codesAfter(principal.region)],
        });
        const nodes = rows.slice(0, first);
        for (const node of nodes) maskPhones(node.guardians);
        const last = nodes[nodes.length - 1];
        return res.json({
          data: {
            children: {
              edges: nodes.map(({ id, name, guardians, enrolment, protectionCases }) => ({
                node: { id, name, guardians, enrolment, protectionCases },
              })),
              pageInfo: { hasNextPage: rows.length > first, endCursor: last ? cursor(last) : null },
            },
          },
        });
      }
      res.status(400).json({ errors: [{ message: 'This endpoint answers the benchmark operations only' }] });
    } catch {
      res.status(500).json({ errors: [{ message: 'Internal server error' }] });
    }
  });
  return app;
}
