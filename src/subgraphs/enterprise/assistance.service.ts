import type { EntityManager } from '@mikro-orm/postgresql';
import type { HubContext } from '../../context';
import { runStatement } from '../../db/statement';
import { badInput, conflict } from '../../errors';
import { guardiansWithIdNumbers } from '../../peers/registry-client';
import { checkReports, MAX_BATCH, type CheckedReport, type RowError, type WorkerId } from './assistance-input';
import type { AssistanceReportInput } from './enterprise.generated';
import type { Enterprise } from './enterprise.entity';
import { ownEnterprise } from './enterprise.service';

export interface Receipt {
  clientKey: string;
  reportId: string;
  receivedAt: Date;
  duplicate: boolean;
}

export interface BatchAccepted {
  receipts: Receipt[];
  written: number;
  duplicates: number;
}
export interface BatchRejected {
  rowErrors: RowError[];
}
export type BatchResult = BatchAccepted | BatchRejected;

/** Advisory-lock namespace of report writes; the second key is the enterprise's. */
const REPORT_LOCK = 32100;

type Sql = <T = Record<string, unknown>>(query: string, params?: unknown[]) => Promise<T[]>;

/** The instant as JavaScript reads it back exactly: ISO 8601, milliseconds, UTC. */
const RECEIVED_AT = `to_char(received_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as received_at`;

/** Statements in the transaction of `em`, their values sent as parameters (a batch is one JSON document). */
const sqlIn =
  (em: EntityManager): Sql =>
  <T>(text: string, params: unknown[] = []) =>
    runStatement(em, { text }, params) as Promise<T[]>;

/**
 * The workers of `reports` as rows of the enterprise: existing ones found by hash, new ones
 * inserted. A new worker whose number a registered guardian holds is linked to that guardian's
 * child; the link statement runs whether or not there is anything to link, so the enterprise's
 * request takes the same course either way, and nothing about links is returned.
 */
async function workerIdsOf(ctx: HubContext, sql: Sql, enterprise: Enterprise, reports: CheckedReport[]) {
  const byHash = new Map<string, WorkerId>();
  for (const r of reports) for (const w of r.workers) byHash.set(w.hash, w);
  const hashes = [...byHash.keys()];
  const ids = new Map<string, string>();
  const known = await sql<{ id: string; id_hash: string }>(
    `select id, id_hash from enterprise.worker where enterprise_code = $1 and id_hash = any($2::text[])`,
    [enterprise.creditCode, hashes],
  );
  for (const w of known) ids.set(w.id_hash, w.id);
  const fresh = hashes.filter((h) => !ids.has(h)).map((h) => byHash.get(h)!);
  if (fresh.length === 0) return ids;

  const inserted = await sql<{ id: string; id_hash: string }>(
    `insert into enterprise.worker (enterprise_code, region_code, id_hash, id_masked, created_at)
     select $1, $2, w.hash, w.masked, now() from json_to_recordset($3::json) as w(hash text, masked text)
     returning id, id_hash`,
    [enterprise.creditCode, enterprise.regionCode, JSON.stringify(fresh.map(({ hash, masked }) => ({ hash, masked })))],
  );
  for (const w of inserted) ids.set(w.id_hash, w.id);
  const hashOf = new Map(fresh.map((w) => [w.idNumber, w.hash]));
  // The registry answers this national question for enterprise accounts; the answer only makes link rows.
  const guardians = await guardiansWithIdNumbers(ctx, [...hashOf.keys()]);
  // Link rows lie in the children's regions, outside the enterprise's: written here for it,
  // not through its unit of work (whose flush guard would rightly refuse them).
  const links = guardians.map((g) => ({
    worker: ids.get(hashOf.get(g.idNumber!)!),
    guardian: g.id,
    child: g.childId,
    region: g.regionCode,
  }));
  await sql(
    `insert into enterprise.worker_link (worker_id, guardian_id, child_id, enterprise_code, region_code, created_at)
     select l.worker, l.guardian, l.child, $1, l.region, now()
       from json_to_recordset($2::json) as l(worker uuid, guardian uuid, child uuid, region text)
     on conflict do nothing`,
    [enterprise.creditCode, JSON.stringify(links)],
  );
  return ids;
}

