import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { IdentityHash } from '../../auth/identity-hash';
import { withClient } from '../../db/client';
import { copyValue } from '../../db/copy-value';
import { numbered } from '../../db/statement';
import { appendEvent, type AuditEvent } from '../../audit/audit-log';
import { badInput, forbidden } from '../../errors';
import { CENSUS_IMPORTED, CHILD_FACTS } from '../../events/conflict-facts';
import { isWithin, REGION_CODE_PATTERN } from '../../regions/region-code';
import { today } from '../input';
import { checkLedgerRow, type LedgerGuardian, type LedgerRow } from './census-ledger';
import type { ImportStatus, RowError } from './census.entity';
import { childFacts, type FactsOf } from './conflict-facts';
import { LedgerFileError, readLedger, type LedgerSource } from './ledger-file';
import { pgArray } from '../../db/pg-array';

/** Who imports: a caller of the API, or the hub itself on the command line. */
export interface CensusActor {
  actor: AuditEvent['actor'];
  purpose: string | null;
  requestId: string;
}

export interface ImportProgress {
  phase: 'CHECKING' | 'WRITING' | 'DONE';
  rows: number;
  bytesRead: number;
  bytesTotal: number;
}

export interface CensusImportOptions {
  regionCode: string;
  source: LedgerSource;
  fileName: string;
  /** The hub's keyed hash of identity numbers: what the published events carry instead of the numbers. */
  identityHash: IdentityHash;
  /** An import row already created (by the mutation, so that its id can be polled). */
  importId?: string;
  onProgress?: (p: ImportProgress) => void;
}

export interface CensusImportResult {
  id: string;
  status: ImportStatus;
  rowsTotal: number;
  created: number;
  updated: number;
  unchanged: number;
  rowErrors: RowError[];
  message: string | null;
}

/** The audit log's statements use `?` placeholders (knex); pg's own client wants `$n`. */
export const positional = (client: PoolClient) => (sql: string, params: unknown[]) =>
  client.query(numbered(sql), params);

/** Rows checked against the registry per statement. */
const LOOKUP_BATCH = 5_000;
/** Children whose facts are read per statement once the rows are written. */
const FACTS_BATCH = 5_000;
/** Children per published `ChildFacts` event: a feed page of them stays a few megabytes. */
const FACTS_PER_EVENT = 500;

/** Region codes down to townships, kept per database; villages are read for the file's region. */
const upperRegions = new WeakMap<object, Promise<Set<string>>>();

async function regionChecker(em: EntityManager, client: PoolClient, scope: string) {
  let upper = upperRegions.get(em.config);
  if (!upper) {
    upper = client
      .query<{ code: string }>(`select code from reference.region where length(code) <= 9`)
      .then((r) => new Set(r.rows.map((row) => row.code)));
    upperRegions.set(em.config, upper);
    upper.catch(() => upperRegions.delete(em.config));
  }
  const known = await upper;
  const villages = new Set(
    (
      await client.query<{ code: string }>(
        `select code from reference.region where length(code) = 12 and code like $1 || '%'`,
        [scope],
      )
    ).rows.map((r) => r.code),
  );
  return (code: string) => known.has(code) || villages.has(code);
}

/** Checks the import's region against the caller's jurisdiction before any file is read. */
export function checkImportRegion(scope: string, regionCode: string): void {
  if (!REGION_CODE_PATTERN.test(regionCode) || regionCode.length < 6) {
    throw badInput('regionCode', 'must be a county, township or village code');
  }
  if (!isWithin(scope, regionCode)) throw forbidden(`Region ${regionCode} is outside your jurisdiction`);
}

/** Creates the import's record (RUNNING) so that its progress can be asked for while it runs. */
export async function startImportRecord(em: EntityManager, who: CensusActor, regionCode: string, fileName: string) {
  const id = randomUUID();
  await em
    .getConnection()
    .execute(
      `insert into registry.census_import (id, region_code, account, dept, file_name, status, started_at) values (?, ?, ?, ?, ?, 'RUNNING', now())`,
      [id, regionCode, who.actor.sub, who.actor.dept, fileName.slice(0, 255)],
    );
  return id;
}

