import { CIVIL, fields, read, STATISTICS, write, type AccessTable } from '../../policy/rules';

const SUPERVISION = { SUPERVISION: 'full' } as const;
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
  // The entities' keys are supervision's; each department grants the figures it contributes.
  ...fields('RegionFigures', STATISTICS, ['code', 'period', 'within', 'region', 'openConflicts']),
  ...fields('MonthFigures', STATISTICS, ['code', 'month']),
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
