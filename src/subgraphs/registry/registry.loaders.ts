import { perRequest } from '../../context';
import { manyLoader, oneLoader } from '../../db/loaders';
import { ChildSchema } from './child.entity';
import { GuardianSchema } from './guardian.entity';
import { GuardianshipSchema } from './guardianship.entity';

/** The registry's loaders for one request; every row read goes through the scoped `em`. */
export const registryLoaders = perRequest(({ em }) => ({
  child: oneLoader(
    (ids) => em.find(ChildSchema, { id: { $in: ids } }),
    (c) => c.id,
  ),
  guardian: oneLoader(
    (ids) => em.find(GuardianSchema, { id: { $in: ids } }),
    (g) => g.id,
  ),
  guardiansOfChild: manyLoader(
    (ids) => em.find(GuardianSchema, { childId: { $in: ids } }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
    (g) => g.childId,
  ),
  guardianshipOfChild: oneLoader(
    (ids) => em.find(GuardianshipSchema, { childId: { $in: ids } }),
    (g) => g.childId,
  ),
}));