type Existing = Map<string, { id: string; regionCode: string }>;

/**
 * Takes in a township (or county) census ledger: every row is checked before anything is
 * written; a file with any bad row is rejected listing all of them and writes nothing. An
 * accepted file is applied in one transaction: children are matched by identity number and
 * created or updated, with their parents, entrusted guardian, guardianship and the ledger's
 * schooling; rows that change nothing are left alone, so the same file twice changes nothing.
 * What each child's record gained is recorded per import (`census_change`); the registry's
 * triggers keep the replaced versions. What other departments must learn goes out in the same
 * transaction, from the registry's outbox: the children who moved (`ChildMoved`), the new
 * guardians with identity numbers (`GuardianAdded`), the changed children's facts for conflict
 * detection (`ChildFacts`), and last that the import is in (`CensusImported`).
 */
export async function importCensus(
  em: EntityManager,
  who: CensusActor,
  options: CensusImportOptions,
): Promise<CensusImportResult> {
  checkImportRegion(who.actor.region, options.regionCode);
  const id = options.importId ?? (await startImportRecord(em, who, options.regionCode, options.fileName));
  const scope = options.regionCode;
  const finish = async (client: PoolClient, result: Omit<CensusImportResult, 'id'>, fileHash: string | null) => {
    await client.query(
      `update registry.census_import set status = $2, rows_total = $3, rows_done = $3, created = $4, updated = $5, unchanged = $6, row_errors = $7, message = $8, file_hash = $9, finished_at = now() where id = $1`,
      [
        id,
        result.status,
        result.rowsTotal,
        result.created,
        result.updated,
        result.unchanged,
        JSON.stringify(result.rowErrors),
        result.message,
        fileHash,
      ],
    );
    return { id, ...result };
  };
  return withClient(em, async (client) => {
    const errors: RowError[] = [];
    const seen = new Map<string, number>();
    const existing: Existing = new Map();
    const regionExists = await regionChecker(em, client, scope);
    if (!regionExists(scope)) {
      await client.query(`delete from registry.census_import where id = $1`, [id]);
      throw badInput('regionCode', `region ${scope} does not exist`);
    }
    const checkCtx = { regionExists, scope, today: today() };
    const file = readLedger(options.source);
    const report = (phase: ImportProgress['phase'], count: number) =>
      options.onProgress?.({ phase, rows: count, ...file.progress });
    // Rows are staged by COPY into a temporary table while the file is still being read: the
    // transaction's first write to a real table comes after every row has passed its checks, and a
    // rejected file rolls back (and drops) the staging table. Lookups run on another connection,
    // since this one is busy with the COPY.
    await client.query('begin');
    let open = true;
    // One import at a time per county: two files adding the same child would otherwise race.
    await client.query(`select pg_advisory_xact_lock(hashtext($1))`, [`census:${scope.slice(0, 6)}`]);
    const rollback = async () => {
      if (open) await client.query('rollback').catch(() => undefined);
      open = false;
    };
    await client.query(`create temp table census_in (${COLUMNS.join(', ')}) on commit drop`);
    const copy = client.query(
      copyFrom(`copy census_in (${COLUMNS.map((c) => c.split(' ')[0]).join(', ')}) from stdin`),
    );
    let copyError: Error | undefined;
    copy.on('error', (err: Error) => (copyError = err));
    const endCopy = async () => {
      if (copy.writableEnded) return;
      copy.end();
      await finished(copy).catch(() => undefined);
      if (copyError) throw copyError;
    };
    const ids = { child: orderedIds(), guardian: orderedIds() };
    let rows = 0;
    let created = 0;
    let pending: LedgerRow[] = [];
    const lookup = async (batch: LedgerRow[]) => {
      if (!batch.length) return;
      const found: { id: string; id_number: string; region_code: string }[] = await em
        .getConnection()
        .execute(`select id, id_number, region_code from registry.child where id_number = any(?::text[])`, [
          pgArray(batch.map((r) => r.idNumber)),
        ]);
      for (const r of found) existing.set(r.id_number, { id: r.id, regionCode: r.region_code });
      for (const row of batch) {
        const known = existing.get(row.idNumber);
        // Another jurisdiction's child looks the same whichever jurisdiction it is.
        if (known && !isWithin(scope, known.regionCode)) {
          errors.push({
            row: row.row,
            column: 'id_number',
            reason: 'a child with this identity number is registered outside this region',
          });
        }
      }
      if (errors.length) return; // the file is rejected: nothing more to stage
      for (const row of batch) if (!existing.has(row.idNumber)) created++;
      if (!copy.write(copyText(batch, existing, ids))) await once(copy, 'drain');
    };
    let count = 0;
    try {
      for await (const record of file.records) {
        count += 1;
        const checked = checkLedgerRow(record, count, checkCtx);
        if ('errors' in checked) {
          errors.push(...checked.errors);
          continue;
        }
        const first = seen.get(checked.row.idNumber);
        if (first !== undefined) {
          errors.push({ row: count, column: 'id_number', reason: `repeats row ${first}` });
          continue;
        }
        seen.set(checked.row.idNumber, count);
        rows += 1;
        pending.push(checked.row);
        if (pending.length >= LOOKUP_BATCH) {
          await lookup(pending);
          pending = [];
          report('CHECKING', count);
        }
      }
      await lookup(pending);
      await endCopy();
    } catch (err) {
      await endCopy().catch(() => undefined);
      await rollback();
      if (!(err instanceof LedgerFileError) && !(err as { code?: string }).code?.startsWith?.('CSV_')) throw err;
      const result = {
        status: 'REJECTED' as const,
        rowsTotal: count,
        created: 0,
        updated: 0,
        unchanged: 0,
        rowErrors: [{ row: count + 1, column: '', reason: (err as Error).message }],
        message: 'The file could not be read',
      };
      return finish(client, result, null);
    }
    const fileHash = file.digest();
    if (count === 0) errors.push({ row: 0, column: '', reason: 'the file has no rows' });
    if (errors.length) {
      await rollback();
      errors.sort((a, b) => a.row - b.row);
      report('DONE', count);
      const message = `${new Set(errors.map((e) => e.row)).size} of ${count} rows are bad; nothing was written`;
      return finish(
        client,
        { status: 'REJECTED', rowsTotal: count, created: 0, updated: 0, unchanged: 0, rowErrors: errors, message },
        fileHash,
      );
    }
    report('WRITING', count);
    try {
      const updated = await writeRows(client, id, created, rows, scope);
      const unchanged = rows - created - updated;
      if (created + updated > 0) await publishImport(client, id, scope, options.identityHash);
      // The children whose records this import created or changed: their access logs show it.
      const changed = await client.query<{ ids: string[] | null }>(
        `select array_agg(child_id::text order by child_id::text collate "C") as ids from registry.census_change where import_id = $1`,
        [id],
      );
      await appendEvent(positional(client), 'registry', {
        at: new Date().toISOString(),
        kind: 'WRITE',
        ...who,
        operation: 'importCensus',
        children: changed.rows[0].ids ?? [],
        fields: [],
        changes: [
          {
            entity: 'CensusImport',
            id,
            op: 'create',
            before: {},
            after: { regionCode: scope, fileHash, rows, created, updated, unchanged },
          },
        ],
      });
      const result = await finish(
        client,
        {
          status: 'ACCEPTED',
          rowsTotal: rows,
          created,
          updated,
          unchanged,
          rowErrors: [],
          message:
            created + updated === 0
              ? 'No change: every row already matches the registry'
              : `${created} children added, ${updated} updated, ${unchanged} unchanged`,
        },
        fileHash,
      );
      await client.query('commit');
      open = false;
      report('DONE', count);
      return result;
    } catch (err) {
      await rollback();
      throw err;
    }
  });
}

