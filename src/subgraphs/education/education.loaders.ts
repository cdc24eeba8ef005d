import { perRequest } from '../../context';
import { manyLoader, oneLoader } from '../../db/loaders';
import { scopedRead } from '../../db/scoped-read';
import { EnrolmentSchema, PastEnrolmentSchema } from './enrolment.entity';
import { SCHOOL_CODE_PATTERN, SchoolSchema } from './school.entity';

const enrolmentsByChild = scopedRead(EnrolmentSchema, 'childId');

/** Education's loaders for one request; scoped rows are read through the request's `em`. */
export const educationLoaders = perRequest(({ em }) => ({
  enrolmentOfChild: oneLoader(
    (ids) => enrolmentsByChild(em, ids),
    (e) => e.childId,
  ),
  pastEnrolmentsOfChild: manyLoader(
    (ids) =>
      em.find(PastEnrolmentSchema, { childId: { $in: ids } }, { orderBy: { since: 'desc', recordedAt: 'desc' } }),
    (e) => e.childId,
  ),
  school: oneLoader(
    (codes) => em.find(SchoolSchema, { code: { $in: codes } }),
    (s) => s.code,
    (code) => SCHOOL_CODE_PATTERN.test(code),
  ),
}));
