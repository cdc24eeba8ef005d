import type { HubContext } from '../../context';
import type { GuardianEntry } from '../registry/guardian-directory';
import { WorkerLinkSchema, WorkerSchema, type WorkerLink } from './worker.entity';

/**
 * The registry's hook for a guardian added with an identity number: workers of any enterprise
 * holding the same number (compared as keyed hashes) are linked to the guardian's child. The
 * links are created in the caller's unit of work, in the child's region, and flushed with the
 * guardian; the caller is told nothing about them.
 */
export async function linkWorkersToGuardian(ctx: HubContext, guardian: GuardianEntry & { idNumber: string }) {
  const workers = await ctx.em.find(
    WorkerSchema,
    { idHash: ctx.identityHash(guardian.idNumber) },
    { fields: ['id', 'enterpriseCode'], filters: { jurisdiction: false, enterprise: false }, disableIdentityMap: true },
  );
  for (const worker of workers) {
    ctx.em.create(WorkerLinkSchema, {
      workerId: worker.id,
      guardianId: guardian.id,
      childId: guardian.childId,
      enterpriseCode: worker.enterpriseCode,
      regionCode: guardian.regionCode,
    } as WorkerLink);
  }
}
