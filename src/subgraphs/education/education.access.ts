import { CIVIL, fields, write, type AccessTable } from '../../policy/rules';

/** Education: enrolment, seen by education and civil affairs. */
export const educationAccess: AccessTable = {
  'Mutation.recordEnrolment': write({ EDUCATION: 'full' }),
  'Child.enrolment': { access: { ...CIVIL, EDUCATION: 'full' } },
  ...fields('Enrolment', { ...CIVIL, EDUCATION: 'full' }, [
    'child',
    'schoolName',
    'schoolRegion',
    'grade',
    'status',
    'updatedAt',
  ]),
};
