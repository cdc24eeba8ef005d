import { randomInt } from 'node:crypto';
import { OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Department } from '../../auth/principal';
import { perRequest, type HubContext } from '../../context';
import { checkVersion } from '../../db/flush';
import { manyLoader, oneLoader } from '../../db/loaders';
import { scopedRead } from '../../db/scoped-read';
import { badInput, conflict, forbidden, notFound } from '../../errors';
import { NATIONAL_SCOPE, scopedEntityManager } from '../../policy/jurisdiction';
import { requireRegion } from '../../regions/region.service';
import { truncateTo } from '../../regions/region-code';
import { publish } from '../../events/feed';
import { isGuardianOf, jurisdictionOfChild } from '../../peers/registry-client';
import { optionalText, requirePastDate, requirePhone, requireText } from '../input';
import {
  AssessmentSchema,
  ReferralSchema,
  TaskSchema,
  VisitSchema,
  type AssessmentDomain,
  type DomainFinding,
  type Referral,
  type ReferralService,
  type ReferralStatus,
  type Step,
  type Task,
} from './casework-records.entity';
import type {
  AnswerReferralInput,
  AssessCaseInput,
  CaseStepInput,
  CloseCaseInput,
  HandToTownshipInput,
  MarkNotSubstantiatedInput,
  ObjectToFindingInput,
  RecordChildSafeInput,
  RecordGuardianFailureInput,
  RecordVisitInput,
  ReferCaseInput,
  ReportConcernInput,
  ResendReferralInput,
  ReviewCaseInput,
} from './casework.generated';
import { deadlineFor, dueAt } from './deadlines';
import { outboxWritten, writeOutbox, type EventKind, type OutboxEntry } from './outbox';
import {
  CaseEventSchema,
  ProtectionCaseSchema,
  type CaseStatus,
  type ProtectionCase,
  type RiskLevel,
} from './protection-case.entity';

const MAX_TEXT = 4000;

const casesByChild = scopedRead(ProtectionCaseSchema, 'childId', [['receivedAt', 'desc']]);

/** Casework's loaders for one request; every row read goes through the scoped `em`. */
export const caseworkLoaders = perRequest(({ em }) => ({
  protectionCase: oneLoader(
    (ids) => em.find(ProtectionCaseSchema, { id: { $in: ids } }),
    (c) => c.id,
  ),
  casesOfChild: manyLoader(
    (ids) => casesByChild(em, ids),
    (c) => c.childId!,
  ),
  timeline: manyLoader(
    (ids) => em.find(CaseEventSchema, { caseId: { $in: ids } }, { orderBy: { at: 'asc', id: 'asc' } }),
    (e) => e.caseId,
  ),
  assessment: oneLoader(
    (ids) => em.find(AssessmentSchema, { caseId: { $in: ids } }),
    (a) => a.caseId,
  ),
  referrals: manyLoader(
    (ids) => em.find(ReferralSchema, { caseId: { $in: ids } }, { orderBy: { sentAt: 'asc', id: 'asc' } }),
    (r) => r.caseId,
  ),
  visits: manyLoader(
    (ids) => em.find(VisitSchema, { caseId: { $in: ids } }, { orderBy: { visitedAt: 'asc', id: 'asc' } }),
    (v) => v.caseId,
  ),
  tasks: manyLoader(
    (ids) => em.find(TaskSchema, { caseId: { $in: ids } }, { orderBy: { dueAt: 'asc', id: 'asc' } }),
    (t) => t.caseId,
  ),
}));

/** Which department a referral for each service goes to. */
export const REFERRAL_DEPARTMENT: Record<ReferralService, Department> = {
  CARE_GUIDANCE: 'CIVIL_AFFAIRS',
  MEDICAL_TREATMENT: 'CIVIL_AFFAIRS',
  VOLUNTEER_CARE: 'YOUTH_LEAGUE',
  FAMILY_EDUCATION_GUIDANCE: 'WOMENS_FEDERATION',
  LEGAL_AID: 'JUSTICE',
  SCHOOLING_SUPPORT: 'EDUCATION',
  HOUSEHOLD_REGISTRATION: 'PUBLIC_SECURITY',
};

