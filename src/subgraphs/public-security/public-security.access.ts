import { CHILD_READERS, CIVIL, fields, POLICE, write, type AccessTable } from '../../policy/rules';

/** Public security: household registration and the reports it receives. */
export const publicSecurityAccess: AccessTable = {
  'Mutation.registerHousehold': write(POLICE),
  'Child.householdRegistration': { access: CHILD_READERS },
  ...fields('HouseholdRegistration', CHILD_READERS, ['child', 'registered', 'updatedAt']),
  ...fields('HouseholdRegistration', { ...CIVIL, ...POLICE }, ['hukouNumber', 'policeStation']),
  'Child.reports': { access: { ...CIVIL, ...POLICE } },
  ...fields('Report', { ...CIVIL, ...POLICE }, ['id', 'concernType', 'urgency', 'status', 'receivedAt']),
};
