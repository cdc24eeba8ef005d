import {
  CHILD_READERS,
  CIVIL,
  EVERYONE,
  fields,
  POLICE,
  read,
  WOMEN,
  write,
  YOUTH,
  type AccessTable,
} from '../../policy/rules';

/**
 * The youth league and the women's federation find children to care for, not records: the
 * youth league sees name, gender, age, village, categories (whom its care is for; the
 * `category` filter would reveal them anyway) and care needs; the women's federation names
 * and villages only. Neither sees identity numbers, birth dates, guardians or other
 * departments' records.
 */
const CARERS = { ...YOUTH, ...WOMEN } as const;

/** Civil affairs' registry: who sees what of children, guardians and guardianship. */
export const registryAccess: AccessTable = {
  'Query.child': read({ ...CHILD_READERS, ...CARERS }),
  'Query.childByIdNumber': read(CHILD_READERS),
  'Query.children': read({ ...CHILD_READERS, ...CARERS }),
  'Query.region': read(EVERYONE),
  'Query.regions': read(EVERYONE),
  'Mutation.registerChild': write(CIVIL),
  'Mutation.updateChild': write(CIVIL),
  'Mutation.addGuardian': write(CIVIL),
  'Mutation.setGuardianship': write(CIVIL),
  ...fields('Region', EVERYONE, ['code', 'name', 'level', 'parent']),
  ...fields('Child', { ...CHILD_READERS, ...CARERS }, ['id', 'name']),
  ...fields('Child', { ...CHILD_READERS, ...YOUTH }, ['gender', 'age', 'categories']),
  ...fields('Child', CHILD_READERS, [
    'birthDate',
    'schoolAge',
    'status',
    'version',
    'createdAt',
    'updatedAt',
    'guardians',
    'guardianship',
  ]),
  'Child.careNeeds': { access: { ...CIVIL, ...YOUTH } },
  'Child.idNumber': { access: { ...CHILD_READERS, EDUCATION: 'masked' }, mask: 'idNumber' },
  'Child.householdRegion': { access: { ...CHILD_READERS, EDUCATION: 'masked' }, mask: 'township' },
  'Child.residenceRegion': { access: { ...CHILD_READERS, ...CARERS, EDUCATION: 'masked' }, mask: 'township' },
  ...fields('Guardian', CHILD_READERS, [
    'id',
    'relation',
    'name',
    'custodian',
    'workingAway',
    'workRegion',
    'awaySince',
  ]),
  ...fields('Guardian', { ...CIVIL, ...POLICE }, ['idNumber', 'employer']),
  'Guardian.phone': { access: { ...CHILD_READERS, EDUCATION: 'masked' }, mask: 'phone' },
  ...fields('Guardianship', CHILD_READERS, ['kind', 'since', 'entrustedGuardian', 'agency', 'updatedAt']),
  ...fields('Guardianship', { ...CIVIL, ...POLICE }, ['agreementDate', 'contactObligations']),
  ...fields('ChildConnection', { ...CHILD_READERS, ...CARERS }, ['edges', 'pageInfo', 'totalCount']),
  ...fields('ChildEdge', { ...CHILD_READERS, ...CARERS }, ['cursor', 'node']),
  // Paging metadata of every connection in the graph (a shareable type): no data of its own.
  ...fields('PageInfo', EVERYONE, ['hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor']),
};
