import { perRequest, type HubContext } from '../../context';
import type { RecordEnrolmentInput } from './education.generated';
import { saveSingleRow } from '../../db/flush';
import { requireText } from '../input';
import { oneLoader } from '../../db/loaders';
import { badInput } from '../../errors';
import { requireRegion } from '../../regions/region.service';
import { jurisdictionOfChild } from '../registry/child-directory';
import { EnrolmentSchema, type Enrolment } from './enrolment.entity';

export const enrolmentOfChild = perRequest(({ em }) =>
  oneLoader(
    (ids) => em.find(EnrolmentSchema, { childId: { $in: ids } }),
    (e) => e.childId,
  ),
);

export async function recordEnrolment(ctx: HubContext, input: RecordEnrolmentInput): Promise<Enrolment> {
  const schoolName = requireText('schoolName', input.schoolName);
  if (!Number.isInteger(input.grade) || input.grade < 0 || input.grade > 12) {
    throw badInput('grade', 'must be 0 (kindergarten) to 12');
  }
  await requireRegion(ctx, 'schoolRegionCode', input.schoolRegionCode, ['COUNTY', 'TOWNSHIP', 'VILLAGE']);
  const regionCode = await jurisdictionOfChild(ctx, input.childId);
  const values = {
    regionCode,
    schoolName,
    schoolRegionCode: input.schoolRegionCode,
    grade: input.grade,
    status: input.status,
  };
  const existing = await enrolmentOfChild(ctx).load(input.childId);
  return saveSingleRow(ctx.em, EnrolmentSchema, existing, { childId: input.childId, ...values });
}
