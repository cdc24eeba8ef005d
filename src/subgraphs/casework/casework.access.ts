import { CIVIL, fields, POLICE, read, STATISTICS, write, type AccessTable } from '../../policy/rules';

const FULL = { ...CIVIL, ...POLICE, JUSTICE: 'full' } as const;
/** Departments that receive referrals and so follow the cases they serve. */
const CASE_VIEWERS = { ...FULL, EDUCATION: 'full', YOUTH_LEAGUE: 'full', WOMENS_FEDERATION: 'full' } as const;
/** Schools, care and family services see a case without the reporter's account and the shelter's address. */
const WITHHELD_FROM_SERVICES = {
  ...FULL,
  EDUCATION: 'masked',
  YOUTH_LEAGUE: 'masked',
  WOMENS_FEDERATION: 'masked',
} as const;
/**
 * Where a concern arose is, mostly, where the child lives, which education sees of a child only
 * down to the township, and justice, like the child's name, only through the registry while it
 * has a case of its own for the child (src/subgraphs/registry/registry.access.ts).
 */
const WHERE_MASKED = { ...CASE_VIEWERS, EDUCATION: 'masked', JUSTICE: 'masked' } as const;
/**
 * Who finds cases by child or by region. The women's federation reaches only the cases it is
 * asked to serve, through the referrals sent to it.
 */
const CASE_FINDERS = { ...FULL, EDUCATION: 'full', YOUTH_LEAGUE: 'full' } as const;
/** Any department may have to report a child in danger (schools, village committees, social work…). */
const REPORTERS = { ...CASE_VIEWERS, ENTERPRISE: 'full' } as const;
const FOLLOWERS = { ...CASE_VIEWERS, SUPERVISION: 'full' } as const;

