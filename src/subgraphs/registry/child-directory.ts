import type { HubContext } from '../../context';
import { notFound } from '../../errors';
import { isSchoolAgeOn } from './child.service';
import type { GuardianRelation } from './guardian.entity';
import { registryLoaders } from './registry.loaders';

/**
 * What another subgraph may ask the registry about a child it is writing data for: that the
 * child exists inside the caller's jurisdiction, and which region the new row is scoped to.
 * This is the registry's service answering, not a read of its tables by another subgraph.
 */
export async function jurisdictionOfChild(ctx: HubContext, childId: string): Promise<string> {
  const child = await registryLoaders(ctx).child.load(childId);
  if (!child) throw notFound('Child');
  return child.regionCode;
}

/** Whether the child (of the caller's jurisdiction) is of compulsory-education age, 6 to 15, on `date`. */
export async function isOfSchoolAge(ctx: HubContext, childId: string, date: string): Promise<boolean> {
  const child = await registryLoaders(ctx).child.load(childId);
  if (!child) throw notFound('Child');
  return isSchoolAgeOn(child.birthDate, date);
}

/** Whether `guardianId` is one of the child's guardians, as the registry records them. */
export async function isGuardianOf(ctx: HubContext, guardianId: string, childId: string): Promise<boolean> {
  const guardian = await registryLoaders(ctx).guardian.load(guardianId);
  return guardian?.childId === childId;
}

/**
 * What another subgraph may ask about a guardian it links a record to (an attendee of a
 * guidance session): that the guardian exists inside the caller's jurisdiction, their
 * relation to the child, and the region the link is scoped to. Nothing else of the guardian.
 */
export async function guardianInJurisdiction(
  ctx: HubContext,
  guardianId: string,
): Promise<{ regionCode: string; relation: GuardianRelation }> {
  const guardian = await registryLoaders(ctx).guardian.load(guardianId);
  if (!guardian) throw notFound('Guardian');
  return { regionCode: guardian.regionCode, relation: guardian.relation };
}
