import { raw, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager, QBFilterQuery } from '@mikro-orm/postgresql';
import type { HubContext } from '../../context';
import { isUuid } from '../../db/loaders';
import { badInput, forbidden } from '../../errors';
import { isWithin, REGION_CODE_PATTERN, truncateTo } from '../../regions/region-code';
import { isIsoDate } from '../scalars';
import { AssistanceReportSchema, type AssistanceKind, type AssistanceReport } from './assistance-report.entity';
import { EnterpriseSchema } from './enterprise.entity';
import { WorkerLinkSchema } from './worker.entity';

const MAX_PAGE = 100;
const KINDS: AssistanceKind[] = [
  'PARENT_SCHOOL',
  'SITE_LECTURE',
  'REUNION_TRAVEL',
  'HARDSHIP_AID',
  'LONG_TERM_ASSISTANCE',
  'FLEXIBLE_LEAVE',
];

/** Pages run latest date first, then by id: a cursor is both. */
const encodeCursor = (r: AssistanceReport) => Buffer.from(`${r.date}:${r.id}`).toString('base64url');

function afterCursor(cursor: string): FilterQuery<AssistanceReport> {
  const [date, id] = Buffer.from(cursor, 'base64url').toString().split(':');
  if (!isIsoDate(date ?? '') || !isUuid(id ?? '')) throw badInput('after', 'is not a cursor from this connection');
  return { $or: [{ date: { $lt: date } }, { date, id: { $lt: id } }] };
}

export type AssistanceReportConnection = Awaited<ReturnType<typeof listReports>>;

