import { fields, type AccessTable, type FieldRule } from '../../policy/rules';

/**
 * The audit log is read by auditors: supervision and civil affairs accounts holding the
 * `auditor` role, for the accounts of their jurisdiction. A child's access log is civil
 * affairs' to give the child's guardian (any civil-affairs reader of the child's jurisdiction).
 */
const AUDITORS = { SUPERVISION: 'full', CIVIL_AFFAIRS: 'full' } as const;
const auditorsOnly: FieldRule = { access: AUDITORS, roles: ['auditor'] };

export const auditAccess: AccessTable = {
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
