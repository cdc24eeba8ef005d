import { CHILD_READERS, CIVIL, fields, POLICE, read, STATISTICS, write, type AccessTable } from '../../policy/rules';

/** Public security: household registration and police stations. */
export const publicSecurityAccess: AccessTable = {
  'Query.childrenWithoutHukou': read({ ...CIVIL, ...POLICE }),
  'Query.policeStations': read(CHILD_READERS),
  'Mutation.registerHousehold': write(POLICE),
  'Child.householdRegistration': { access: CHILD_READERS },
  ...fields('HouseholdRegistration', CHILD_READERS, ['child', 'registered', 'updatedAt']),
  'HouseholdRegistration.hukouNumber': { access: { ...CIVIL, ...POLICE }, data: 'identity' },
  ...fields('HouseholdRegistration', { ...CIVIL, ...POLICE }, ['policeStation', 'station']),
  ...fields('HouseholdRegistrationConnection', { ...CIVIL, ...POLICE }, ['edges', 'pageInfo', 'totalCount']),
  ...fields('HouseholdRegistrationEdge', { ...CIVIL, ...POLICE }, ['cursor', 'node']),
  ...fields('PoliceStation', CHILD_READERS, ['id', 'name', 'region', 'phone', 'address']),
  // Public security's region statistics (src/subgraphs/region-figures.ts).
  ...fields('RegionFigures', STATISTICS, ['withoutHukou']),
};
