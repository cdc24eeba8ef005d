import { fields, type AccessTable, type FieldRule } from '../../policy/rules';

/**
 * The audit log is read by auditors: supervision and civil affairs accounts holding the
 * `auditor` role, for the accounts of their jurisdiction. A child's access log is civil
 * affairs' to give the child's guardian (any civil-affairs reader of the child's jurisdiction).
 */
const AUDITORS = { SUPERVISION: 'full', CIVIL_AFFAIRS: 'full' } as const;
const auditorsOnly: FieldRule = { access: AUDITORS, roles: ['auditor'] };

/**
 * Emergency access is asked for by departments whose standing view of a child is narrow
 * (the "full with emergency access" rules of the registry), and reviewed by civil affairs,
 * the unit that owns the child's record; supervision watches the reviews.
 */
const REQUESTERS = { EDUCATION: 'full', YOUTH_LEAGUE: 'full', WOMENS_FEDERATION: 'full' } as const;
const GRANT_READERS = { CIVIL_AFFAIRS: 'full', SUPERVISION: 'full', ...REQUESTERS } as const;

export const auditAccess: AccessTable = {
  'Mutation.requestEmergencyAccess': { access: REQUESTERS, roles: ['reader'] },
  'Mutation.reviewEmergencyAccess': { access: { CIVIL_AFFAIRS: 'full' }, roles: ['writer'] },
  'Query.emergencyAccessGrants': { access: { CIVIL_AFFAIRS: 'full', SUPERVISION: 'full' }, roles: ['reader'] },
  ...fields('EmergencyGrant', GRANT_READERS, [
    'id',
    'childId',
    'account',
    'department',
    'unit',
    'reason',
    'grantedAt',
    'expiresAt',
    'active',
    'reviewDue',
    'overdue',
    'reviewedAt',
    'reviewer',
    'justified',
    'reviewNote',
  ]),
  'Query.auditEvents': auditorsOnly,
  'Query.accessLog': { access: { CIVIL_AFFAIRS: 'full' }, roles: ['reader'] },
  ...fields('AuditEvent', AUDITORS, [
    'id',
    'at',
    'kind',
    'account',
    'department',
    'unit',
    'purpose',
    'requestId',
    'operation',
    'childIds',
    'fields',
    'changes',
    'hash',
  ]),
  ...fields('AuditEventConnection', AUDITORS, ['edges', 'pageInfo']),
  ...fields('AuditEventEdge', AUDITORS, ['cursor', 'node']),
  ...fields('AccessLog', { CIVIL_AFFAIRS: 'full' }, ['childId', 'entries', 'report']),
  ...fields('AccessLogEntry', { CIVIL_AFFAIRS: 'full' }, ['at', 'kind', 'department', 'unit', 'purpose', 'what']),
};
