import type { EventHandler } from '../../events/relay';
import { WorkerLinkSchema, WorkerSchema, type WorkerLink } from './worker.entity';

/**
 * The registry published a guardian with an identity number (`GuardianAdded`, carrying the
 * number's keyed hash, never the number): workers of any enterprise holding the same number
 * are linked to the guardian's child, in the child's region. Enterprises are told nothing.
 */
export const linkWorkersToGuardian: EventHandler = async (em, payload) => {
  const { guardianId, childId, regionCode, idHash } = payload as {
    guardianId: string;
    childId: string;
    regionCode: string;
    idHash: string | null;
  };
  if (!idHash) return;
  const workers = await em.find(
    WorkerSchema,
    { idHash },
    { fields: ['id', 'enterpriseCode'], filters: { jurisdiction: false, enterprise: false }, disableIdentityMap: true },
  );
  for (const worker of workers) {
    em.create(WorkerLinkSchema, {
      workerId: worker.id,
      guardianId,
      childId,
      enterpriseCode: worker.enterpriseCode,
      regionCode,
    } as WorkerLink);
  }
};
