import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import type { ExecutionResult } from 'graphql';
import type { PoolClient } from 'pg';
import { actorOf, appendEvent } from '../../audit/audit-log';
import { to as copyTo } from 'pg-copy-streams';
import type { Principal } from '../../auth/principal';
import type { HubContext } from '../../context';
import { withClient } from '../../db/client';
import { excel } from '../../files/table-file';
import { badInput, forbidden } from '../../errors';
import { accessOf, FIELD_ACCESS, type Access } from '../../policy/field-access';
import type { MaskName } from '../../policy/masks';
import { isPurpose, purposeAllows } from '../../policy/purposes';
import { isWithin, REGION_CODE_PATTERN } from '../../regions/region-code';
import { LEDGER_COLUMNS, type LedgerColumn } from './census-ledger';
import type { LedgerFormat } from './ledger-file';

/**
 * Each ledger column, the SQL that reads it, and the fields of the graph it shows: a column is
 * shown as the least of their grants for the caller (and the purpose), masked by the same masks.
 * Schooling is the ledger's where a ledger row was taken in; for other children it is education's
 * enrolment (`e`), asked of education through the graph (see `askEducation`).
 */
const SOURCES: Record<LedgerColumn, { sql: string; fields: string[] }> = {
  name: { sql: 'c.name', fields: ['Child.name'] },
  id_number: { sql: 'c.id_number', fields: ['Child.idNumber'] },
  gender: { sql: 'c.gender', fields: ['Child.gender'] },
  birth_date: { sql: `to_char(c.birth_date, 'YYYY-MM-DD')`, fields: ['Child.birthDate'] },
  categories: { sql: `array_to_string(c.categories, ';')`, fields: ['Child.categories'] },
  distress_reasons: { sql: `array_to_string(c.distress_reasons, ';')`, fields: ['Child.distressReasons'] },
  residence_region: { sql: 'c.region_code', fields: ['Child.residenceRegion'] },
  household_region: { sql: 'c.household_region_code', fields: ['Child.householdRegion'] },
  household_type: { sql: 'c.household_type', fields: ['Child.householdType'] },
  ...parent('father', 'f'),
  ...parent('mother', 'm'),
  guardianship: { sql: 'gs.kind', fields: ['Child.guardianship', 'Guardianship.kind'] },
  guardianship_since: { sql: `to_char(gs.since, 'YYYY-MM-DD')`, fields: ['Child.guardianship', 'Guardianship.since'] },
  entrusted_name: { sql: 'eg.name', fields: ['Child.guardianship', 'Guardianship.entrustedGuardian', 'Guardian.name'] },
  entrusted_relation: {
    sql: 'eg.relation',
    fields: ['Child.guardianship', 'Guardianship.entrustedGuardian', 'Guardian.relation'],
  },
  entrusted_id_number: {
    sql: 'eg.id_number',
    fields: ['Child.guardianship', 'Guardianship.entrustedGuardian', 'Guardian.idNumber'],
  },
  entrusted_phone: {
    sql: 'eg.phone',
    fields: ['Child.guardianship', 'Guardianship.entrustedGuardian', 'Guardian.phone'],
  },
  agency: { sql: 'gs.agency', fields: ['Child.guardianship', 'Guardianship.agency'] },
  schooling: {
    sql: `coalesce(l.schooling, case when e.status = 'ENROLLED' then 'IN_SCHOOL' when e.status is not null then 'NOT_IN_SCHOOL' end)`,
    fields: ['Child.enrolment'],
  },
  school_name: {
    sql: `case when l.child_id is not null then l.school_name when e.status = 'ENROLLED' then e.school_name end`,
    fields: ['Child.enrolment'],
  },
};

function parent(prefix: 'father' | 'mother', alias: string) {
  const g = ['Child.guardians'];
  return {
    [`${prefix}_name`]: { sql: `${alias}.name`, fields: [...g, 'Guardian.name'] },
    [`${prefix}_id_number`]: { sql: `${alias}.id_number`, fields: [...g, 'Guardian.idNumber'] },
    [`${prefix}_phone`]: { sql: `${alias}.phone`, fields: [...g, 'Guardian.phone'] },
    [`${prefix}_working_away`]: {
      sql: `case when ${alias}.id is null then null when ${alias}.working_away then 'Y' else 'N' end`,
      fields: [...g, 'Guardian.workingAway'],
    },
    [`${prefix}_work_region`]: { sql: `${alias}.work_region_code`, fields: [...g, 'Guardian.workRegion'] },
    [`${prefix}_employer`]: { sql: `${alias}.employer`, fields: [...g, 'Guardian.employer'] },
    [`${prefix}_capacity`]: { sql: `${alias}.guardianship_capacity`, fields: [...g, 'Guardian.guardianshipCapacity'] },
    [`${prefix}_incapacity_reason`]: { sql: `${alias}.incapacity_reason`, fields: [...g, 'Guardian.incapacityReason'] },
  } as Record<Extract<LedgerColumn, `${typeof prefix}_${string}`>, { sql: string; fields: string[] }>;
}

