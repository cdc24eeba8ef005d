import type { EntitySchema } from '@mikro-orm/core';
import type { Department } from '../../auth/principal';
import { perRequest, type HubContext } from '../../context';
import { checkVersion, flushOrConflict } from '../../db/flush';
import { publish } from '../../events/feed';
import { manyLoader, oneLoader } from '../../db/loaders';
import { badInput, conflict, forbidden, notFound } from '../../errors';
import { REGION_CODE_PATTERN } from '../../regions/region-code';
import { pageOf, type Connection } from '../connection';
import { optionalText, requirePastDate, requireText } from '../input';
import { isGuardianOf, jurisdictionOfChild } from '../../peers/registry-client';
import { isIsoDate } from '../scalars';
import {
  AccountabilityRecordSchema,
  type AccountabilityRecord,
  type IssuingDepartment,
} from './accountability-record.entity';
import {
  GuardianshipProceedingSchema,
  type GuardianshipProceeding,
  type ProceedingStatus,
} from './guardianship-proceeding.entity';
import type {
  FileGuardianshipProceedingInput,
  OpenLegalAidCaseInput,
  RecordAccountabilityInput,
  RecordProceedingDecisionInput,
  UpdateLegalAidCaseInput,
} from './justice.generated';
import { LegalAidCaseSchema, type LegalAidCase, type LegalAidStatus } from './legal-aid-case.entity';

const MAX_TEXT = 2000;

/** Justice's loaders for one request; every row read goes through the scoped `em`. */
export const justiceLoaders = perRequest(({ em }) => ({
  legalAidCase: oneLoader(
    (ids) => em.find(LegalAidCaseSchema, { id: { $in: ids } }),
    (c) => c.id,
  ),
  proceeding: oneLoader(
    (ids) => em.find(GuardianshipProceedingSchema, { id: { $in: ids } }),
    (p) => p.id,
  ),
  legalAidCasesOfChild: manyLoader(
    (ids) => em.find(LegalAidCaseSchema, { childId: { $in: ids } }, { orderBy: { openedAt: 'desc', id: 'desc' } }),
    (c) => c.childId,
  ),
  proceedingsOfChild: manyLoader(
    (ids) =>
      em.find(GuardianshipProceedingSchema, { childId: { $in: ids } }, { orderBy: { filedOn: 'desc', id: 'desc' } }),
    (p) => p.childId,
  ),
  accountabilityOfChild: manyLoader(
    (ids) =>
      em.find(
        AccountabilityRecordSchema,
        { childId: { $in: ids } },
        { orderBy: { issuedOn: 'desc', recordedAt: 'desc', id: 'desc' } },
      ),
    (r) => r.childId,
  ),
}));

/** Where a legal-aid case may go from each status. A closed case stays closed: open a new one. */
const CASE_STEPS: Record<LegalAidStatus, readonly LegalAidStatus[]> = {
  OPEN: ['OPEN', 'IN_PROGRESS', 'CLOSED'],
  IN_PROGRESS: ['IN_PROGRESS', 'CLOSED'],
  CLOSED: [],
};

/** Where a proceeding may go from each status. A decided or withdrawn petition is final. */
const PROCEEDING_STEPS: Record<ProceedingStatus, readonly ProceedingStatus[]> = {
  FILED: ['HEARING', 'DECIDED', 'WITHDRAWN'],
  HEARING: ['DECIDED', 'WITHDRAWN'],
  DECIDED: [],
  WITHDRAWN: [],
};

function checkStep<S extends string>(steps: Record<S, readonly S[]>, what: string, from: S, to: S) {
  if (!steps[from].includes(to)) {
    throw conflict(
      steps[from].length ? `A ${what} that is ${from} cannot become ${to}` : `A ${what} that is ${from} is final`,
      { field: 'status' },
    );
  }
}

/**
 * Tells the registry whether a case of the child is open: while one is, justice sees the
 * child's registry record in full (the `openJusticeCase` condition), decided there from these events.
 */
function announce(ctx: HubContext, row: { id: string; childId: string }, open: boolean) {
  publish(ctx.em, 'JusticeCase', { caseId: row.id, childId: row.childId, open });
}

export async function openLegalAidCase(ctx: HubContext, input: OpenLegalAidCaseInput): Promise<LegalAidCase> {
  const provider = requireText('provider', input.provider);
  const regionCode = await jurisdictionOfChild(ctx, input.childId);
  const row = ctx.em.create(LegalAidCaseSchema, {
    id: crypto.randomUUID(),
    childId: input.childId,
    regionCode,
    caseType: input.caseType,
    provider,
    status: 'OPEN',
    outcome: null,
    closedAt: null,
  } as LegalAidCase);
  announce(ctx, row, true);
  await flushOrConflict(ctx.em);
  return row;
}

export async function updateLegalAidCase(ctx: HubContext, input: UpdateLegalAidCaseInput): Promise<LegalAidCase> {
  const row = await justiceLoaders(ctx).legalAidCase.load(input.id);
  if (!row) throw notFound('Legal-aid case');
  checkVersion(row, input.version);
  const status = input.status ?? row.status;
  checkStep(CASE_STEPS, 'legal-aid case', row.status, status);
  const provider = input.provider != null ? requireText('provider', input.provider) : row.provider;
  const outcome = input.outcome != null ? optionalText('outcome', input.outcome, MAX_TEXT) : row.outcome;
  if (status === 'CLOSED' && !outcome) throw badInput('outcome', 'is required to close a case');
  ctx.em.assign(row, { status, provider, outcome, closedAt: status === 'CLOSED' ? new Date() : null });
  if (status === 'CLOSED') announce(ctx, row, false);
  await flushOrConflict(ctx.em);
  return row;
}

