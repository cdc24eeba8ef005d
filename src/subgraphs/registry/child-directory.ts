import type { HubContext } from '../../context';
import { notFound } from '../../errors';
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

/** Whether `guardianId` is one of the child's guardians, as the registry records them. */
export async function isGuardianOf(ctx: HubContext, guardianId: string, childId: string): Promise<boolean> {
  const guardian = await registryLoaders(ctx).guardian.load(guardianId);
  return guardian?.childId === childId;
}