/**
 * Records checked reports for the caller's enterprise in one transaction: a key already used
 * with the same content gets its original receipt, with other content a row error, and only
 * new keys are written, with a few bulk statements whatever the number of rows. Report writes
 * of one enterprise are serialised (an advisory lock), so a batch resent while the first is
 * still running waits and then finds every row recorded.
 */
async function record(ctx: HubContext, reports: CheckedReport[]): Promise<BatchResult> {
  const enterprise = await ownEnterprise(ctx);
  return ctx.em.transactional(async (em) => {
    const sql = sqlIn(em);
    await sql('select pg_advisory_xact_lock($1, hashtext($2))', [REPORT_LOCK, enterprise.creditCode]);
    const existing = await sql<{ client_key: string; id: string; content_hash: string; received_at: string }>(
      `select client_key, id, content_hash, ${RECEIVED_AT} from enterprise.assistance_report
        where enterprise_code = $1 and client_key = any($2::text[])`,
      [enterprise.creditCode, reports.map((r) => r.clientKey)],
    );
    const recorded = new Map(existing.map((r) => [r.client_key, r]));
    const rowErrors = reports.flatMap((r, i) => {
      const before = recorded.get(r.clientKey);
      return before && before.content_hash !== r.contentHash
        ? [{ row: i + 1, field: 'clientKey', reason: 'was already used for a different report' }]
        : [];
    });
    if (rowErrors.length) return { rowErrors };

    const fresh = reports.filter((r) => !recorded.has(r.clientKey));
    const written = new Map<string, { id: string; received_at: string }>();
    if (fresh.length) {
      const workerIds = await workerIdsOf(ctx, sql, enterprise, fresh);
      const rows = fresh.map((r) => ({
        client_key: r.clientKey,
        content_hash: r.contentHash,
        kind: r.kind,
        date: r.date,
        worker_ids: r.workers.map((w) => workerIds.get(w.hash)),
        amount: r.amount,
        notes: r.notes,
      }));
      const inserted = await sql<{ client_key: string; id: string; received_at: string }>(
        `insert into enterprise.assistance_report
           (enterprise_code, region_code, client_key, content_hash, kind, date, worker_ids, amount, notes, received_at)
         select $1, $2, r.client_key, r.content_hash, r.kind, r.date, r.worker_ids, r.amount, r.notes, now()
           from json_to_recordset($3::json)
             as r(client_key text, content_hash text, kind text, date date, worker_ids uuid[], amount numeric, notes text)
         returning client_key, id, ${RECEIVED_AT}`,
        [enterprise.creditCode, enterprise.regionCode, JSON.stringify(rows)],
      );
      for (const r of inserted) written.set(r.client_key, r);
    }
    const receipts = reports.map((r): Receipt => {
      const before = recorded.get(r.clientKey);
      const row = before ?? written.get(r.clientKey)!;
      const receivedAt = new Date(row.received_at);
      return { clientKey: r.clientKey, reportId: row.id, receivedAt, duplicate: Boolean(before) };
    });
    return { receipts, written: written.size, duplicates: reports.length - written.size };
  });
}

export async function reportAssistance(ctx: HubContext, input: AssistanceReportInput): Promise<Receipt> {
  const { reports, errors } = checkReports([input], ctx.identityHash);
  if (errors.length) throw badInput(errors[0].field, errors[0].reason);
  const result = await record(ctx, reports);
  if ('rowErrors' in result) {
    throw conflict(`Client key ${input.clientKey} was already used for a different report`, { field: 'clientKey' });
  }
  return result.receipts[0];
}

export async function reportAssistanceBatch(
  ctx: HubContext,
  rows: readonly AssistanceReportInput[],
): Promise<BatchResult> {
  if (rows.length === 0) throw badInput('rows', 'at least one row is required');
  if (rows.length > MAX_BATCH) throw badInput('rows', `at most ${MAX_BATCH} rows per batch, got ${rows.length}`);
  const { reports, errors } = checkReports(rows, ctx.identityHash);
  return errors.length ? { rowErrors: errors } : record(ctx, reports);
}