/** Where a referral may go from each status, and who moves it there. */
const REFERRAL_STEPS: Record<ReferralStatus, readonly ReferralStatus[]> = {
  SENT: ['ACCEPTED', 'DECLINED'],
  ACCEPTED: ['IN_PROGRESS', 'COMPLETED'],
  IN_PROGRESS: ['COMPLETED'],
  DECLINED: [],
  COMPLETED: [],
};
const OPEN_REFERRAL: readonly ReferralStatus[] = ['SENT', 'ACCEPTED', 'IN_PROGRESS'];

const DOMAINS: readonly AssessmentDomain[] = [
  'SAFETY',
  'GUARDIANSHIP_AND_CARE',
  'PHYSICAL_HEALTH',
  'MENTAL_HEALTH',
  'SCHOOLING',
];
const RISK_ORDER: readonly RiskLevel[] = ['LOW', 'MEDIUM', 'HIGH'];

/** The township a case is handed over to and assessed by: where its events for civil affairs go. */
const townshipOf = (c: ProtectionCase) => truncateTo(c.regionCode, 'TOWNSHIP');

/** One change of a case, in one transaction with its timeline entry, tasks and outbox events. */
interface Change {
  em: EntityManager;
  now: Date;
  /**
   * Adds an entry to the case's timeline and touches the case, so its version moves: every change
   * of a case or of its parts fails when the case was changed since it was read.
   */
  log(c: ProtectionCase, kind: string, detail?: string | null): void;
  /** Announces an event to a department's units of the case's region (or of `regionCode`). */
  tell(
    c: ProtectionCase,
    kind: EventKind,
    department: Department,
    subjectId?: string | null,
    regionCode?: string,
  ): void;
  /** Opens a step with its deadline from the policy, counted from now (or from `from`). */
  open(
    c: ProtectionCase,
    step: Step,
    department: Department,
    options?: { referralId?: string; from?: Date },
  ): Promise<Task>;
  /** Marks the case's open steps of these kinds (for one referral, when given) as done. */
  finish(c: ProtectionCase, steps: readonly Step[], referralId?: string): Promise<void>;
}

async function change<T>(ctx: HubContext, em: EntityManager, work: (change: Change) => Promise<T>): Promise<T> {
  const now = ctx.clock.now();
  const { sub, dept } = ctx.principal;
  const outbox: OutboxEntry[] = [];
  try {
    const result = await em.transactional(async (tx) => {
      const result = await work({
        em: tx,
        now,
        log: (c, kind, detail = null) => {
          // Strictly later than the last change, even on a clock that stands still: the case row
          // always changes (so its version moves) and the timeline keeps its order.
          const at = new Date(Math.max(now.getTime(), c.updatedAt.getTime() + 1));
          c.updatedAt = at;
          tx.create(CaseEventSchema, {
            id: crypto.randomUUID(),
            caseId: c.id,
            regionCode: c.regionCode,
            at,
            kind,
            actorDept: dept,
            actorAccount: sub,
            detail: detail?.slice(0, 500) ?? null,
          });
        },
        tell: (c, kind, department, subjectId = null, regionCode = c.regionCode) =>
          outbox.push({ kind, caseId: c.id, subjectId, department, regionCode }),
        open: async (c, step, department, { referralId, from = now } = {}) => {
          const variants = [c.urgency, ...(c.riskLevel ? [c.riskLevel] : [])];
          const deadline = await deadlineFor(tx, c.regionCode, step, variants);
          return tx.create(TaskSchema, {
            id: crypto.randomUUID(),
            caseId: c.id,
            referralId: referralId ?? null,
            regionCode: c.regionCode,
            step,
            department,
            startedAt: from,
            dueAt: dueAt(deadline, from),
            escalateSeconds: deadline.escalateSeconds,
            doneAt: null,
            escalationLevel: 0,
          });
        },
        finish: async (c, steps, referralId) => {
          const open = await tx.find(TaskSchema, {
            caseId: c.id,
            step: { $in: [...steps] },
            doneAt: null,
            ...(referralId ? { referralId } : {}),
          });
          for (const task of open) task.doneAt = now;
        },
      });
      await tx.flush();
      await writeOutbox(tx, outbox, now);
      return result;
    });
    if (outbox.length) outboxWritten.emit('written');
    return result;
  } catch (err) {
    if (err instanceof OptimisticLockError) throw conflict('The case was changed by someone else; read it again');
    if (err instanceof UniqueConstraintViolationException) throw conflict('This was recorded already');
    throw err;
  }
}