/** Marks an import that stopped on an unexpected error (nothing of it was committed). */
export async function failImport(em: EntityManager, id: string): Promise<void> {
  await em
    .getConnection()
    .execute(
      `update registry.census_import set status = 'FAILED', message = 'The import stopped on an unexpected error; nothing was written', finished_at = now() where id = ? and status = 'RUNNING'`,
      [id],
    );
}

/** Progress of imports running in this process, for `censusImport(id)` between database updates. */
export const RUNNING_IMPORTS = new Map<string, ImportProgress>();

/**
 * Time-ordered ids (UUID version 7 layout: milliseconds, then a counter, then random bits) for
 * the rows one import creates: given in the order of the file, they append to the end of the keys
 * and of the indexes on them instead of landing on random pages, most of the cost of a large insert.
 */
export function orderedIds() {
  const time = Date.now().toString(16).padStart(12, '0');
  // 32 random bits per id, from one draw per 4,096 ids: crypto calls per row cost more than COPY.
  let pool = randomBytes(4 * 4096);
  let used = 0;
  let seq = 0;
  return () => {
    if (used === pool.length) {
      pool = randomBytes(pool.length);
      used = 0;
    }
    const random = pool.readUInt32BE(used).toString(16).padStart(8, '0');
    used += 4;
    const n = seq++;
    const hi = ((n / 2 ** 28) & 0xfff).toString(16).padStart(3, '0'); // 12 bits of the counter
    const lo = (n & 0xfffffff) >>> 0; // 28 bits
    const variant = (0x8 | (lo >>> 26)).toString(16);
    const mid = (lo & 0x3ffffff).toString(16).padStart(7, '0'); // 26 bits in 7 hex digits
    const hex = `${time}7${hi}${variant}${mid}${random}`;
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  };
}