/** The caller's enterprise's reports: the enterprise filter keeps every other enterprise's out. */
export async function listReports(ctx: HubContext, first: number, after?: string | null) {
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE) throw badInput('first', `must be 0 to ${MAX_PAGE}`);
  const page = await ctx.em.find(AssistanceReportSchema, after ? afterCursor(after) : {}, {
    orderBy: { date: 'desc', id: 'desc' },
    limit: first + 1,
  });
  const edges = page.slice(0, first).map((node) => ({ cursor: encodeCursor(node), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.length > first,
      hasPreviousPage: Boolean(after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

export interface Sums {
  reports: number;
  workersCovered: number;
  /** Yuan with two decimals. */
  amount: string;
}

interface SumRow {
  kind: AssistanceKind;
  enterprise_code: string;
  region_code: string;
  reports: number;
  workers: number;
  amount: string;
}

/** Amounts are added in fen, exactly: "1200.50" ↔ 120050n. */
const toFen = (yuan: string) => BigInt(yuan.replace('.', ''));
function toYuan(fen: bigint): string {
  const digits = fen.toString().padStart(3, '0');
  return `${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

function sum(rows: SumRow[]): Sums {
  return {
    reports: rows.reduce((n, r) => n + r.reports, 0),
    workersCovered: rows.reduce((n, r) => n + r.workers, 0),
    amount: toYuan(rows.reduce((n, r) => n + toFen(r.amount), 0n)),
  };
}

function groupBy<K>(rows: SumRow[], key: (r: SumRow) => K): Map<K, SumRow[]> {
  const groups = new Map<K, SumRow[]>();
  for (const r of rows) {
    const group = groups.get(key(r));
    if (group) group.push(r);
    else groups.set(key(r), [r]);
  }
  return groups;
}

const byKind = (rows: SumRow[]) => {
  const groups = groupBy(rows, (r) => r.kind);
  return KINDS.filter((kind) => groups.has(kind)).map((kind) => ({ kind, sums: sum(groups.get(kind)!) }));
};

function checkPeriod(from: string, to: string) {
  if (to < from) throw badInput('to', 'must not be before from');
}

/**
 * Sums of reports per enterprise and kind, in one statement: the filters of the caller's entity
 * manager (jurisdiction, enterprise) are applied to it like to any find.
 */
async function sumsOf(em: EntityManager, where: QBFilterQuery<AssistanceReport>): Promise<SumRow[]> {
  const qb = em
    .createQueryBuilder(AssistanceReportSchema, 'r')
    .select([
      'r.kind',
      'r.enterpriseCode',
      'r.regionCode',
      raw('count(*)::int as reports'),
      raw('coalesce(sum(cardinality(r.worker_ids)), 0)::int as workers'),
      raw('coalesce(sum(r.amount), 0)::numeric(16, 2)::text as amount'),
    ])
    .where(where)
    .groupBy(['r.kind', 'r.enterpriseCode', 'r.regionCode']);
  await qb.applyFilters();
  return qb.execute('all', false);
}

/** The caller's enterprise's totals over a period. */
export async function totals(ctx: HubContext, from: string, to: string) {
  checkPeriod(from, to);
  const rows = await sumsOf(ctx.em, { date: { $gte: from, $lte: to } });
  return { from, to, all: sum(rows), byKind: byKind(rows) };
}

/** Supervision's view: sums per enterprise and per county of a region it oversees. */
export async function aggregates(ctx: HubContext, regionCode: string, from: string, to: string) {
  if (!REGION_CODE_PATTERN.test(regionCode)) throw badInput('regionCode', `"${regionCode}" is not a GB/T 2260 code`);
  if (!isWithin(ctx.principal.region, regionCode)) throw forbidden(`Region ${regionCode} is outside your jurisdiction`);
  checkPeriod(from, to);
  const rows = await sumsOf(ctx.em, { date: { $gte: from, $lte: to }, regionCode: { $like: `${regionCode}%` } });
  const perEnterprise = groupBy(rows, (r) => r.enterprise_code);
  const enterprises = perEnterprise.size
    ? await ctx.em.find(
        EnterpriseSchema,
        { creditCode: { $in: [...perEnterprise.keys()] } },
        { fields: ['creditCode', 'name', 'regionCode', 'labourIntensive'] },
      )
    : [];
  const byEnterprise = enterprises
    .map((e) => ({
      creditCode: e.creditCode,
      name: e.name,
      region: { code: e.regionCode },
      labourIntensive: e.labourIntensive,
      sums: sum(perEnterprise.get(e.creditCode)!),
    }))
    .sort((a, b) => Number(toFen(b.sums.amount) - toFen(a.sums.amount)) || b.sums.reports - a.sums.reports);
  const byCounty = [...groupBy(rows, (r) => truncateTo(r.region_code, 'COUNTY'))]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([county, group]) => ({
      county: { code: county },
      enterprises: new Set(group.map((r) => r.enterprise_code)).size,
      sums: sum(group),
    }));
  return { region: { code: regionCode }, from, to, all: sum(rows), byKind: byKind(rows), byEnterprise, byCounty };
}

export interface FamilyAssistanceRow {
  childId: string;
  enterpriseName: string;
  kind: AssistanceKind;
  date: string;
  amount: string | null;
  notes: string | null;
}

/**
 * Reports covering the workers linked to these children, for civil affairs. The links are read
 * through the caller's jurisdiction (they carry the child's region), so only children the caller
 * may see have any; the reports and enterprise names they lead to lie in the enterprises'
 * regions and are read for those links alone.
 */
export async function familyAssistanceOf(em: EntityManager, childIds: string[]): Promise<FamilyAssistanceRow[]> {
  const links = await em.find(WorkerLinkSchema, { childId: { $in: childIds } }, { fields: ['workerId', 'childId'] });
  if (links.length === 0) return [];
  const outsideJurisdiction = { filters: { jurisdiction: false } };
  const reports = await em.find(
    AssistanceReportSchema,
    { workerIds: { $overlap: [...new Set(links.map((l) => l.workerId))] } },
    { ...outsideJurisdiction, orderBy: { date: 'desc', id: 'desc' } },
  );
  if (reports.length === 0) return [];
  const names = new Map(
    (
      await em.find(
        EnterpriseSchema,
        { creditCode: { $in: [...new Set(reports.map((r) => r.enterpriseCode))] } },
        { ...outsideJurisdiction, fields: ['creditCode', 'name'] },
      )
    ).map((e) => [e.creditCode, e.name]),
  );
  const workersOf = new Map<string, Set<string>>();
  for (const l of links) workersOf.set(l.childId, (workersOf.get(l.childId) ?? new Set()).add(l.workerId));
  return [...workersOf].flatMap(([childId, workers]) =>
    reports
      .filter((r) => r.workerIds.some((w) => workers.has(w)))
      .map((r) => ({
        childId,
        enterpriseName: names.get(r.enterpriseCode)!,
        kind: r.kind,
        date: r.date,
        amount: r.amount,
        notes: r.notes,
      })),
  );
}
