import type { MaskName } from '../../policy/masks';
import type { DataCategory } from '../../policy/purposes';
import {
  CHILD_READERS,
  CIVIL,
  EVERYONE,
  fields,
  POLICE,
  read,
  STATISTICS,
  WOMEN,
  write,
  YOUTH,
  type AccessTable,
  type FieldRule,
} from '../../policy/rules';

/**
 * Justice reads the registry to work its cases. It sees who a child is (name, identity number,
 * birth date, where the child lives), the guardians' identity and contacts, and the terms of
 * the guardianship in full only while it has an open case for that child; otherwise masked, or
 * not at all where no mask can show a part of it.
 */
const READERS = { ...CHILD_READERS, JUSTICE: 'full' } as const;
/**
 * The youth league and the women's federation find children to care for, not records: the
 * youth league sees name, gender, age, village, categories (whom its care is for; the
 * `category` filter would reveal them anyway) and care needs; the women's federation names
 * and villages only. Neither sees identity numbers, birth dates, guardians or other
 * departments' records.
 */
const CARERS = { ...YOUTH, ...WOMEN } as const;
const OPEN_CASE = { JUSTICE: 'openJusticeCase' } as const;
/**
 * Break the glass: education, the youth league and the women's federation may ask for a
 * child's emergency access (src/subgraphs/audit); while it lasts they see these fields in full.
 */
const EMERGENCY = 'emergencyAccess';
const CARERS_IN_EMERGENCY = { YOUTH_LEAGUE: EMERGENCY, WOMENS_FEDERATION: EMERGENCY } as const;
const elevated = (
  access: FieldRule['access'],
  fullWhen: FieldRule['fullWhen'],
  mask?: MaskName,
  data?: DataCategory,
): FieldRule => ({ access, fullWhen, ...(mask && { mask }), ...(data && { data }) });
const fullWithOpenCase = (access: FieldRule['access'], mask?: MaskName, data?: DataCategory) =>
  elevated(access, OPEN_CASE, mask, data);

/**
 * What the other subgraphs ask the registry before they write (src/peers/registry-client.ts),
 * through fields the public graph does not show: whether a child is in the caller's
 * jurisdiction and where it lives, for every department that keeps records about children
 * (and auditors looking up a child's access log); education also its age; whether a guardian
 * is the child's, for those that link records to guardians; national identity-number matches
 * for enterprises, which link their workers to registered children.
 */
const CHILD_RECORD_KEEPERS = { ...CHILD_READERS, JUSTICE: 'full', ...CARERS, SUPERVISION: 'full' } as const;
const GUARDIAN_LINKERS = { ...CIVIL, ...POLICE, JUSTICE: 'full', ...WOMEN } as const;
const ENTERPRISES = { ENTERPRISE: 'full' } as const;
const factsApi: AccessTable = {
  'Query.childFacts': { access: CHILD_RECORD_KEEPERS },
  ...fields('ChildFacts', CHILD_RECORD_KEEPERS, ['id', 'regionCode']),
  'ChildFacts.ageOn': { access: { EDUCATION: 'full' } },
  'Query.guardianFacts': { access: GUARDIAN_LINKERS },
  'Query.guardiansWithIdNumbers': { access: ENTERPRISES },
  ...fields('GuardianFacts', { ...GUARDIAN_LINKERS, ...ENTERPRISES }, ['id', 'childId', 'regionCode', 'relation']),
  'GuardianFacts.idNumber': { access: ENTERPRISES },
};

/**
 * The census ledger: civil affairs keeps it (the import, its record, the changes it made); the
 * export is for the departments that read the child record, masked as they see it.
 */
const censusApi: AccessTable = {
  'Query.censusImport': read(CIVIL),
  'Query.censusImports': read(CIVIL),
  'Query.ledgerExport': read(CHILD_READERS),
  'Mutation.importCensus': write(CIVIL),
  ...fields('LedgerDownload', CHILD_READERS, [
    'url',
    'fileName',
    'contentType',
    'columns',
    'maskedColumns',
    'hiddenColumns',
  ]),
  ...fields('CensusImport', CIVIL, [
    'id',
    'region',
    'fileName',
    'status',
    'rowsDone',
    'percent',
    'rowsTotal',
    'created',
    'updated',
    'unchanged',
    'noChange',
    'rowErrors',
    'changes',
    'message',
    'startedAt',
    'finishedAt',
  ]),
  ...fields('CensusRowError', CIVIL, ['row', 'column', 'reason']),
  ...fields('CensusChange', CIVIL, ['child', 'op', 'fields']),
};