/** The masks of src/policy/masks.ts, in SQL, so that a county's rows stream straight from COPY. */
export const SQL_MASKS: Record<MaskName, (x: string) => string> = {
  idNumber: (x) => `left(${x}, 6) || '********' || substr(${x}, 15)`,
  phone: (x) =>
    `case when length(${x}) > 7 then left(${x}, 3) || '****' || right(${x}, 4) when ${x} <> '' then '****' else ${x} end`,
  name: (x) => `case when ${x} <> '' then left(${x}, 1) || '**' else ${x} end`,
  township: (x) => `left(${x}, 9)`,
  withheld: (x) => `case when ${x} is null then null else '[withheld]' end`,
};

const RANK: Record<Access, number> = { none: 0, masked: 1, full: 2 };

export interface ExportColumn {
  column: LedgerColumn;
  access: Access;
  sql: string;
}

/** What the caller sees of each column, under the declared purpose. */
export function exportColumns(principal: Principal, purpose: string | null): ExportColumn[] {
  return LEDGER_COLUMNS.map((column) => {
    const source = SOURCES[column];
    let access: Access = 'full';
    let mask: MaskName | undefined;
    for (const key of source.fields) {
      const rule = FIELD_ACCESS[key];
      const granted = purposeAllows(rule, purpose) ? accessOf(rule, principal.dept, principal.roles) : 'none';
      if (RANK[granted] < RANK[access]) access = granted;
      if (granted === 'masked') mask = rule.mask;
    }
    const sql =
      access === 'full' ? source.sql : access === 'masked' && mask ? SQL_MASKS[mask](source.sql) : 'null::text';
    return { column, access: access === 'masked' && !mask ? 'none' : access, sql };
  });
}

/** Whether the caller sees a column that needs education's enrolments. */
const showsEnrolment = (columns: ExportColumn[]) =>
  columns.some((c) => c.access !== 'none' && SOURCES[c.column].fields.includes('Child.enrolment'));

/** The fields a caller's export shows, for its audit event. */
export const exportedFields = (columns: ExportColumn[]) =>
  [...new Set(columns.filter((c) => c.access !== 'none').flatMap((c) => SOURCES[c.column].fields))].sort();

/** Who may export which region: the operation's grant, a purpose, and the caller's jurisdiction. */
export function checkExport(principal: Principal, purpose: string | null, regionCode: string): void {
  if (accessOf(FIELD_ACCESS['Query.ledgerExport'], principal.dept, principal.roles) === 'none') {
    throw forbidden('Your department may not export the census ledger');
  }
  if (!isPurpose(purpose)) throw badInput('purpose', 'declare a purpose (X-Purpose) for an export');
  if (!REGION_CODE_PATTERN.test(regionCode)) throw badInput('regionCode', `"${regionCode}" is not a GB/T 2260 code`);
  if (!isWithin(principal.region, regionCode)) throw forbidden(`Region ${regionCode} is outside your jurisdiction`);
}

export const exportFileName = (regionCode: string, format: LedgerFormat) =>
  `ledger-${regionCode}.${format === 'CSV' ? 'csv' : 'xlsx'}`;

/**
 * The children of the export: active, in the region and in the caller's jurisdiction. Region
 * codes are digits (checked), so they can stand in the text of a COPY or a cursor.
 */
function inExport(principal: Principal, regionCode: string): string {
  for (const code of [regionCode, principal.region]) {
    if (!/^\d*$/.test(code)) throw badInput('regionCode', 'is not a region code');
  }
  return `c.status = 'ACTIVE' and c.region_code like '${regionCode}%' and c.region_code like '${principal.region}%'`;
}

/**
 * Streams the ledger of a region as CSV or XLSX: COPY ... TO STDOUT straight out, or through
 * exceljs' streaming writer; nothing holds the whole region.
 */
