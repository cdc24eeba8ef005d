import { perRequest } from '../../context';
import { manyLoader, oneLoader } from '../../db/loaders';
import { scopedRead } from '../../db/scoped-read';
import { ChildSchema } from './child.entity';
import { GuardianSchema } from './guardian.entity';
import { GuardianshipSchema } from './guardianship.entity';

const childrenById = scopedRead(ChildSchema, 'id');
const guardiansById = scopedRead(GuardianSchema, 'id');
const guardiansByChild = scopedRead(GuardianSchema, 'childId', [
  ['createdAt', 'asc'],
  ['id', 'asc'],
]);
const guardianshipsByChild = scopedRead(GuardianshipSchema, 'childId');

/** The registry's loaders for one request; every row read goes through the scoped `em`. */
export const registryLoaders = perRequest(({ em }) => ({
  child: oneLoader(
    (ids) => childrenById(em, ids),
    (c) => c.id,
  ),
  guardian: oneLoader(
    (ids) => guardiansById(em, ids),
    (g) => g.id,
  ),
  guardiansOfChild: manyLoader(
    (ids) => guardiansByChild(em, ids),
    (g) => g.childId,
  ),
  guardianshipOfChild: oneLoader(
    (ids) => guardianshipsByChild(em, ids),
    (g) => g.childId,
  ),
}));