export async function fileGuardianshipProceeding(
  ctx: HubContext,
  input: FileGuardianshipProceedingInput,
): Promise<GuardianshipProceeding> {
  const petitioner = requireText('petitioner', input.petitioner);
  const court = requireText('court', input.court);
  const filedOn = requirePastDate('filedOn', input.filedOn);
  const regionCode = await jurisdictionOfChild(ctx, input.childId);
  const row = ctx.em.create(GuardianshipProceedingSchema, {
    id: crypto.randomUUID(),
    childId: input.childId,
    regionCode,
    kind: input.kind,
    petitioner,
    court,
    status: 'FILED',
    filedOn,
    decisionDate: null,
    decision: null,
  } as GuardianshipProceeding);
  announce(ctx, row, true);
  await flushOrConflict(ctx.em, `A ${input.kind} petition for this child is already before the court`);
  return row;
}

export async function recordProceedingDecision(
  ctx: HubContext,
  input: RecordProceedingDecisionInput,
): Promise<GuardianshipProceeding> {
  if (input.status === 'FILED') throw badInput('status', 'must be HEARING, DECIDED or WITHDRAWN');
  const row = await justiceLoaders(ctx).proceeding.load(input.id);
  if (!row) throw notFound('Guardianship proceeding');
  checkVersion(row, input.version);
  checkStep(PROCEEDING_STEPS, 'proceeding', row.status, input.status);
  let decisionDate: string | null = null;
  let decision: string | null = null;
  if (input.status === 'HEARING') {
    if (input.decisionDate != null) throw badInput('decisionDate', 'does not apply to HEARING');
    if (input.decision != null) throw badInput('decision', 'does not apply to HEARING');
  } else {
    if (input.decisionDate == null) throw badInput('decisionDate', `is required for ${input.status}`);
    decisionDate = requirePastDate('decisionDate', input.decisionDate);
    if (decisionDate < row.filedOn) throw badInput('decisionDate', `must not be before the filing (${row.filedOn})`);
    decision =
      input.status === 'DECIDED'
        ? requireText('decision', input.decision, MAX_TEXT)
        : optionalText('decision', input.decision, MAX_TEXT);
  }
  ctx.em.assign(row, { status: input.status, decisionDate, decision });
  if (input.status !== 'HEARING') announce(ctx, row, false);
  await flushOrConflict(ctx.em);
  return row;
}

/**
 * Departments that may record only the measures they issue themselves; justice, which keeps
 * the record for the courts and procuratorates too, records any issuer's.
 */
const RECORDS_OWN_MEASURES_ONLY: Partial<Record<Department, IssuingDepartment>> = {
  PUBLIC_SECURITY: 'PUBLIC_SECURITY',
};

export async function recordAccountability(
  ctx: HubContext,
  input: RecordAccountabilityInput,
): Promise<AccountabilityRecord> {
  const own = RECORDS_OWN_MEASURES_ONLY[ctx.principal.dept];
  if (own && input.issuingDepartment !== own) {
    throw forbidden(`${ctx.principal.dept} records only the measures it issues itself`);
  }
  const issuedOn = requirePastDate('issuedOn', input.issuedOn);
  const notes = optionalText('notes', input.notes, MAX_TEXT);
  const regionCode = await jurisdictionOfChild(ctx, input.childId);
  if (!(await isGuardianOf(ctx, input.guardianId, input.childId))) {
    throw badInput('guardianId', "is not one of this child's guardians");
  }
  const row = ctx.em.create(AccountabilityRecordSchema, {
    childId: input.childId,
    regionCode,
    guardianId: input.guardianId,
    measure: input.measure,
    issuingDepartment: input.issuingDepartment,
    issuedOn,
    notes,
  } as AccountabilityRecord);
  await flushOrConflict(ctx.em);
  return row;
}

export type LegalAidCaseConnection = Connection<LegalAidCase>;
export type GuardianshipProceedingConnection = Connection<GuardianshipProceeding>;

interface PageArgs<S> {
  regionCode?: string | null;
  status?: S | null;
  first?: number | null;
  after?: string | null;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A page of a work list, newest first: by `sortKey` (a timestamp or a date), then id. */
function workList<T extends { id: string; status: string }>(
  ctx: HubContext,
  schema: EntitySchema<T>,
  sortKey: keyof T & string,
  args: PageArgs<T['status']>,
): Promise<Connection<T>> {
  const where: Record<string, unknown> = {};
  if (args.regionCode != null) {
    if (!REGION_CODE_PATTERN.test(args.regionCode)) throw badInput('regionCode', 'is not a region code');
    where.regionCode = { $like: `${args.regionCode}%` };
  }
  if (args.status) where.status = args.status;
  const order = { key: sortKey, direction: 'desc', valid: (v: string) => isIsoDate(v) || ISO_INSTANT.test(v) } as const;
  return pageOf(ctx, schema, where, order, args.first ?? 20, args.after);
}

export const listLegalAidCases = (ctx: HubContext, args: PageArgs<LegalAidStatus>) =>
  workList(ctx, LegalAidCaseSchema, 'openedAt', args);

export const listGuardianshipProceedings = (ctx: HubContext, args: PageArgs<ProceedingStatus>) =>
  workList(ctx, GuardianshipProceedingSchema, 'filedOn', args);