async function loadCase(em: EntityManager, id: string, version: number): Promise<ProtectionCase> {
  const c = await em.findOne(ProtectionCaseSchema, { id });
  if (!c) throw notFound('Protection case');
  checkVersion(c, version, 'case');
  return c;
}

function requireStatus(c: ProtectionCase, allowed: readonly CaseStatus[], action: string) {
  if (!allowed.includes(c.status)) {
    throw conflict(`A case that is ${c.status} cannot be ${action}`, { field: 'status' });
  }
}

function receiptNumber(now: Date): string {
  const day = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
  return `BG${day}-${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
}

/**
 * A mandatory report. Anyone with the reporter role may report a child anywhere: the case is
 * scoped to the place of the concern, which routes it to that place's police and township, so it
 * is written outside the reporter's jurisdiction on purpose; the reporter keeps only the receipt.
 */
export async function reportConcern(ctx: HubContext, input: ReportConcernInput): Promise<ProtectionCase> {
  const place = await requireRegion(ctx, 'regionCode', input.regionCode, ['TOWNSHIP', 'VILLAGE']);
  const address = requireText('address', input.address, 200);
  const reportingUnit = requireText('reportingUnit', input.reportingUnit, 100);
  const reporterContact = requirePhone('reporterContact', input.reporterContact);
  const narrative = requireText('narrative', input.narrative, MAX_TEXT);
  const childName = optionalText('childName', input.childName, 50);
  const approximateAge = input.approximateAge ?? null;
  if (approximateAge !== null && (approximateAge < 0 || approximateAge > 17)) {
    throw badInput('approximateAge', 'must be between 0 and 17');
  }
  if (input.childId) {
    if (childName || approximateAge !== null) {
      throw badInput('childId', 'give either a registered child or a description, not both');
    }
    // A registered child is named only by a reporter who can see the child's record.
    await jurisdictionOfChild(ctx, input.childId);
  } else if (!childName && approximateAge === null) {
    throw badInput('childId', 'name the registered child, or describe the child with a name or an approximate age');
  }
  const em = scopedEntityManager(ctx.em, NATIONAL_SCOPE);
  return change(ctx, em, async ({ em, now, log, tell, open }) => {
    const c = em.create(ProtectionCaseSchema, {
      id: crypto.randomUUID(),
      receiptNumber: receiptNumber(now),
      childId: input.childId ?? null,
      childName,
      approximateAge,
      regionCode: place.code,
      address,
      concernType: input.concernType,
      urgency: input.urgency,
      reportingUnit,
      reporterContact,
      reporterAccount: ctx.principal.sub,
      reporterDept: ctx.principal.dept,
      narrative,
      status: 'RECEIVED',
      receivedAt: now,
      updatedAt: now,
      acceptedAt: null,
      dispatchedAt: null,
      childSafeAt: null,
      handedOverAt: null,
      closedAt: null,
      placementKind: null,
      placementAddress: null,
      placementSince: null,
      riskLevel: null,
      outcome: null,
      objection: null,
    } as ProtectionCase);
    log(c, 'REPORTED', `${reportingUnit}: ${input.concernType}, ${input.urgency}`);
    await open(c, 'ACCEPT', 'PUBLIC_SECURITY');
    tell(c, 'CASE_REPORTED', 'PUBLIC_SECURITY');
    tell(c, 'CASE_REPORTED', 'CIVIL_AFFAIRS', null, townshipOf(c));
    return c;
  });
}

/** The reporter's view: the receipt's status, for the account that reported, and nothing else. */
export async function concernReceipt(ctx: HubContext, receipt: string): Promise<ProtectionCase | null> {
  const em = scopedEntityManager(ctx.em, NATIONAL_SCOPE);
  return em.findOne(ProtectionCaseSchema, { receiptNumber: receipt, reporterAccount: ctx.principal.sub });
}

export function acceptReport(ctx: HubContext, input: CaseStepInput) {
  return change(ctx, ctx.em, async ({ em, now, log, tell, open, finish }) => {
    const c = await loadCase(em, input.caseId, input.version);
    requireStatus(c, ['RECEIVED'], 'accepted');
    Object.assign(c, { status: 'ACCEPTED', acceptedAt: now });
    log(c, 'ACCEPTED', input.note);
    await finish(c, ['ACCEPT']);
    await open(c, 'DISPATCH', 'PUBLIC_SECURITY');
    tell(c, 'CASE_ACCEPTED', 'CIVIL_AFFAIRS', null, townshipOf(c));
    return c;
  });
}

export function dispatchResponse(ctx: HubContext, input: CaseStepInput) {
  return change(ctx, ctx.em, async ({ em, now, log, tell, open, finish }) => {
    const c = await loadCase(em, input.caseId, input.version);
    requireStatus(c, ['ACCEPTED'], 'dispatched');
    Object.assign(c, { status: 'DISPATCHED', dispatchedAt: now });
    log(c, 'DISPATCHED', input.note);
    await finish(c, ['DISPATCH']);
    await open(c, 'SECURE', 'PUBLIC_SECURITY');
    tell(c, 'CASE_DISPATCHED', 'CIVIL_AFFAIRS', null, townshipOf(c));
    return c;
  });
}

export function recordChildSafe(ctx: HubContext, input: RecordChildSafeInput) {
  const placementAddress = requireText('placementAddress', input.placementAddress, 200);
  return change(ctx, ctx.em, async ({ em, now, log, tell, open, finish }) => {
    const c = await loadCase(em, input.caseId, input.version);
    requireStatus(c, ['DISPATCHED'], 'marked safe');
    const since = input.since ? new Date(input.since) : now;
    if (since > now) throw badInput('since', 'must not be in the future');
    if (since < c.receivedAt) throw badInput('since', 'must not be before the report was received');
    Object.assign(c, {
      status: 'CHILD_SAFE',
      childSafeAt: now,
      placementKind: input.placementKind,
      placementAddress,
      placementSince: since,
    });
    log(c, 'CHILD_SAFE', input.placementKind);
    await finish(c, ['SECURE']);
    await open(c, 'HAND_OVER', 'PUBLIC_SECURITY');
    tell(c, 'CHILD_SAFE', 'CIVIL_AFFAIRS', null, townshipOf(c));
    return c;
  });
}

export function handToTownship(ctx: HubContext, input: HandToTownshipInput) {
  return change(ctx, ctx.em, async ({ em, now, log, tell, open, finish }) => {
    const c = await loadCase(em, input.caseId, input.version);
    requireStatus(c, ['CHILD_SAFE'], 'handed to the township');
    // Until the township has assessed it, a case reported in immediate danger counts as high risk.
    const risk = input.riskLevel ?? (c.urgency === 'IMMEDIATE_DANGER' ? 'HIGH' : 'MEDIUM');
    Object.assign(c, { status: 'HANDED_TO_TOWNSHIP', handedOverAt: now, riskLevel: risk });
    log(c, 'HANDED_TO_TOWNSHIP', `${risk}${input.note ? `: ${input.note}` : ''}`);
    await finish(c, ['HAND_OVER']);
    await open(c, 'ASSESS', 'CIVIL_AFFAIRS');
    tell(c, 'CASE_HANDED_TO_TOWNSHIP', 'CIVIL_AFFAIRS', null, townshipOf(c));
    return c;
  });
}

export function markNotSubstantiated(ctx: HubContext, input: MarkNotSubstantiatedInput) {
  const reason = requireText('reason', input.reason, MAX_TEXT);
  return change(ctx, ctx.em, async ({ em, now, log, tell, finish }) => {
    const c = await loadCase(em, input.caseId, input.version);
    requireStatus(c, ['RECEIVED', 'ACCEPTED', 'DISPATCHED'], 'found not substantiated');
    Object.assign(c, { status: 'NOT_SUBSTANTIATED', closedAt: now, outcome: reason });
    log(c, 'NOT_SUBSTANTIATED', reason);
    await finish(c, ['ACCEPT', 'DISPATCH', 'SECURE']);
    tell(c, 'CASE_NOT_SUBSTANTIATED', 'CIVIL_AFFAIRS', null, townshipOf(c));
    return c;
  });
}

/** Civil affairs objects to a finding of no substance: the case goes back to the police, accepted. */
export function objectToFinding(ctx: HubContext, input: ObjectToFindingInput) {
  const objection = requireText('objection', input.objection, MAX_TEXT);
  return change(ctx, ctx.em, async ({ em, log, tell, open }) => {
    const c = await loadCase(em, input.caseId, input.version);
    requireStatus(c, ['NOT_SUBSTANTIATED'], 'objected to');
    Object.assign(c, { status: 'ACCEPTED', closedAt: null, objection });
    log(c, 'FINDING_OBJECTED', objection);
    await open(c, 'DISPATCH', 'PUBLIC_SECURITY');
    tell(c, 'FINDING_OBJECTED', 'PUBLIC_SECURITY');
    return c;
  });
}

/**
 * The police found that a guardian failed the child: the measure goes on the justice record
 * (justice writes it from casework's `GuardianFailureFound` event, under the id given here),
 * civil affairs is told, and where no guardian can care, told to take temporary guardianship.
 */
export function recordGuardianFailure(ctx: HubContext, input: RecordGuardianFailureInput) {
  const issuedOn = requirePastDate('issuedOn', input.issuedOn);
  const notes = optionalText('notes', input.notes, MAX_TEXT);
  return change(ctx, ctx.em, async ({ em, log, tell }) => {
    const c = await loadCase(em, input.caseId, input.version);
    requireStatus(c, ['DISPATCHED', 'CHILD_SAFE', 'HANDED_TO_TOWNSHIP'], 'given a guardian failure');
    if (!c.childId) throw badInput('caseId', 'the child must be registered before a guardian is held to account');
    if (!(await isGuardianOf(ctx, input.guardianId, c.childId))) {
      throw badInput('guardianId', "is not one of this child's guardians");
    }
    const recordId = crypto.randomUUID();
    publish(em, 'GuardianFailureFound', {
      recordId,
      caseId: c.id,
      childId: c.childId,
      regionCode: await jurisdictionOfChild(ctx, c.childId),
      guardianId: input.guardianId,
      measure: input.measure,
      issuingDepartment: 'PUBLIC_SECURITY',
      issuedOn,
      notes,
    });
    log(c, 'GUARDIAN_FAILURE_FOUND', input.measure);
    tell(c, 'GUARDIAN_FAILURE_FOUND', 'CIVIL_AFFAIRS', recordId, townshipOf(c));
    tell(c, 'GUARDIAN_FAILURE_FOUND', 'JUSTICE', recordId);
    if (input.noGuardianCanCare) {
      log(c, 'TEMPORARY_GUARDIANSHIP_NEEDED');
      tell(c, 'TEMPORARY_GUARDIANSHIP_NEEDED', 'CIVIL_AFFAIRS', null, truncateTo(c.regionCode, 'COUNTY'));
    }
    return c;
  });
}

function checkDomains(domains: readonly DomainFinding[]): DomainFinding[] {
  const seen = new Set(domains.map((d) => d.domain));
  const missing = DOMAINS.filter((d) => !seen.has(d));
  if (missing.length || seen.size !== domains.length) {
    throw badInput('domains', `must give each of ${DOMAINS.join(', ')} exactly once`);
  }
  return domains.map((d) => ({
    domain: d.domain,
    level: d.level,
    findings: requireText('findings', d.findings, MAX_TEXT),
  }));
}

export function assessCase(ctx: HubContext, input: AssessCaseInput) {
  const domains = checkDomains(input.domains);
  const carePlan = requireText('carePlan', input.carePlan, MAX_TEXT);
  const assessor = requireText('assessor', input.assessor, 100);
  // The overall risk is the worst of the domains: one high-risk domain makes a high-risk case.
  const overallRisk = RISK_ORDER[Math.max(...domains.map((d) => RISK_ORDER.indexOf(d.level)))];
  return change(ctx, ctx.em, async ({ em, now, log, tell, open, finish }) => {
    const c = await loadCase(em, input.caseId, input.version);
    requireStatus(c, ['HANDED_TO_TOWNSHIP'], 'assessed');
    if (await em.count(AssessmentSchema, { caseId: c.id })) throw conflict('The case has been assessed already');
    em.create(AssessmentSchema, {
      id: crypto.randomUUID(),
      caseId: c.id,
      regionCode: c.regionCode,
      domains,
      overallRisk,
      carePlan,
      assessedAt: now,
      assessor,
    });
    c.riskLevel = overallRisk;
    log(c, 'ASSESSED', overallRisk);
    await finish(c, ['ASSESS']);
    await open(c, 'VISIT', 'CIVIL_AFFAIRS');
    await open(c, 'REVIEW', 'CIVIL_AFFAIRS');
    tell(c, 'CASE_ASSESSED', 'PUBLIC_SECURITY');
    return c;
  });
}

async function requireAssessed(em: EntityManager, c: ProtectionCase, action: string) {
  requireStatus(c, ['HANDED_TO_TOWNSHIP'], action);
  if (!(await em.count(AssessmentSchema, { caseId: c.id }))) {
    throw conflict(`A case must be assessed before it is ${action}`, { field: 'status' });
  }
}

export function referCase(ctx: HubContext, input: ReferCaseInput) {
  const note = optionalText('note', input.note, 500);
  return change(ctx, ctx.em, async ({ em, now, log, tell, open }) => {
    const c = await loadCase(em, input.caseId, input.version);
    await requireAssessed(em, c, 'referred');
    const toDepartment = REFERRAL_DEPARTMENT[input.service];
    const referral = em.create(ReferralSchema, {
      id: crypto.randomUUID(),
      caseId: c.id,
      regionCode: c.regionCode,
      service: input.service,
      toDepartment,
      note,
      status: 'SENT',
      declineReason: null,
      outcome: null,
      sentAt: now,
      answeredAt: null,
      completedAt: null,
    } as Referral);
    log(c, 'REFERRAL_SENT', `${input.service} → ${toDepartment}`);
    await open(c, 'ANSWER_REFERRAL', toDepartment, { referralId: referral.id });
    tell(c, 'REFERRAL_SENT', toDepartment, referral.id);
    return referral;
  });
}

async function loadReferral(em: EntityManager, id: string, version: number) {
  const referral = await em.findOne(ReferralSchema, { id });
  if (!referral) throw notFound('Referral');
  checkVersion(referral, version, 'referral');
  const c = await em.findOneOrFail(ProtectionCaseSchema, { id: referral.caseId });
  return { referral, c };
}

/** The receiving department answers and works a referral; a decline goes back to the township. */
export function answerReferral(ctx: HubContext, input: AnswerReferralInput) {
  return change(ctx, ctx.em, async ({ em, now, log, tell, finish }) => {
    const { referral, c } = await loadReferral(em, input.id, input.version);
    if (referral.toDepartment !== ctx.principal.dept) {
      throw forbidden(`This referral is for ${referral.toDepartment}`);
    }
    const to = input.status as ReferralStatus;
    if (!REFERRAL_STEPS[referral.status].includes(to)) {
      throw conflict(`A referral that is ${referral.status} cannot become ${to}`, { field: 'status' });
    }
    if (to === 'DECLINED') {
      referral.declineReason = requireText('reason', input.reason, 500);
    } else if (input.reason != null) {
      throw badInput('reason', 'applies only to DECLINED');
    }
    if (to === 'COMPLETED') {
      referral.outcome = requireText('outcome', input.outcome, MAX_TEXT);
      referral.completedAt = now;
    } else if (input.outcome != null) {
      throw badInput('outcome', 'applies only to COMPLETED');
    }
    if (referral.status === 'SENT') {
      referral.answeredAt = now;
      await finish(c, ['ANSWER_REFERRAL'], referral.id);
    }
    referral.status = to;
    log(c, `REFERRAL_${to}`, `${referral.service}${input.reason ? `: ${input.reason}` : ''}`);
    tell(c, `REFERRAL_${to}` as EventKind, 'CIVIL_AFFAIRS', referral.id, townshipOf(c));
    return referral;
  });
}

/** The township sends a declined referral again, to the same service or another. */
export function resendReferral(ctx: HubContext, input: ResendReferralInput) {
  const note = optionalText('note', input.note, 500);
  return change(ctx, ctx.em, async ({ em, now, log, tell, open }) => {
    const { referral, c } = await loadReferral(em, input.id, input.version);
    if (referral.status !== 'DECLINED') {
      throw conflict(`Only a declined referral can be sent again; this one is ${referral.status}`, { field: 'status' });
    }
    requireStatus(c, ['HANDED_TO_TOWNSHIP'], 'referred');
    const service = input.service ?? referral.service;
    Object.assign(referral, {
      service,
      toDepartment: REFERRAL_DEPARTMENT[service],
      note: note ?? referral.note,
      status: 'SENT',
      sentAt: now,
      answeredAt: null,
    });
    log(c, 'REFERRAL_SENT', `${service} → ${referral.toDepartment} (again)`);
    await open(c, 'ANSWER_REFERRAL', referral.toDepartment, { referralId: referral.id });
    tell(c, 'REFERRAL_SENT', referral.toDepartment, referral.id);
    return referral;
  });
}

export function recordVisit(ctx: HubContext, input: RecordVisitInput) {
  const visitor = requireText('visitor', input.visitor, 50);
  const findings = requireText('findings', input.findings, MAX_TEXT);
  return change(ctx, ctx.em, async ({ em, now, log, tell, open, finish }) => {
    const c = await loadCase(em, input.caseId, input.version);
    await requireAssessed(em, c, 'visited');
    const visitedAt = input.visitedAt ? new Date(input.visitedAt) : now;
    if (visitedAt > now) throw badInput('visitedAt', 'must not be in the future');
    if (c.handedOverAt && visitedAt < c.handedOverAt) throw badInput('visitedAt', 'must not be before the hand-over');
    const visit = em.create(VisitSchema, {
      id: crypto.randomUUID(),
      caseId: c.id,
      regionCode: c.regionCode,
      visitedAt,
      visitor,
      findings,
    });
    log(c, 'VISITED', visitor);
    await finish(c, ['VISIT']);
    await open(c, 'VISIT', 'CIVIL_AFFAIRS', { from: visitedAt });
    tell(c, 'VISIT_RECORDED', 'CIVIL_AFFAIRS', visit.id, truncateTo(c.regionCode, 'COUNTY'));
    return visit;
  });
}

export function reviewCase(ctx: HubContext, input: ReviewCaseInput) {
  const summary = requireText('summary', input.summary, MAX_TEXT);
  return change(ctx, ctx.em, async ({ em, log, tell, open, finish }) => {
    const c = await loadCase(em, input.caseId, input.version);
    await requireAssessed(em, c, 'reviewed');
    if (input.riskLevel) c.riskLevel = input.riskLevel;
    log(c, 'REVIEWED', `${c.riskLevel}: ${summary}`);
    await finish(c, ['REVIEW', ...(input.riskLevel ? (['VISIT'] as const) : [])]);
    await open(c, 'REVIEW', 'CIVIL_AFFAIRS');
    // A new risk level sets a new visiting schedule from today.
    if (input.riskLevel) await open(c, 'VISIT', 'CIVIL_AFFAIRS');
    tell(c, 'CASE_REVIEWED', 'CIVIL_AFFAIRS', null, truncateTo(c.regionCode, 'COUNTY'));
    return c;
  });
}

export function closeCase(ctx: HubContext, input: CloseCaseInput) {
  const outcome = requireText('outcome', input.outcome, MAX_TEXT);
  return change(ctx, ctx.em, async ({ em, now, log, tell, finish }) => {
    const c = await loadCase(em, input.caseId, input.version);
    await requireAssessed(em, c, 'closed');
    const open = await em.count(ReferralSchema, { caseId: c.id, status: { $in: [...OPEN_REFERRAL] } });
    if (open) throw conflict(`The case has ${open} open referral(s); they must be completed or declined first`);
    Object.assign(c, { status: 'CLOSED', closedAt: now, outcome });
    log(c, 'CLOSED', outcome);
    await finish(c, ['VISIT', 'REVIEW']);
    tell(c, 'CASE_CLOSED', 'PUBLIC_SECURITY');
    return c;
  });
}
