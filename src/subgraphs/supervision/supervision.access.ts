import { CIVIL, fields, read, write, type AccessTable } from '../../policy/rules';

const SUPERVISION = { SUPERVISION: 'full' } as const;
/**
 * Statistics hold no personal data (small cells suppressed outside civil affairs): supervision
 * and every department working with children see them; enterprises do not.
 */
const STATISTICS = {
  ...CIVIL,
  ...SUPERVISION,
  EDUCATION: 'full',
  PUBLIC_SECURITY: 'full',
  JUSTICE: 'full',
  YOUTH_LEAGUE: 'full',
  WOMENS_FEDERATION: 'full',
} as const;
/** Conflict tasks name a child: civil affairs sees all, education and public security their own. */
const TASKS = { ...CIVIL, EDUCATION: 'full', PUBLIC_SECURITY: 'full' } as const;

/**
 * Statistics, conflicts and supervision. Supervision sees figures, implementation and the joint
 * meeting, and edits the latter two; no field it can read is personal.
 */
export const supervisionAccess: AccessTable = {
  'Query.regionStatistics': read(STATISTICS),
  'Query.statisticsTrend': read(STATISTICS),
  'Query.conflictTasks': read(TASKS),
  'Query.provincialImplementation': read(STATISTICS),
  'Query.jointMeeting': read(STATISTICS),
  'Mutation.detectConflicts': write({ ...CIVIL, ...SUPERVISION }),
  'Mutation.resolveConflictTask': write(TASKS),
  'Mutation.setProvincialImplementation': write(SUPERVISION),
  'Mutation.addJointMeetingUnit': write(SUPERVISION),
  'Mutation.addWorkPoint': write(SUPERVISION),
  'Mutation.setWorkPointStatus': write(SUPERVISION),
  ...fields('RegionStatistics', STATISTICS, [
    'region',
    'period',
    'suppressed',
    'total',
    'parts',
    'conflicts',
    'implementation',
  ]),
  ...fields('RegionFigures', STATISTICS, [
    'region',
    'children',
    'byCategory',
    'byArrangement',
    'bothParentsAway',
    'withoutHukou',
    'outOfSchool',
    'visits',
    'assistance',
    'openConflicts',
    'openProtectionCases',
    'overdueTasks',
    'referralAnswers',
    'medianMinutesToAcceptance',
  ]),
  ...fields('CategoryCount', STATISTICS, ['category', 'children']),
  ...fields('ArrangementCount', STATISTICS, ['arrangement', 'children']),
  ...fields('VisitCoverage', STATISTICS, ['due', 'visited', 'percent']),
  ...fields('ReferralAnswers', STATISTICS, ['answered', 'onTime', 'percent']),
  ...fields('AssistanceFigures', STATISTICS, ['reports', 'workersCovered', 'amount']),
  ...fields('MonthFigures', STATISTICS, ['month', 'children', 'leftBehind', 'visits', 'assistance']),
  ...fields('ConflictCount', STATISTICS, ['kind', 'owner', 'open']),
  ...fields('ConflictDetection', { ...CIVIL, ...SUPERVISION }, ['opened', 'resolved']),
  ...fields('ConflictTask', TASKS, ['id', 'kind', 'owner', 'child', 'detail', 'status', 'detectedAt', 'resolvedAt']),
  // A task is filed under the child's village, which education sees only down to the township.
  'ConflictTask.region': { access: { ...TASKS, EDUCATION: 'masked' }, mask: 'township' },
  ...fields('ProvincialImplementation', STATISTICS, [
    'province',
    'opinionIssued',
    'opinionDate',
    'mechanismEstablished',
    'mechanismDate',
    'notes',
    'updatedAt',
  ]),
  ...fields('JointMeeting', STATISTICS, ['region', 'year', 'units', 'workPoints', 'overdueWorkPoints']),
  ...fields('JointMeetingUnit', STATISTICS, ['id', 'region', 'department', 'unitName', 'duties', 'convener']),
  ...fields('WorkPoint', STATISTICS, ['id', 'year', 'title', 'unit', 'deadline', 'status', 'overdue']),
};
