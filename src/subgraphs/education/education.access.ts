import { CIVIL, fields, read, STATISTICS, write, type AccessTable } from '../../policy/rules';

const EDUCATION = { EDUCATION: 'full' } as const;
/** Enrolment, attendance and dropout follow-up (控辍保学) are shared by education and civil affairs. */
const SHARED = { ...CIVIL, ...EDUCATION } as const;

/** Education: schools, enrolment, attendance and dropout alerts. */
export const educationAccess: AccessTable = {
  'Query.schoolsOfRegion': read(SHARED),
  'Query.dropoutAlerts': read(SHARED),
  'Mutation.registerSchool': write(EDUCATION),
  'Mutation.recordEnrolment': write(EDUCATION),
  'Mutation.recordAbsence': write(EDUCATION),
  'Mutation.resolveDropoutAlert': write(SHARED),
  'Child.enrolment': { access: SHARED },
  'Child.enrolmentHistory': { access: SHARED },
  ...fields('School', SHARED, ['code', 'name', 'kind', 'region', 'boarding']),
  ...fields('Enrolment', SHARED, [
    'child',
    'school',
    'schoolName',
    'schoolRegion',
    'grade',
    'status',
    'boarding',
    'since',
    'until',
    'updatedAt',
  ]),
  ...fields('Absence', SHARED, ['id', 'child', 'school', 'date', 'explained', 'reason', 'recordedAt']),
  ...fields('DropoutAlert', SHARED, [
    'id',
    'child',
    'reason',
    'school',
    'raisedAt',
    'status',
    'resolution',
    'resolvedAt',
  ]),
  ...fields('DropoutAlertConnection', SHARED, ['edges', 'pageInfo', 'totalCount']),
  ...fields('DropoutAlertEdge', SHARED, ['cursor', 'node']),
  // Education's region statistics (src/subgraphs/region-figures.ts).
  ...fields('RegionFigures', STATISTICS, ['outOfSchool']),
};
