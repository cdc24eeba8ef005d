import type { Department, Role } from '../auth/principal';
import type { MaskName } from './masks';

/**
 * The permission matrix: for every field of the graph (root operations included), what each
 * department sees of it. A department absent from `access` sees nothing (`none`), and a field
 * absent from this table resolves for nobody. Shield rules and masking are generated from it
 * in every subgraph (src/policy/permissions.ts); tests/policy-table.test.ts checks that it
 * decides every field of the composed schema.
 */
export type Access = 'full' | 'masked' | 'none';

export interface FieldRule {
  access: Partial<Record<Department, Exclude<Access, 'none'>>>;
  /** How a `masked` value is shown; required when any department has `masked`. */
  mask?: MaskName;
  /** For operations: the caller needs at least one of these roles. */
  roles?: readonly Role[];
}

const CIVIL = { CIVIL_AFFAIRS: 'full' } as const;
const POLICE = { PUBLIC_SECURITY: 'full' } as const;
/** Departments that work with the child record in this release. */
const CHILD_READERS = { ...CIVIL, EDUCATION: 'full', ...POLICE } as const;
/** Administrative divisions are public reference data. */
const EVERYONE = {
  CIVIL_AFFAIRS: 'full',
  EDUCATION: 'full',
  PUBLIC_SECURITY: 'full',
  JUSTICE: 'full',
  YOUTH_LEAGUE: 'full',
  WOMENS_FEDERATION: 'full',
  ENTERPRISE: 'full',
  SUPERVISION: 'full',
} as const;

const read = (access: FieldRule['access']): FieldRule => ({ access, roles: ['reader'] });
const write = (access: FieldRule['access']): FieldRule => ({ access, roles: ['writer'] });
const fields = (type: string, access: FieldRule['access'], names: string[]) =>
  Object.fromEntries(names.map((name) => [`${type}.${name}`, { access }]));

export const FIELD_ACCESS: Readonly<Record<string, FieldRule>> = {
  // Operations
  'Query.child': read(CHILD_READERS),
  'Query.childByIdNumber': read(CHILD_READERS),
  'Query.children': read(CHILD_READERS),
  'Query.region': read(EVERYONE),
  'Query.regions': read(EVERYONE),
  'Mutation.registerChild': write(CIVIL),
  'Mutation.updateChild': write(CIVIL),
  'Mutation.addGuardian': write(CIVIL),
  'Mutation.setGuardianship': write(CIVIL),
  'Mutation.recordEnrolment': write({ EDUCATION: 'full' }),
  'Mutation.registerHousehold': write(POLICE),

  // Registry (civil affairs)
  ...fields('Region', EVERYONE, ['code', 'name', 'level', 'parent']),
  ...fields('Child', CHILD_READERS, [
    'id',
    'name',
    'gender',
    'birthDate',
    'categories',
    'schoolAge',
    'status',
    'version',
    'createdAt',
    'updatedAt',
    'guardians',
    'guardianship',
  ]),
  'Child.idNumber': { access: { ...CHILD_READERS, EDUCATION: 'masked' }, mask: 'idNumber' },
  'Child.householdRegion': { access: { ...CHILD_READERS, EDUCATION: 'masked' }, mask: 'township' },
  'Child.residenceRegion': { access: { ...CHILD_READERS, EDUCATION: 'masked' }, mask: 'township' },
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
  ...fields('ChildConnection', CHILD_READERS, ['edges', 'pageInfo', 'totalCount']),
  ...fields('ChildEdge', CHILD_READERS, ['cursor', 'node']),
  ...fields('PageInfo', CHILD_READERS, ['hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor']),

  // Education
  'Child.enrolment': { access: { ...CIVIL, EDUCATION: 'full' } },
  ...fields('Enrolment', { ...CIVIL, EDUCATION: 'full' }, [
    'child',
    'schoolName',
    'schoolRegion',
    'grade',
    'status',
    'updatedAt',
  ]),

  // Public security
  'Child.householdRegistration': { access: CHILD_READERS },
  ...fields('HouseholdRegistration', CHILD_READERS, ['child', 'registered', 'updatedAt']),
  ...fields('HouseholdRegistration', { ...CIVIL, ...POLICE }, ['hukouNumber', 'policeStation']),
  'Child.reports': { access: { ...CIVIL, ...POLICE } },
  ...fields('Report', { ...CIVIL, ...POLICE }, ['id', 'concernType', 'urgency', 'status', 'receivedAt']),
};

/** What `dept` (holding `roles`) may see of a field under `rule`. */
export function accessOf(rule: FieldRule | undefined, dept: Department, roles: readonly Role[]): Access {
  if (!rule) return 'none';
  if (rule.roles && !rule.roles.some((r) => roles.includes(r))) return 'none';
  return rule.access[dept] ?? 'none';
}
