import { perRequest } from '../../context';
import { existsLoader } from '../../db/loaders';
import { EmergencyGrantSchema } from './emergency-grant.entity';

/**
 * What the permission layer may ask about emergency access: for which children the calling
 * account holds a grant that has not expired (the `emergencyAccess` condition of
 * src/policy/conditions.ts). One statement per request, through the caller's scoped entity
 * manager; like the justice check it assumes the subgraphs share one database.
 */
export const activeEmergencyGrants = perRequest((ctx) =>
  existsLoader(async (childIds) =>
    (
      await ctx.em.find(
        EmergencyGrantSchema,
        { account: ctx.principal.sub, childId: { $in: childIds }, expiresAt: { $gt: new Date() } },
        { fields: ['childId'] },
      )
    ).map((g) => g.childId),
  ),
);
