import type { GraphQLResolveInfo } from 'graphql';
import { perRequest, type HubContext } from '../../context';
import { manyLoader, oneLoader } from '../../db/loaders';
import { scopedRead } from '../../db/scoped-read';
import { LedgerEntrySchema } from './census.entity';
import { ChildSchema } from './child.entity';
import { GuardianSchema } from './guardian.entity';
import { GuardianshipSchema } from './guardianship.entity';
import { selectedFields } from '../lookahead';

const childrenById = scopedRead(ChildSchema, 'id');
const guardiansById = scopedRead(GuardianSchema, 'id');
const guardiansByChild = scopedRead(GuardianSchema, 'childId', [
  ['createdAt', 'asc'],
  ['id', 'asc'],
]);
const guardianshipsByChild = scopedRead(GuardianshipSchema, 'childId');
const ledgerEntriesByChild = scopedRead(LedgerEntrySchema, 'childId');

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
  ledgerEntryOfChild: oneLoader(
    (ids) => ledgerEntriesByChild(em, ids),
    (l) => l.childId,
  ),
}));

const ignore = () => {};

/**
 * One child by id, with the guardians and guardianship the query goes on to select read in the
 * same statement (scoped reads of one turn travel together) instead of one more round trip.
 */
export function loadChild(ctx: HubContext, id: string, info: GraphQLResolveInfo) {
  const loaders = registryLoaders(ctx);
  const child = loaders.child.load(id);
  const fields = selectedFields(info);
  // The resolver that asks for them later gets these promises, failures included.
  if (fields.has('guardians')) loaders.guardiansOfChild.load(id).catch(ignore);
  if (fields.has('guardianship')) loaders.guardianshipOfChild.load(id).catch(ignore);
  return child;
}
