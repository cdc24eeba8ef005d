import type { IdentityHash } from '../src/auth/identity-hash';
import type { Queryable } from './bulk';
import { seedCasework } from './demo-casework';
import { seedJustice } from './demo-justice';
import { seedWomensFederation } from './demo-womens-federation';
import { seedYouthLeague } from './demo-youth-league';
import { seedEnterprises } from './demo-enterprise';
import { seedSupervision } from './demo-supervision';

export interface DepartmentSeedContext {
  /** Seed for the department's own Random, so its data is the same every run. */
  seed: number;
  /** The demo's reference date (YYYY-MM-DD). */
  today: string;
  /** The hub's keyed hash of identity numbers, for departments that store them hashed. */
  identityHash: IdentityHash;
}

/**
 * A department's demo records, added after the registry's children, guardians, enrolments and
 * household registrations are written (in the same transaction, read back through `db`).
 */
export type DepartmentSeed = (db: Queryable, context: DepartmentSeedContext) => Promise<void>;

/** Every department's demo seed, run in this order. */
export const DEPARTMENT_SEEDS: readonly DepartmentSeed[] = [
  seedJustice,
  seedYouthLeague,
  seedWomensFederation,
  seedEnterprises,
  seedCasework,
  seedSupervision,
];
