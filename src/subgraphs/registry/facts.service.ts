import { accessRecord } from '../../audit/access-record';
import type { HubContext } from '../../context';
import { badInput } from '../../errors';
import { GuardianSchema, type Guardian } from './guardian.entity';

/** What GuardianFacts shows of a guardian. */
export type GuardianFactsRow = Pick<Guardian, 'id' | 'childId' | 'regionCode' | 'relation' | 'idNumber'>;
import { registryLoaders } from './registry.loaders';

/** Ids one question may name: a batch of the asking subgraph's writes. */
const MAX_IDS = 1_000;

function checkCount(field: string, values: readonly string[]) {
  if (values.length > MAX_IDS) throw badInput(field, `at most ${MAX_IDS} at a time`);
}

/**
 * What another subgraph may ask about children it writes records for (src/peers/registry-client.ts):
 * each child, if registered inside the caller's jurisdiction, else null.
 */
export async function childFacts(ctx: HubContext, ids: readonly string[]) {
  checkCount('ids', ids);
  return Promise.all(ids.map((id) => registryLoaders(ctx).child.load(id)));
}

/** Each guardian, if recorded inside the caller's jurisdiction, else null. */
export async function guardianFacts(ctx: HubContext, ids: readonly string[]) {
  checkCount('ids', ids);
  return Promise.all(ids.map((id) => registryLoaders(ctx).guardian.load(id)));
}

/**
 * Guardians anywhere in the country holding one of these identity numbers, for the enterprise
 * subgraph to link its workers to registered children (the permission table grants it to
 * enterprise accounts only). National, because a worker's child lives far from the workplace;
 * the answer goes into link rows and is never shown to the enterprise's own systems.
 */
export async function guardiansWithIdNumbers(
  ctx: HubContext,
  idNumbers: readonly string[],
): Promise<GuardianFactsRow[]> {
  checkCount('idNumbers', idNumbers);
  if (idNumbers.length === 0) return [];
  // A search by identity number is audited whether or not it finds a guardian: the asker
  // cannot tell the two apart by the work it causes either.
  accessRecord(ctx).fields.add('Query.guardiansWithIdNumbers');
  return ctx.em.find(
    GuardianSchema,
    { idNumber: { $in: idNumbers.map((n) => n.toUpperCase()) } },
    {
      fields: ['id', 'childId', 'regionCode', 'relation', 'idNumber'],
      filters: { jurisdiction: false },
      disableIdentityMap: true,
    },
  );
}
