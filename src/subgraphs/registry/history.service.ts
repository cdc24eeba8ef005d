import type { HubContext } from '../../context';
import type { Child } from './child.entity';
import type { Guardianship } from './guardianship.entity';
import { registryLoaders } from './registry.loaders';
import { ChildRevisionSchema, GuardianshipRevisionSchema } from './revision.entity';

/** A child's record as it stood at `asOf`: its nested registry fields follow the same instant. */
export type ChildAsOf = Child & { asOf: Date };

export const isAsOf = (child: Child): child is ChildAsOf => (child as Partial<ChildAsOf>).asOf instanceof Date;

/** The registry's record of a child at an instant: the live row, or the revision then current. */
export async function childAsOf(ctx: HubContext, id: string, asOf: Date | string): Promise<ChildAsOf | null> {
  const at = new Date(asOf); // the DateTime scalar has refused anything but an ISO 8601 instant
  const current = await registryLoaders(ctx).child.load(id);
  if (!current || at < current.createdAt) return null;
  if (at >= current.updatedAt) return { ...current, asOf: at };
  const revision = await ctx.em.findOne(ChildRevisionSchema, { id, validFrom: { $lte: at }, validTo: { $gt: at } });
  return revision ? { ...revision, asOf: at } : null;
}

export async function guardianshipAsOf(ctx: HubContext, child: ChildAsOf): Promise<Guardianship | null> {
  const current = await registryLoaders(ctx).guardianshipOfChild.load(child.id);
  if (current && child.asOf >= current.updatedAt) return current;
  return ctx.em.findOne(GuardianshipRevisionSchema, {
    childId: child.id,
    validFrom: { $lte: child.asOf },
    validTo: { $gt: child.asOf },
  });
}