async function streamLedger(
  client: PoolClient,
  principal: Principal,
  columns: ExportColumn[],
  regionCode: string,
  format: LedgerFormat,
  out: Writable,
): Promise<void> {
  const query = `select ${columns.map((c) => `${c.sql} as ${c.column}`).join(', ')}
    from registry.child c
    left join lateral (select * from registry.guardian g where g.child_id = c.id and g.relation = 'FATHER' order by g.created_at, g.id limit 1) f on true
    left join lateral (select * from registry.guardian g where g.child_id = c.id and g.relation = 'MOTHER' order by g.created_at, g.id limit 1) m on true
    left join registry.guardianship gs on gs.child_id = c.id
    left join registry.guardian eg on eg.id = gs.entrusted_guardian_id
    left join registry.ledger_entry l on l.child_id = c.id
    left join ledger_enrolment e on e.child_id = c.id
    where ${inExport(principal, regionCode)}
    order by c.region_code, c.id_number`;
  const copy = client.query(copyTo(`copy (${query}) to stdout with (format csv, header true)`));
  if (format === 'CSV') {
    // A byte-order mark, so that spreadsheet programs read the Chinese names as UTF-8.
    out.write('\ufeff');
    await pipeline(copy, out);
    return;
  }
  const { stream } = await excel();
  const workbook = new stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet('ledger');
  const rows = copy.pipe(parse({ relax_column_count: true }));
  copy.on('error', (err) => rows.destroy(err));
  for await (const row of rows) sheet.addRow(row as string[]).commit();
  sheet.commit();
  await workbook.commit();
}

/** Children whose enrolments education is asked for per request. */
const EDUCATION_BATCH = 1_000;

const ENROLMENTS = /* GraphQL */ `
  query LedgerEnrolments($children: [_Any!]!) {
    _entities(representations: $children) {
      ... on Child {
        enrolment {
          status
          schoolName
        }
      }
    }
  }
`;

type Enrolments = { _entities: ({ enrolment: { status: string; schoolName: string | null } | null } | null)[] };

/**
 * Education's enrolments of the children of the export that have no ledger row, into the
 * temporary table `ledger_enrolment` the export joins: asked of education's own API as the
 * caller, a batch at a time (its permissions and jurisdiction apply, and it records the read).
 */
async function askEducation(ctx: HubContext, client: PoolClient, regionCode: string): Promise<void> {
  await client.query(
    `declare ledger_unlisted no scroll cursor for
       select c.id from registry.child c
        where ${inExport(ctx.principal, regionCode)}
          and not exists (select 1 from registry.ledger_entry l where l.child_id = c.id)`,
  );
  const education = ctx.peers.of('education');
  for (;;) {
    const { rows } = await client.query<{ id: string }>(`fetch ${EDUCATION_BATCH} from ledger_unlisted`);
    if (!rows.length) break;
    const result = (await education.execute(ctx, ENROLMENTS, {
      children: rows.map((r) => ({ __typename: 'Child', id: r.id })),
    })) as ExecutionResult<Enrolments>;
    // Fields education withholds from the caller come back null, with their errors: an empty cell.
    if (!result.data) throw new Error(`education could not answer: ${result.errors?.[0]?.message}`);
    const enrolments = result.data._entities.map((child, i) => ({ childId: rows[i].id, ...child?.enrolment }));
    await client.query(
      `insert into ledger_enrolment (child_id, status, school_name)
       select "childId", status, "schoolName" from json_to_recordset($1::json) as e("childId" uuid, status text, "schoolName" text)
        where status is not null`,
      [JSON.stringify(enrolments)],
    );
  }
  await client.query('close ledger_unlisted');
}

/**
 * An export as a whole, for the caller of `ctx` (the registry's context): the read is recorded in
 * the audit log before any row leaves (like every read of the graph), education is asked for the
 * enrolments the ledger does not hold, then `onStart` (headers, a file) and the rows. For the
 * download and the CLI.
 */
export async function exportLedger(
  ctx: HubContext,
  regionCode: string,
  format: LedgerFormat,
  out: Writable,
  onStart: () => void = () => undefined,
): Promise<void> {
  const { principal, purpose, em } = ctx;
  checkExport(principal, purpose, regionCode);
  const columns = exportColumns(principal, purpose);
  await appendEvent((sql, params) => em.getConnection().execute(sql, params), 'registry', {
    at: new Date().toISOString(),
    kind: 'READ',
    actor: actorOf(principal),
    purpose,
    requestId: ctx.requestId,
    operation: `ledgerExport ${regionCode} ${format}`,
    children: [],
    fields: exportedFields(columns),
    changes: [],
  });
  await withClient(em, async (client) => {
    // One transaction for the cursor and the temporary table, read by the one COPY.
    await client.query('begin');
    try {
      await client.query(
        `create temp table ledger_enrolment (child_id uuid primary key, status text, school_name text) on commit drop`,
      );
      if (showsEnrolment(columns)) await askEducation(ctx, client, regionCode);
      onStart();
      await streamLedger(client, principal, columns, regionCode, format, out);
      await client.query('commit');
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    }
  });
}