/** Casework: protection cases, their steps and clocks, and the notifications they send. */
export const caseworkAccess: AccessTable = {
  // Cases are police data: purposes that exclude it are stopped at the entry points.
  'Query.protectionCase': { ...read(CASE_FINDERS), data: 'police' },
  'Query.protectionCases': { ...read(CASE_FINDERS), data: 'police' },
  'Child.protectionCases': { access: CASE_FINDERS, data: 'police' },
  'Query.concernReceipt': { access: REPORTERS, roles: ['reporter'] },
  'Mutation.reportConcern': { access: REPORTERS, roles: ['reporter'] },
  'Query.overdueTasks': read(FOLLOWERS),
  'Query.deadlinePolicy': read(FOLLOWERS),
  'Query.referralsToAnswer': { ...read(CASE_VIEWERS), data: 'police' },
  'Query.notifications': read(CASE_VIEWERS),
  'Query.webhooks': read(CASE_VIEWERS),
  'Mutation.markRead': { access: CASE_VIEWERS, roles: ['reader'] },
  'Mutation.registerWebhook': write(CASE_VIEWERS),
  'Mutation.removeWebhook': write(CASE_VIEWERS),
  'Mutation.acceptReport': write(POLICE),
  'Mutation.dispatchResponse': write(POLICE),
  'Mutation.recordChildSafe': write(POLICE),
  'Mutation.handToTownship': write(POLICE),
  'Mutation.markNotSubstantiated': write(POLICE),
  'Mutation.recordGuardianFailure': write(POLICE),
  'Mutation.objectToFinding': write(CIVIL),
  'Mutation.assessCase': write(CIVIL),
  'Mutation.referCase': write(CIVIL),
  'Mutation.resendReferral': write(CIVIL),
  'Mutation.recordVisit': write(CIVIL),
  'Mutation.reviewCase': write(CIVIL),
  'Mutation.closeCase': write(CIVIL),
  'Mutation.setDeadline': write(CIVIL),
  // The receiving department answers; the service checks the referral is addressed to it.
  'Mutation.answerReferral': write(CASE_VIEWERS),
  ...fields('ProtectionCase', CASE_VIEWERS, [
    'id',
    'receiptNumber',
    'child',
    'approximateAge',
    'concernType',
    'urgency',
    'reportingUnit',
    'status',
    'receivedAt',
    'acceptedAt',
    'dispatchedAt',
    'childSafeAt',
    'handedOverAt',
    'closedAt',
    'placement',
    'riskLevel',
    'outcome',
    'objection',
    'assessment',
    'referrals',
    'visits',
    'tasks',
    'timeline',
    'version',
    'updatedAt',
  ]),
  'ProtectionCase.childName': { access: { ...CASE_VIEWERS, JUSTICE: 'masked' }, mask: 'name' },
  'ProtectionCase.place': { access: WHERE_MASKED, mask: 'township' },
  'ProtectionCase.address': { access: WHERE_MASKED, mask: 'withheld' },
  'ProtectionCase.narrative': { access: WITHHELD_FROM_SERVICES, mask: 'withheld' },
  'ProtectionCase.reporterContact': { access: FULL, data: 'contact' },
  ...fields('Placement', CASE_VIEWERS, ['kind', 'since']),
  'Placement.address': { access: { ...WITHHELD_FROM_SERVICES, JUSTICE: 'masked' }, mask: 'withheld' },
  ...fields('CaseEvent', CASE_VIEWERS, ['at', 'kind', 'department', 'detail']),
  ...fields('Assessment', CASE_VIEWERS, ['domains', 'overallRisk', 'carePlan', 'assessedAt', 'assessor']),
  ...fields('DomainFinding', CASE_VIEWERS, ['domain', 'findings', 'level']),
  ...fields('Referral', CASE_VIEWERS, [
    'id',
    'case',
    'service',
    'toDepartment',
    'note',
    'status',
    'declineReason',
    'outcome',
    'sentAt',
    'answeredAt',
    'completedAt',
    'version',
  ]),
  ...fields('Visit', CASE_VIEWERS, ['id', 'visitedAt', 'visitor', 'findings']),
  ...fields('Task', FOLLOWERS, [
    'id',
    'step',
    'department',
    'referralId',
    'startedAt',
    'dueAt',
    'doneAt',
    'overdue',
    'escalatedTo',
  ]),
  // Supervision follows the clocks, not the children: it never reaches a case from a task.
  'Task.case': { access: CASE_VIEWERS },
  ...fields('ProtectionCaseConnection', CASE_FINDERS, ['edges', 'pageInfo', 'totalCount']),
  ...fields('ProtectionCaseEdge', CASE_FINDERS, ['cursor', 'node']),
  ...fields('ReferralConnection', CASE_VIEWERS, ['edges', 'pageInfo', 'totalCount']),
  ...fields('ReferralEdge', CASE_VIEWERS, ['cursor', 'node']),
  ...fields('TaskConnection', FOLLOWERS, ['edges', 'pageInfo', 'totalCount']),
  ...fields('TaskEdge', FOLLOWERS, ['cursor', 'node']),
  ...fields('ConcernReceipt', REPORTERS, ['receiptNumber', 'status', 'receivedAt', 'updatedAt']),
  ...fields('Deadline', FOLLOWERS, [
    'step',
    'variant',
    'regionPrefix',
    'withinSeconds',
    'workingDays',
    'escalateSeconds',
  ]),
  ...fields('Notification', CASE_VIEWERS, ['id', 'kind', 'caseId', 'subjectId', 'region', 'occurredAt', 'read']),
  ...fields('NotificationConnection', CASE_VIEWERS, ['edges', 'pageInfo', 'unreadCount']),
  ...fields('NotificationEdge', CASE_VIEWERS, ['cursor', 'node']),
  ...fields('Webhook', CASE_VIEWERS, ['id', 'url', 'eventKinds', 'active', 'createdAt', 'deliveries']),
  ...fields('WebhookDelivery', CASE_VIEWERS, ['eventId', 'attempt', 'at', 'statusCode', 'error', 'delivered']),
  // Casework's region statistics (src/subgraphs/region-figures.ts).
  ...fields('RegionFigures', STATISTICS, [
    'openProtectionCases',
    'overdueTasks',
    'referralAnswers',
    'medianMinutesToAcceptance',
  ]),
  ...fields('ReferralAnswers', STATISTICS, ['answered', 'onTime', 'percent']),
};