const COLUMNS = [
  'row_no int',
  'child_id uuid',
  'existed boolean',
  'name text',
  'id_number text',
  'gender text',
  'birth_date date',
  'categories text[]',
  'distress_reasons text[]',
  'residence_region text',
  'household_region text',
  'household_type text',
  'f_new_id uuid',
  'm_new_id uuid',
  'e_new_id uuid',
  'f_name text',
  'f_id text',
  'f_phone text',
  'f_away boolean',
  'f_work_region text',
  'f_employer text',
  'f_capacity text',
  'f_incapacity text',
  'm_name text',
  'm_id text',
  'm_phone text',
  'm_away boolean',
  'm_work_region text',
  'm_employer text',
  'm_capacity text',
  'm_incapacity text',
  'gs_kind text',
  'gs_since date',
  'e_name text',
  'e_relation text',
  'e_id text',
  'e_phone text',
  'agency text',
  'schooling text',
  'school_name text',
];

const parentValues = (g: LedgerGuardian | null) =>
  g
    ? [g.name, g.idNumber, g.phone, g.workingAway, g.workRegion, g.employer, g.guardianshipCapacity, g.incapacityReason]
    : [null, null, null, null, null, null, null, null];

/** COPY text of a batch of checked rows; new children and guardians get time-ordered ids. */
function copyText(rows: LedgerRow[], existing: Existing, ids: { child: () => string; guardian: () => string }): string {
  let text = '';
  for (const r of rows) {
    const values = [
      r.row,
      existing.get(r.idNumber)?.id ?? ids.child(),
      existing.has(r.idNumber),
      r.name,
      r.idNumber,
      r.gender,
      r.birthDate,
      r.categories,
      r.distressReasons,
      r.residenceRegion,
      r.householdRegion,
      r.householdType,
      r.father ? ids.guardian() : null,
      r.mother ? ids.guardian() : null,
      r.entrusted ? ids.guardian() : null,
      ...parentValues(r.father),
      ...parentValues(r.mother),
      r.guardianship,
      r.guardianshipSince,
      r.entrusted?.name ?? null,
      r.entrusted?.relation ?? null,
      r.entrusted?.idNumber ?? null,
      r.entrusted?.phone ?? null,
      r.agency,
      r.schooling,
      r.schoolName,
    ];
    text += values.map(copyValue).join('\t') + '\n';
  }
  return text;
}

