import type { EntityManager } from '@mikro-orm/core';
import { GuardianSchema, type Guardian } from './guardian.entity';

export type GuardianEntry = Pick<Guardian, 'id' | 'childId' | 'regionCode' | 'idNumber'>;

/**
 * Guardians anywhere in the country holding one of these identity numbers: what the enterprise
 * subgraph asks so that it can link its workers to registered children. National, because a
 * worker's child lives far from the workplace; the answer goes into link rows in the child's
 * region and is never returned to the enterprise that asked.
 */
export function guardiansWithIdNumbers(em: EntityManager, idNumbers: string[]): Promise<GuardianEntry[]> {
  if (idNumbers.length === 0) return Promise.resolve([]);
  return em.find(
    GuardianSchema,
    { idNumber: { $in: idNumbers } },
    { fields: ['id', 'childId', 'regionCode', 'idNumber'], filters: { jurisdiction: false }, disableIdentityMap: true },
  );
}