/** Civil affairs' registry: who sees what of children, guardians and guardianship. */
export const registryAccess: AccessTable = {
  'Query.child': read({ ...READERS, ...CARERS }),
  'Query.childByIdNumber': read(READERS),
  'Query.children': read({ ...READERS, ...CARERS }),
  'Query.region': read(EVERYONE),
  'Query.regions': read(EVERYONE),
  'Mutation.registerChild': write(CIVIL),
  'Mutation.updateChild': write(CIVIL),
  'Mutation.addGuardian': write(CIVIL),
  'Mutation.updateGuardian': write(CIVIL),
  'Mutation.setGuardianship': write(CIVIL),
  'Query.childrenWithInadequateGuardianship': read({ ...CIVIL, ...POLICE }),
  'Mutation.flagGuardianship': write(CIVIL),
  ...fields('Region', EVERYONE, ['code', 'name', 'level', 'parent']),
  // Not for education, which has age and school age: the birth date is what its masked view of
  // the identity number leaves out. Justice sees it with the number, while it has a case.
  'Child.birthDate': fullWithOpenCase({ ...CIVIL, ...POLICE }, undefined, 'identity'),
  'Child.id': { access: { ...READERS, ...CARERS } },
  ...fields('Child', { ...READERS, ...YOUTH }, ['gender', 'age', 'categories']),
  'Child.careNeeds': { access: { ...CIVIL, ...YOUTH } },
  // Why a child is in distress tells of abuse or disability: for those who protect the child.
  'Child.distressReasons': fullWithOpenCase({ ...CIVIL, ...POLICE }),
  'Child.householdType': { access: READERS },
  ...fields('Child', READERS, ['schoolAge', 'status', 'version', 'createdAt', 'updatedAt', 'guardianship']),
  'Child.guardians': elevated(READERS, CARERS_IN_EMERGENCY),
  'Child.name': fullWithOpenCase({ ...CHILD_READERS, ...CARERS, JUSTICE: 'masked' }, 'name', 'identity'),
  'Child.idNumber': elevated(
    { ...CHILD_READERS, EDUCATION: 'masked', JUSTICE: 'masked' },
    { ...OPEN_CASE, EDUCATION: EMERGENCY },
    'idNumber',
    'identity',
  ),
  'Child.householdRegion': elevated(
    { ...CHILD_READERS, EDUCATION: 'masked', JUSTICE: 'masked' },
    { ...OPEN_CASE, EDUCATION: EMERGENCY },
    'township',
  ),
  'Child.residenceRegion': elevated(
    { ...CHILD_READERS, ...CARERS, EDUCATION: 'masked', JUSTICE: 'masked' },
    { ...OPEN_CASE, EDUCATION: EMERGENCY },
    'township',
  ),
  ...fields('Guardian', READERS, ['custodian', 'workingAway', 'workRegion', 'awaySince', 'guardianshipCapacity']),
  'Guardian.incapacityReason': fullWithOpenCase({ ...CIVIL, ...POLICE }),
  'Guardian.id': elevated(READERS, CARERS_IN_EMERGENCY),
  'Guardian.relation': elevated(READERS, CARERS_IN_EMERGENCY),
  'Guardian.name': elevated(
    { ...CHILD_READERS, JUSTICE: 'masked' },
    { ...OPEN_CASE, ...CARERS_IN_EMERGENCY },
    'name',
    'identity',
  ),
  'Guardian.idNumber': fullWithOpenCase({ ...CIVIL, ...POLICE, JUSTICE: 'masked' }, 'idNumber', 'identity'),
  'Guardian.employer': fullWithOpenCase({ ...CIVIL, ...POLICE }, undefined, 'identity'),
  'Guardian.phone': elevated(
    { ...CHILD_READERS, EDUCATION: 'masked', JUSTICE: 'masked' },
    { ...OPEN_CASE, EDUCATION: EMERGENCY, ...CARERS_IN_EMERGENCY },
    'phone',
    'contact',
  ),
  ...fields('Guardianship', READERS, ['kind', 'since', 'entrustedGuardian', 'agency', 'updatedAt']),
  'Guardianship.agreementDate': fullWithOpenCase({ ...CIVIL, ...POLICE }),
  'Guardianship.contactObligations': fullWithOpenCase({ ...CIVIL, ...POLICE }, undefined, 'contact'),
  ...fields('Guardianship', { ...CIVIL, ...POLICE }, ['inadequate', 'inadequateReason', 'flaggedAt']),
  ...fields('ChildConnection', { ...READERS, ...CARERS }, ['edges', 'pageInfo', 'totalCount']),
  ...fields('ChildEdge', { ...READERS, ...CARERS }, ['cursor', 'node']),
  // Paging carries no data of its own; every subgraph's connections share this type.
  ...fields('PageInfo', EVERYONE, ['hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor']),
  ...factsApi,
  // The registry's region statistics (src/subgraphs/region-figures.ts).
  ...fields('RegionFigures', STATISTICS, ['children', 'byCategory', 'byArrangement', 'bothParentsAway']),
  ...fields('CategoryCount', STATISTICS, ['category', 'children']),
  ...fields('ArrangementCount', STATISTICS, ['arrangement', 'children']),
  ...fields('MonthFigures', STATISTICS, ['children', 'leftBehind']),
  ...censusApi,
};