const GUARDIAN_FIELDS = [
  'name',
  'id_number',
  'phone',
  'custodian',
  'working_away',
  'work_region_code',
  'employer',
  'guardianship_capacity',
  'incapacity_reason',
];
const list = (alias: string) => GUARDIAN_FIELDS.map((f) => `${alias}.${f}`).join(', ');

/** A child's guardians as the file names them: father, mother, entrusted guardian (when named). */
const GUARDIANS_OF = (where: string) => `
  select f_new_id as new_id, child_id, residence_region as region_code, 'FATHER'::text as relation, f_name as name,
         f_id as id_number, f_phone as phone, true as custodian, f_away as working_away, f_work_region as work_region_code,
         f_employer as employer, f_capacity as guardianship_capacity, f_incapacity as incapacity_reason
    from census_in where f_name is not null and ${where}
  union all
  select m_new_id, child_id, residence_region, 'MOTHER', m_name, m_id, m_phone, true, m_away, m_work_region, m_employer,
         m_capacity, m_incapacity
    from census_in where m_name is not null and ${where}
  union all
  select e_new_id, child_id, residence_region, e_relation, e_name, e_id, e_phone, false, false, null, null, 'FULL', null
    from census_in where e_name is not null and ${where}`;

/**
 * The write, set-based: the rows go to a temporary table by COPY; children new to the registry
 * are inserted with their guardians, guardianship and ledger entry straight from it, and for the
 * children already registered the changes are computed against the registry as it was, then each
 * table gets one statement that touches only rows that differ. Returns how many children were
 * created and updated.
 */
async function writeRows(client: PoolClient, importId: string, created: number, rows: number, scope: string) {
  // Statistics on the columns joins use: a full ANALYZE of the wide rows costs more than it saves.
  await client.query(`analyze census_in (child_id, existed)`);
  // Belt and braces beside the checks: no row may leave the import's region.
  const outside = await client.query(`select 1 from census_in i where i.residence_region not like $1 || '%' limit 1`, [
    scope,
  ]);
  if (outside.rowCount) throw forbidden(`The file holds children outside region ${scope}`);
  let updated = 0;

  if (created > 0) {
    await client.query(
      `insert into registry.census_change (import_id, child_id, region_code, op, fields)
       select $1, child_id, residence_region, 'CREATE', '{}' from census_in where not existed`,
      [importId],
    );
    await client.query(
      `insert into registry.child (id, name, gender, birth_date, id_number, categories, distress_reasons, household_region_code, household_type, region_code, status, version, created_at, updated_at)
       select child_id, name, gender, birth_date, id_number, categories, distress_reasons, household_region, household_type, residence_region, 'ACTIVE', 1, now(), now()
         from census_in where not existed`,
    );
    await client.query(
      `insert into registry.guardian (id, child_id, region_code, relation, ${GUARDIAN_FIELDS.join(', ')}, created_at)
       select new_id, child_id, region_code, relation, ${GUARDIAN_FIELDS.join(', ')}, now()
         from (${GUARDIANS_OF('not existed')}) n order by new_id`,
    );
    await client.query(
      `insert into registry.guardianship (child_id, region_code, kind, since, entrusted_guardian_id, agreement_date, agency, updated_at)
       select child_id, residence_region, gs_kind, gs_since, e_new_id, case when gs_kind = 'ENTRUSTED' then gs_since end, agency, now()
         from census_in where not existed`,
    );
    await client.query(
      `insert into registry.ledger_entry (child_id, region_code, schooling, school_name, import_id, updated_at)
       select child_id, residence_region, schooling, school_name, $1, now() from census_in where not existed`,
      [importId],
    );
  }
  if (created < rows) updated = await updateExisting(client, importId);
  return updated;
}

