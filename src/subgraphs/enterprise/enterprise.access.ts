import { CIVIL, fields, read, STATISTICS, write, type AccessTable } from '../../policy/rules';

const ENTERPRISE = { ENTERPRISE: 'full' } as const;
const SUPERVISION = { SUPERVISION: 'full' } as const;

/**
 * The enterprise care channel. Civil affairs registers enterprises: the register is the basis of
 * the labour-intensive enterprises' care work, and a token's enterprise claim alone does not
 * prove that the enterprise exists, where it is registered or that it is labour-intensive; so an
 * enterprise account cannot enrol itself, it reads its record and reports assistance. Enterprises
 * see only their own reports; civil affairs sees on a child's record what employers did for the
 * child's parents; supervision sees sums without personal data.
 */
export const enterpriseAccess: AccessTable = {
  'Query.myEnterprise': read(ENTERPRISE),
  'Query.assistanceReports': read(ENTERPRISE),
  'Query.assistanceTotals': read(ENTERPRISE),
  'Query.assistanceAggregates': read(SUPERVISION),
  'Mutation.registerEnterprise': write(CIVIL),
  'Mutation.reportAssistance': write(ENTERPRISE),
  'Mutation.reportAssistanceBatch': write(ENTERPRISE),
  ...fields('Enterprise', { ...CIVIL, ...ENTERPRISE }, [
    'creditCode',
    'name',
    'region',
    'labourIntensive',
    'contactName',
    'contactPhone',
    'createdAt',
  ]),
  ...fields('AssistanceReport', ENTERPRISE, [
    'id',
    'clientKey',
    'kind',
    'date',
    'workerIdNumbers',
    'workersCovered',
    'amount',
    'notes',
    'receivedAt',
  ]),
  ...fields('AssistanceReportConnection', ENTERPRISE, ['edges', 'pageInfo']),
  ...fields('AssistanceReportEdge', ENTERPRISE, ['cursor', 'node']),
  ...fields('AssistanceSums', { ...ENTERPRISE, ...SUPERVISION }, ['reports', 'workersCovered', 'amount']),
  ...fields('AssistanceKindSums', { ...ENTERPRISE, ...SUPERVISION }, ['kind', 'sums']),
  ...fields('AssistanceTotals', ENTERPRISE, ['from', 'to', 'all', 'byKind']),
  ...fields('AssistanceAggregates', SUPERVISION, ['region', 'from', 'to', 'all', 'byKind', 'byEnterprise', 'byCounty']),
  ...fields('EnterpriseAssistance', SUPERVISION, ['creditCode', 'name', 'region', 'labourIntensive', 'sums']),
  ...fields('CountyAssistance', SUPERVISION, ['county', 'enterprises', 'sums']),
  'Child.familyAssistance': { access: CIVIL },
  ...fields('FamilyAssistance', CIVIL, ['enterpriseName', 'kind', 'date', 'amount', 'notes']),
  ...fields('AssistanceReceipt', ENTERPRISE, ['clientKey', 'reportId', 'receivedAt', 'duplicate']),
  ...fields('AssistanceBatchAccepted', ENTERPRISE, ['receipts', 'written', 'duplicates']),
  ...fields('AssistanceBatchRejected', ENTERPRISE, ['rowErrors']),
  ...fields('AssistanceRowError', ENTERPRISE, ['row', 'field', 'reason']),
  // Enterprises' region statistics (src/subgraphs/region-figures.ts): not for enterprises themselves.
  ...fields('RegionFigures', STATISTICS, ['assistance']),
  ...fields('MonthFigures', STATISTICS, ['assistance']),
  ...fields('AssistanceFigures', STATISTICS, ['reports', 'workersCovered', 'amount']),
};
