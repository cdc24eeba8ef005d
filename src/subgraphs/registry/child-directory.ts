import type { HubContext } from '../../context';
import { notFound } from '../../errors';
import { isSchoolAgeOn } from './child.service';
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
