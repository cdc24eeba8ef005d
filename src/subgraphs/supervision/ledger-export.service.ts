import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PoolClient } from 'pg';
import { actorOf, appendEvent } from '../../audit/audit-log';
import { to as copyTo } from 'pg-copy-streams';
import type { Principal } from '../../auth/principal';
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
 */
const SOURCES: Record<LedgerColumn, { sql: string; fields: string[] }> = {
  name: { sql: 'c.name', fields: ['Child.name'] },
  id_number: { sql: 'c.id_number', fields: ['Child.idNumber'] },
  gender: { sql: 'c.gender', fields: ['Child.gender'] },
  birth_date: { sql: `to_char(c.birth_date, 'YYYY-MM-DD')`, fields: ['Child.birthDate'] },
  categories: { sql: `array_to_string(c.categories, ';')`, fields: ['Child.categories'] },
  residence_region: { sql: 'c.region_code', fields: ['Child.residenceRegion'] },
  household_region: { sql: 'c.household_region_code', fields: ['Child.householdRegion'] },
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
    sql: `case when l.child_id is not null then l.school_name when e.status = 'ENROLLED' then s.name end`,
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
 * Streams the ledger of a region (children in it and in the caller's jurisdiction) as CSV or
 * XLSX: COPY ... TO STDOUT straight out, or through exceljs' streaming writer; nothing holds
 * the whole region. Region codes are digits (checked), so they can stand in the COPY text.
 */
export async function streamLedger(
  client: PoolClient,
  principal: Principal,
  columns: ExportColumn[],
  regionCode: string,
  format: LedgerFormat,
  out: Writable,
): Promise<void> {
  for (const code of [regionCode, principal.region]) {
    if (!/^\d*$/.test(code)) throw badInput('regionCode', 'is not a region code');
  }
  const query = `select ${columns.map((c) => `${c.sql} as ${c.column}`).join(', ')}
    from registry.child c
    left join lateral (select * from registry.guardian g where g.child_id = c.id and g.relation = 'FATHER' order by g.created_at, g.id limit 1) f on true
    left join lateral (select * from registry.guardian g where g.child_id = c.id and g.relation = 'MOTHER' order by g.created_at, g.id limit 1) m on true
    left join registry.guardianship gs on gs.child_id = c.id
    left join registry.guardian eg on eg.id = gs.entrusted_guardian_id
    left join supervision.ledger_entry l on l.child_id = c.id
    left join education.enrolment e on e.child_id = c.id
    left join education.school s on s.code = e.school_code
    where c.status = 'ACTIVE' and c.region_code like '${regionCode}%' and c.region_code like '${principal.region}%'
    order by c.region_code, c.id_number`;
  const copy = client.query(copyTo(`copy (${query}) to stdout with (format csv, header true)`));
  if (format === 'CSV') {
    // A byte-order mark, so that spreadsheet programs read the Chinese names as UTF-8.
    out.write('\ufeff');
    await pipeline(copy, out);
    return;
  }
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet('ledger');
  const rows = copy.pipe(parse({ relax_column_count: true }));
  copy.on('error', (err) => rows.destroy(err));
  for await (const row of rows) sheet.addRow(row as string[]).commit();
  sheet.commit();
  await workbook.commit();
}

/**
 * An export as a whole: the read is recorded in the audit log before any row leaves (like every
 * read of the graph), then `onStart` (headers, a file) and the rows. For the download and the CLI.
 */
export async function exportLedger(
  em: EntityManager,
  principal: Principal,
  purpose: string | null,
  regionCode: string,
  format: LedgerFormat,
  out: Writable,
  requestId: string,
  onStart: () => void = () => undefined,
): Promise<void> {
  const columns = exportColumns(principal, purpose);
  await appendEvent((sql, params) => em.getConnection().execute(sql, params), 'supervision', {
    at: new Date().toISOString(),
    kind: 'READ',
    actor: actorOf(principal),
    purpose,
    requestId,
    operation: `ledgerExport ${regionCode} ${format}`,
    children: [],
    fields: exportedFields(columns),
    changes: [],
  });
  const knex = em.getConnection().getKnex();
  const client = (await knex.client.acquireConnection()) as PoolClient;
  try {
    onStart();
    await streamLedger(client, principal, columns, regionCode, format, out);
  } finally {
    await knex.client.releaseConnection(client);
  }
}
