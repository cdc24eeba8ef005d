import { CHILD_READERS, CIVIL, fields, POLICE, write, type AccessTable } from '../../policy/rules';

/** Public security: household registration and the reports it receives. */
export const publicSecurityAccess: AccessTable = {
  'Mutation.registerHousehold': write(POLICE),
  'Child.householdRegistration': { access: CHILD_READERS },
  ...fields('HouseholdRegistration', CHILD_READERS, ['child', 'registered', 'updatedAt']),
  'HouseholdRegistration.hukouNumber': { access: { ...CIVIL, ...POLICE }, data: 'identity' },
  'HouseholdRegistration.policeStation': { access: { ...CIVIL, ...POLICE } },
  'Child.reports': { access: { ...CIVIL, ...POLICE }, data: 'police' },
  // Reports are police data: purposes that exclude it are stopped at `Child.reports`.
  ...fields('Report', { ...CIVIL, ...POLICE }, ['id', 'concernType', 'urgency', 'status', 'receivedAt']),
};