/** Children already registered: what differs is recorded, then changed, and nothing else is touched. */
async function updateExisting(client: PoolClient, importId: string): Promise<number> {
  await client.query(`create temp table census_guardian on commit drop as ${GUARDIANS_OF('existed')}`);
  const guardianDiffers = (alias: string, prefix: string) =>
    `${alias}.id is distinct from null and (${alias}.name, ${alias}.id_number, ${alias}.phone, ${alias}.working_away, ${alias}.work_region_code, ${alias}.employer, ${alias}.guardianship_capacity, ${alias}.incapacity_reason)
       is distinct from (i.${prefix}_name, i.${prefix}_id, i.${prefix}_phone, i.${prefix}_away, i.${prefix}_work_region, i.${prefix}_employer, i.${prefix}_capacity, i.${prefix}_incapacity)
     or ${alias}.id is null and i.${prefix}_name is not null`;
  const changes = await client.query<{ n: number }>(
    `with parents as (
       select distinct on (g.child_id, g.relation) g.*
         from registry.guardian g join census_in i on i.child_id = g.child_id and i.existed
        where g.relation in ('FATHER', 'MOTHER')
        order by g.child_id, g.relation, g.created_at, g.id
     ), diff as (
       select i.child_id, i.residence_region,
         array_remove(array[
           case when c.name is distinct from i.name then 'name' end,
           case when c.gender is distinct from i.gender then 'gender' end,
           case when c.birth_date is distinct from i.birth_date then 'birthDate' end,
           case when (c.categories, c.distress_reasons) is distinct from (i.categories, i.distress_reasons) then 'categories' end,
           case when c.household_type is distinct from i.household_type then 'householdType' end,
           case when c.household_region_code is distinct from i.household_region then 'householdRegion' end,
           case when c.region_code is distinct from i.residence_region then 'residenceRegion' end,
           case when i.f_name is not null and (${guardianDiffers('f', 'f')}) then 'father' end,
           case when i.m_name is not null and (${guardianDiffers('m', 'm')}) then 'mother' end,
           case when (gs.kind, gs.since, gs.agency, eg.name, eg.relation, eg.id_number, eg.phone)
                  is distinct from (i.gs_kind, i.gs_since, i.agency, i.e_name, i.e_relation, i.e_id, i.e_phone) then 'guardianship' end,
           case when (l.schooling, l.school_name) is distinct from (i.schooling, i.school_name) then 'schooling' end
         ], null) as fields
       from census_in i
       join registry.child c on c.id = i.child_id
       left join parents f on f.child_id = i.child_id and f.relation = 'FATHER'
       left join parents m on m.child_id = i.child_id and m.relation = 'MOTHER'
       left join registry.guardianship gs on gs.child_id = i.child_id
       left join registry.guardian eg on eg.id = gs.entrusted_guardian_id
       left join registry.ledger_entry l on l.child_id = i.child_id
       where i.existed
     ), recorded as (
       insert into registry.census_change (import_id, child_id, region_code, op, fields)
       select $1, child_id, residence_region, 'UPDATE', fields from diff where cardinality(fields) > 0
       returning 1
     )
     select count(*)::int as n from recorded`,
    [importId],
  );
  // Every other department's rows about a child who moved follow it (src/events/follow-child.ts).
  await client.query(
    `insert into registry.outbox (kind, payload)
     select 'ChildMoved', jsonb_build_object('childId', c.id, 'from', c.region_code, 'to', i.residence_region,
              'guardianIds', (select coalesce(jsonb_agg(g.id order by g.created_at, g.id), '[]') from registry.guardian g where g.child_id = c.id))
       from census_in i join registry.child c on c.id = i.child_id
      where i.existed and c.region_code <> i.residence_region
      order by c.id`,
  );
  await client.query(
    `update registry.child c set
       name = i.name, gender = i.gender, birth_date = i.birth_date, categories = i.categories,
       distress_reasons = i.distress_reasons, household_region_code = i.household_region,
       household_type = i.household_type, region_code = i.residence_region,
       version = c.version + 1, updated_at = now()
      from census_in i
     where i.existed and c.id = i.child_id
       and (c.name, c.gender, c.birth_date, c.categories, c.distress_reasons, c.household_region_code, c.household_type, c.region_code)
           is distinct from (i.name, i.gender, i.birth_date, i.categories, i.distress_reasons, i.household_region, i.household_type, i.residence_region)`,
  );
  // A child who moved takes its guardians' rows into its new jurisdiction.
  await client.query(
    `update registry.guardian g set region_code = i.residence_region
       from census_in i where i.existed and g.child_id = i.child_id and g.region_code <> i.residence_region`,
  );
  await client.query(
    `update registry.guardian g set ${GUARDIAN_FIELDS.map((f) => `${f} = n.${f}`).join(', ')}
       from census_guardian n
      where g.child_id = n.child_id and g.relation = n.relation and (${list('g')}) is distinct from (${list('n')})`,
  );
  await client.query(
    `insert into registry.guardian (id, child_id, region_code, relation, ${GUARDIAN_FIELDS.join(', ')}, created_at)
     select n.new_id, n.child_id, n.region_code, n.relation, ${list('n')}, now()
       from census_guardian n
       left join registry.guardian g on g.child_id = n.child_id and g.relation = n.relation
      where g.id is null
      order by n.new_id`,
  );
  await client.query(
    `insert into registry.guardianship (child_id, region_code, kind, since, entrusted_guardian_id, agreement_date, agency, updated_at)
     select i.child_id, i.residence_region, i.gs_kind, i.gs_since, eg.id, case when i.gs_kind = 'ENTRUSTED' then i.gs_since end, i.agency, now()
       from census_in i
       left join (select distinct on (g.child_id, g.relation) g.child_id, g.relation, g.id
                    from registry.guardian g join census_guardian n on n.child_id = g.child_id and n.relation = g.relation
                   where n.relation not in ('FATHER', 'MOTHER')
                   order by g.child_id, g.relation, g.created_at, g.id) eg
         on i.e_name is not null and eg.child_id = i.child_id and eg.relation = i.e_relation
      where i.existed
     on conflict (child_id) do update set
       region_code = excluded.region_code, kind = excluded.kind, since = excluded.since,
       entrusted_guardian_id = excluded.entrusted_guardian_id, agency = excluded.agency,
       agreement_date = case when excluded.kind = 'ENTRUSTED' then coalesce(guardianship.agreement_date, excluded.agreement_date) end,
       contact_obligations = case when excluded.kind = 'ENTRUSTED' then guardianship.contact_obligations end,
       updated_at = now()
     where (guardianship.region_code, guardianship.kind, guardianship.since, guardianship.entrusted_guardian_id, guardianship.agency)
       is distinct from (excluded.region_code, excluded.kind, excluded.since, excluded.entrusted_guardian_id, excluded.agency)`,
  );
  await client.query(
    `insert into registry.ledger_entry (child_id, region_code, schooling, school_name, import_id, updated_at)
     select child_id, residence_region, schooling, school_name, $1, now() from census_in where existed
     on conflict (child_id) do update set region_code = excluded.region_code, schooling = excluded.schooling,
       school_name = excluded.school_name, import_id = excluded.import_id, updated_at = now()
     where (ledger_entry.region_code, ledger_entry.schooling, ledger_entry.school_name)
       is distinct from (excluded.region_code, excluded.schooling, excluded.school_name)`,
    [importId],
  );
  return changes.rows[0].n;
}

