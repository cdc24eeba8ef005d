import type { HubContext } from '../../context';
import { flushOrConflict } from '../../db/flush';
import { isUuid } from '../../db/loaders';
import { badInput, conflict, notFound } from '../../errors';
import { jurisdictionOfChild } from '../../peers/registry-client';
import { findPage, type Connection } from '../connection';
import { optionalText, regionPrefix, requirePastDate, requireText } from '../input';
import { AbsenceSchema, type Absence } from './absence.entity';
import { DropoutAlertSchema, type DropoutAlert, type DropoutAlertReason } from './dropout-alert.entity';
import type { DropoutAlertStatus, RecordAbsenceInput, ResolveDropoutAlertInput } from './education.generated';
import { educationLoaders } from './education.loaders';
import { closedOn, inRunOfSchoolDays } from './school-days';
import { checkRegionFilter } from '../../policy/region-filter';

/** Consecutive school days of unexplained absence that raise a dropout alert. */
const ABSENCE_RUN = 3;

export type DropoutAlertConnection = Connection<DropoutAlert>;

/**
 * Raises a dropout alert for the child unless one is already open: the township and civil
 * affairs follow up a child once, however many reasons come in. The caller flushes.
 */
export async function raiseDropoutAlert(
  ctx: HubContext,
  alert: Pick<DropoutAlert, 'childId' | 'regionCode' | 'schoolCode'> & { reason: DropoutAlertReason },
): Promise<void> {
  if (await ctx.em.findOne(DropoutAlertSchema, { childId: alert.childId, status: 'OPEN' }, { fields: ['id'] })) return;
  ctx.em.create(DropoutAlertSchema, { ...alert, status: 'OPEN', resolution: null, resolvedAt: null } as DropoutAlert);
}

/**
 * Whether `date` completes a run of unexplained absences long enough to raise an alert. A run
 * lies within one enrolment, and a child has few absences: all of the enrolment's are read, so
 * the run may span a holiday or a vacation of any length.
 */
async function endsAbsenceRun(
  ctx: HubContext,
  enrolment: { childId: string; since: string },
  date: string,
  regionCode: string,
): Promise<boolean> {
  const recorded = await ctx.em.find(
    AbsenceSchema,
    { childId: enrolment.childId, explained: false, date: { $gte: enrolment.since } },
    { fields: ['date'] },
  );
  return inRunOfSchoolDays(date, new Set([date, ...recorded.map((a) => a.date)]), ABSENCE_RUN, regionCode);
}

/** A school records (or corrects) a child's absence on a school day. */
export async function recordAbsence(ctx: HubContext, input: RecordAbsenceInput): Promise<Absence> {
  const date = requirePastDate('date', input.date);
  const explained = input.explained ?? false;
  const reason = explained ? requireText('reason', input.reason, 200) : optionalText('reason', input.reason);
  const regionCode = await jurisdictionOfChild(ctx, input.childId);
  // A holiday is no absence; a make-up school day is a school day like any other.
  const closed = closedOn(date, regionCode);
  if (closed) throw badInput('date', `is not a school day: ${closed}`);
  const enrolment = await educationLoaders(ctx).enrolmentOfChild.load(input.childId);
  if (enrolment?.status !== 'ENROLLED') {
    throw conflict(`The child is not enrolled (${enrolment?.status ?? 'no enrolment on record'})`);
  }
  if (date < enrolment.since) throw badInput('date', `is before the current enrolment began (${enrolment.since})`);
  // Every read before the first write, so the one flush writes the absence and any alert together.
  const raise = !explained && (await endsAbsenceRun(ctx, enrolment, date, regionCode));
  const existing = await ctx.em.findOne(AbsenceSchema, { childId: input.childId, date });
  if (raise) {
    await raiseDropoutAlert(ctx, {
      childId: input.childId,
      regionCode,
      schoolCode: enrolment.schoolCode,
      reason: 'ABSENCES',
    });
  }
  const values = { regionCode, schoolCode: enrolment.schoolCode, explained, reason };
  const absence = existing
    ? ctx.em.assign(existing, values)
    : ctx.em.create(AbsenceSchema, { childId: input.childId, date, ...values } as Absence);
  await flushOrConflict(ctx.em, 'The absence or alert was recorded at the same time by another request; try again');
  return absence;
}

/** Dropout alerts of the caller's jurisdiction, in village order. */
export function dropoutAlerts(
  ctx: HubContext,
  regionCode: string | null | undefined,
  status: DropoutAlertStatus | null | undefined,
  first: number,
  after?: string | null,
): Promise<DropoutAlertConnection> {
  checkRegionFilter(ctx.principal, 'regionCode', regionCode, 'Child.residenceRegion');
  const where = { ...regionPrefix('regionCode', regionCode), ...(status ? { status } : {}) };
  return findPage(ctx.em, DropoutAlertSchema, where, 'id', first, after);
}

export async function resolveDropoutAlert(ctx: HubContext, input: ResolveDropoutAlertInput): Promise<DropoutAlert> {
  const resolution = requireText('resolution', input.resolution, 1000);
  const alert = isUuid(input.id) ? await ctx.em.findOne(DropoutAlertSchema, { id: input.id }) : null;
  if (!alert) throw notFound('Dropout alert');
  if (alert.status !== 'OPEN') throw conflict('The alert is already resolved');
  ctx.em.assign(alert, { status: 'RESOLVED', resolution, resolvedAt: new Date() });
  await flushOrConflict(ctx.em);
  return alert;
}
