import type { Department, Role } from '../auth/principal';
import type { ConditionName } from './conditions';
import type { MaskName } from './masks';
import type { DataCategory } from './purposes';

/**
 * The vocabulary of the permission matrix. Each subgraph states the rules for its own types and
 * fields in `<name>.access.ts`; src/policy/field-access.ts joins them into the one table.
 */
export type Access = 'full' | 'masked' | 'none';

export interface FieldRule {
  access: Partial<Record<Department, Exclude<Access, 'none'>>>;
  /** How a `masked` value is shown; required when any department has `masked`. */
  mask?: MaskName;
  /** For operations: the caller needs at least one of these roles. */
  roles?: readonly Role[];
  /** Sensitive data the field holds: purposes that exclude it never resolve it (purposes.ts). */
  data?: DataCategory;
  /**
   * Departments that see the field in full, beyond their `access` (masked or none), for a parent
   * object the named relationship check holds for (src/policy/conditions.ts).
   */
  fullWhen?: Partial<Record<Department, ConditionName>>;
}

export type AccessTable = Readonly<Record<string, FieldRule>>;

export const CIVIL = { CIVIL_AFFAIRS: 'full' } as const;
export const POLICE = { PUBLIC_SECURITY: 'full' } as const;
export const YOUTH = { YOUTH_LEAGUE: 'full' } as const;
export const WOMEN = { WOMENS_FEDERATION: 'full' } as const;
/** Departments that work with the child record in this release. */
export const CHILD_READERS = { ...CIVIL, EDUCATION: 'full', ...POLICE } as const;
/** Administrative divisions are public reference data. */
export const EVERYONE = {
  CIVIL_AFFAIRS: 'full',
  EDUCATION: 'full',
  PUBLIC_SECURITY: 'full',
  JUSTICE: 'full',
  YOUTH_LEAGUE: 'full',
  WOMENS_FEDERATION: 'full',
  ENTERPRISE: 'full',
  SUPERVISION: 'full',
} as const;

/**
 * Region statistics hold no personal data (small cells suppressed outside civil affairs):
 * supervision and every department working with children see them; enterprises do not. Each
 * department grants its own figures (src/subgraphs/region-figures.ts) to these readers.
 */
export const STATISTICS = {
  CIVIL_AFFAIRS: 'full',
  SUPERVISION: 'full',
  EDUCATION: 'full',
  PUBLIC_SECURITY: 'full',
  JUSTICE: 'full',
  YOUTH_LEAGUE: 'full',
  WOMENS_FEDERATION: 'full',
} as const;

/** Public reference data: every department sees it in full, and no purpose is needed. */
export const isPublic = (rule: FieldRule) =>
  (Object.keys(EVERYONE) as (keyof typeof EVERYONE)[]).every((d) => rule.access[d] === 'full');

/** A query: the caller needs the `reader` role. */
export const read = (access: FieldRule['access']): FieldRule => ({ access, roles: ['reader'] });
/** A mutation: the caller needs the `writer` role. */
export const write = (access: FieldRule['access']): FieldRule => ({ access, roles: ['writer'] });
/** The same grant for several fields of one type. */
export const fields = (
  type: string,
  access: FieldRule['access'],
  names: string[],
  more: Omit<FieldRule, 'access'> = {},
): AccessTable => Object.fromEntries(names.map((name) => [`${type}.${name}`, { access, ...more }]));