/** The rows of a query on the import's connection, a batch at a time (a cursor of its transaction). */
async function* batches<T extends object>(client: PoolClient, name: string, sql: string, size: number) {
  await client.query(`declare ${name} no scroll cursor for ${sql}`);
  try {
    for (;;) {
      const { rows } = await client.query<T>(`fetch ${size} from ${name}`);
      if (!rows.length) return;
      yield rows;
    }
  } finally {
    await client.query(`close ${name}`);
  }
}

/** Appends events of one kind to the registry's outbox, in the order given. */
const publishAll = (client: PoolClient, kind: string, payloads: object[]) =>
  client.query(
    `insert into registry.outbox (kind, payload)
     select $1, e.payload from jsonb_array_elements($2::jsonb) with ordinality e(payload, n) order by e.n`,
    [kind, JSON.stringify(payloads)],
  );

/**
 * What the rest of the hub learns of an import that changed something, written in its
 * transaction (ChildMoved went out before the children's rows changed): each new guardian with
 * an identity number (`GuardianAdded`, carrying its keyed hash, as `addGuardian` publishes it),
 * the facts of every child created or changed (`ChildFacts`), then `CensusImported`.
 */
async function publishImport(client: PoolClient, importId: string, scope: string, identityHash: IdentityHash) {
  const hashes = new Map<string, string>();
  const hash: IdentityHash = (idNumber) => {
    let h = hashes.get(idNumber);
    if (!h) hashes.set(idNumber, (h = identityHash(idNumber)));
    return h;
  };
  // Guardians the import inserted carry the ids it gave them.
  for await (const rows of batches<{ id: string; child_id: string; region_code: string; id_number: string }>(
    client,
    'census_new_guardians',
    `select g.id, g.child_id, g.region_code, g.id_number
       from census_in i cross join lateral unnest(array[i.f_new_id, i.m_new_id, i.e_new_id]) n(id)
       join registry.guardian g on g.id = n.id
      where g.id_number is not null
      order by g.id`,
    FACTS_BATCH,
  )) {
    await publishAll(
      client,
      'GuardianAdded',
      rows.map((g) => ({
        guardianId: g.id,
        childId: g.child_id,
        regionCode: g.region_code,
        idHash: hash(g.id_number),
      })),
    );
  }
  // importId is the import's own uuid: safe inline, where a cursor takes no parameters.
  if (!/^[0-9a-f-]{36}$/.test(importId)) throw new Error(`not an import id: ${importId}`);
  for await (const rows of batches<FactsOf>(
    client,
    'census_facts',
    `select c.id, c.region_code as "regionCode", c.status, l.schooling, c.categories, to_char(c.birth_date, 'YYYY-MM-DD') as "birthDate",
            c.household_type as "householdType", c.distress_reasons as "distressReasons",
            case when gs.child_id is not null then json_build_object('kind', gs.kind, 'entrustedGuardianId', gs.entrusted_guardian_id) end as guardianship,
            coalesce((select json_agg(json_build_object('relation', g.relation, 'custodian', g.custodian, 'workingAway', g.working_away,
                                                        'idNumber', g.id_number, 'guardianshipCapacity', g.guardianship_capacity))
                        from registry.guardian g where g.child_id = c.id), '[]') as guardians
       from registry.census_change x
       join registry.child c on c.id = x.child_id
       left join registry.guardianship gs on gs.child_id = c.id
       left join registry.ledger_entry l on l.child_id = c.id
      where x.import_id = '${importId}'
      order by c.id`,
    FACTS_BATCH,
  )) {
    const facts = rows.map((child) => childFacts(child, hash));
    const events = [];
    for (let i = 0; i < facts.length; i += FACTS_PER_EVENT)
      events.push({ children: facts.slice(i, i + FACTS_PER_EVENT) });
    await publishAll(client, CHILD_FACTS, events);
  }
  await publishAll(client, CENSUS_IMPORTED, [{ importId, regionCode: scope }]);
}
