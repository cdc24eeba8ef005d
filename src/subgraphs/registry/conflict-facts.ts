import type { IdentityHash } from '../../auth/identity-hash';
import type { HubContext } from '../../context';
import { CHILD_FACTS, type ChildFacts } from '../../events/conflict-facts';
import { publish } from '../../events/feed';
import { categoryBreaches } from '../../domain/categories';
import { today } from '../input';
import type { Child } from './child.entity';
import type { Guardian } from './guardian.entity';
import type { Guardianship } from './guardianship.entity';
import { registryLoaders } from './registry.loaders';

/** What the registry's facts of a child are made of: the child, its guardians, its arrangement, its ledger row. */
export interface FactsOf extends Pick<
  Child,
  'id' | 'regionCode' | 'status' | 'categories' | 'birthDate' | 'householdType' | 'distressReasons'
> {
  schooling: string | null;
  guardianship: Pick<Guardianship, 'kind' | 'entrustedGuardianId'> | null;
  guardians: Pick<Guardian, 'relation' | 'custodian' | 'workingAway' | 'idNumber' | 'guardianshipCapacity'>[];
}

/**
 * A child's facts for conflict detection: the one place that says what "custodians away without
 * an entrusted guardian" is, for the mutations, the census import and the demo seed alike.
 */
export function childFacts(child: FactsOf, identityHash: IdentityHash, on = today()): ChildFacts {
  const custodians = child.guardians.filter((g) => g.custodian);
  const cared = child.guardianship?.entrustedGuardianId != null || child.guardianship?.kind === 'GOVERNMENT_TEMPORARY';
  const ids = new Set(custodians.flatMap((g) => (g.idNumber ? [identityHash(g.idNumber)] : [])));
  return {
    childId: child.id,
    regionCode: child.regionCode,
    active: child.status === 'ACTIVE',
    awayWithoutEntrusted: custodians.length > 0 && custodians.every((g) => g.workingAway) && !cared,
    custodians: [...ids].sort(),
    schooling: child.schooling,
    categoryBreaches: categoryBreaches(child.categories, child, on).map((b) => b.rule),
  };
}

/**
 * Publishes a child's facts in the flush that changes them: what the mutation already has in
 * hand is given, the rest is read (the guardians, the arrangement, the ledger's schooling).
 */
export async function publishChildFacts(
  ctx: HubContext,
  child: Omit<FactsOf, 'schooling' | 'guardianship' | 'guardians'>,
  known: Partial<Pick<FactsOf, 'guardians' | 'guardianship' | 'schooling'>> = {},
): Promise<void> {
  const loaders = registryLoaders(ctx);
  const [guardians, guardianship, schooling] = await Promise.all([
    known.guardians ?? loaders.guardiansOfChild.load(child.id),
    known.guardianship !== undefined ? known.guardianship : loaders.guardianshipOfChild.load(child.id),
    known.schooling !== undefined
      ? known.schooling
      : loaders.ledgerEntryOfChild.load(child.id).then((entry) => entry?.schooling ?? null),
  ]);
  const facts = childFacts({ ...child, guardians, guardianship, schooling }, ctx.identityHash);
  publish(ctx.em, CHILD_FACTS, { children: [facts] });
}
