import type { HubContext } from '../../context';
import { saveSingleRow } from '../../db/flush';
import { badInput } from '../../errors';
import { isCompulsorySchoolAge } from '../../domain/school-age';
import { ageOfChildOn, jurisdictionOfChild } from '../../peers/registry-client';
import { ENROLMENT_RECORDED } from '../../events/conflict-facts';
import { publish } from '../../events/feed';
import { requirePastDate, today } from '../input';
import { raiseDropoutAlert } from './dropout.service';
import type { RecordEnrolmentInput } from './education.generated';
import { educationLoaders } from './education.loaders';
import {
  EnrolmentSchema,
  PastEnrolmentSchema,
  type Enrolment,
  type EnrolmentRecord,
  type PastEnrolment,
} from './enrolment.entity';
import { GRADES_OF_KIND } from './school.entity';
import { requireSchool } from './school.service';

/**
 * Records a child's current enrolment. The record it replaces moves to the history, ending on
 * the new record's `since`; a change to DROPPED_OUT for a child of compulsory-education age
 * raises a dropout alert. One transaction.
 */
export async function recordEnrolment(ctx: HubContext, input: RecordEnrolmentInput): Promise<Enrolment> {
  const school = await requireSchool(ctx, 'schoolCode', input.schoolCode);
  const [lowest, highest] = GRADES_OF_KIND[school.kind];
  if (!Number.isInteger(input.grade) || input.grade < lowest || input.grade > highest) {
    throw badInput('grade', `must be ${lowest} to ${highest} at a ${school.kind} school`);
  }
  const boarding = input.boarding ?? false;
  if (boarding && !school.boarding) throw badInput('boarding', 'the school does not take boarders');
  const since = input.since != null ? requirePastDate('since', input.since) : today();
  const regionCode = await jurisdictionOfChild(ctx, input.childId);
  const current = await educationLoaders(ctx).enrolmentOfChild.load(input.childId);
  if (current && since < current.since) {
    throw badInput('since', `must not be before the current enrolment began (${current.since})`);
  }
  if (
    input.status === 'DROPPED_OUT' &&
    current?.status !== 'DROPPED_OUT' &&
    isCompulsorySchoolAge(await ageOfChildOn(ctx, input.childId, since))
  ) {
    await raiseDropoutAlert(ctx, {
      childId: input.childId,
      regionCode,
      schoolCode: school.code,
      reason: 'DROPPED_OUT',
    });
  }
  if (current) {
    const { schoolCode, grade, status, boarding: boarded, since: began } = current;
    ctx.em.create(PastEnrolmentSchema, {
      childId: input.childId,
      regionCode,
      schoolCode,
      grade,
      status,
      boarding: boarded,
      since: began,
      until: since,
    } as PastEnrolment);
  }
  const values = { regionCode, schoolCode: school.code, grade: input.grade, status: input.status, boarding, since };
  // Conflict detection compares the status with the census ledger's schooling.
  publish(ctx.em, ENROLMENT_RECORDED, { childId: input.childId, regionCode, status: input.status });
  return saveSingleRow(ctx.em, EnrolmentSchema, current, { childId: input.childId, ...values });
}

/** Every enrolment record of the child, newest first: the current one, then the ones it replaced. */
export async function enrolmentHistory(ctx: HubContext, childId: string): Promise<EnrolmentRecord[]> {
  const loaders = educationLoaders(ctx);
  const [current, past] = await Promise.all([
    loaders.enrolmentOfChild.load(childId),
    loaders.pastEnrolmentsOfChild.load(childId),
  ]);
  return current ? [current, ...past] : past;
}

export const isPastEnrolment = (e: EnrolmentRecord): e is PastEnrolment =>
  (e as { until?: string }).until !== undefined;
