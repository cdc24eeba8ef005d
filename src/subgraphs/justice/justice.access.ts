import { CIVIL, fields, POLICE, read, write, type AccessTable } from '../../policy/rules';

const JUSTICE = { JUSTICE: 'full' } as const;
/** Civil affairs leads the registry and guardianship: it follows every case and proceeding. */
const CASE_READERS = { ...CIVIL, ...JUSTICE } as const;
/**
 * Public security admonishes guardians and orders family-education guidance itself, so it
 * records the measures it issues (the service refuses it any other issuer) and reads a child's
 * accountability records, to see what was done before it escalates. Legal aid and guardianship
 * proceedings stay between justice, the court and civil affairs.
 */
const ACCOUNTABILITY_READERS = { ...CASE_READERS, ...POLICE } as const;

/** Justice: legal aid for children, guardianship proceedings, guardians held to account. */
export const justiceAccess: AccessTable = {
  'Query.legalAidCases': read(CASE_READERS),
  'Query.guardianshipProceedings': read(CASE_READERS),
  'Mutation.openLegalAidCase': write(JUSTICE),
  'Mutation.updateLegalAidCase': write(JUSTICE),
  'Mutation.fileGuardianshipProceeding': write(JUSTICE),
  'Mutation.recordProceedingDecision': write(JUSTICE),
  'Mutation.recordAccountability': write({ ...JUSTICE, ...POLICE }),
  'Child.legalAidCases': { access: CASE_READERS },
  'Child.guardianshipProceedings': { access: CASE_READERS },
  'Child.accountabilityRecords': { access: ACCOUNTABILITY_READERS },
  ...fields('LegalAidCase', CASE_READERS, [
    'id',
    'child',
    'caseType',
    'provider',
    'status',
    'outcome',
    'openedAt',
    'closedAt',
    'version',
  ]),
  ...fields('GuardianshipProceeding', CASE_READERS, [
    'id',
    'child',
    'kind',
    'petitioner',
    'court',
    'status',
    'filedOn',
    'decisionDate',
    'decision',
    'version',
    'updatedAt',
  ]),
  ...fields('AccountabilityRecord', ACCOUNTABILITY_READERS, [
    'id',
    'child',
    'guardian',
    'measure',
    'issuingDepartment',
    'issuedOn',
    'notes',
    'recordedAt',
  ]),
  ...fields('LegalAidCaseConnection', CASE_READERS, ['edges', 'pageInfo', 'totalCount']),
  ...fields('LegalAidCaseEdge', CASE_READERS, ['cursor', 'node']),
  ...fields('GuardianshipProceedingConnection', CASE_READERS, ['edges', 'pageInfo', 'totalCount']),
  ...fields('GuardianshipProceedingEdge', CASE_READERS, ['cursor', 'node']),
};
