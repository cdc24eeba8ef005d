import type { EntityManager, EventSubscriber, FlushEventArgs } from '@mikro-orm/core';
import type { Principal } from '../auth/principal';
import { forbidden } from '../errors';

export const ENTERPRISE_SCOPE = 'enterprise';

interface EnterpriseScope {
  /** The enterprise an ENTERPRISE account acts for; null for every other department. */
  code: string | null;
}

/**
 * The second row rule, beside jurisdiction, for the enterprise subgraph's tables: an enterprise
 * account sees only its own enterprise's rows, however many enterprises share its region. Other
 * departments are not narrowed by it (jurisdiction and the permission table decide for them).
 * Enabled by default and needing its argument, like the jurisdiction filter: an entity manager
 * not built for a caller cannot read these tables at all.
 */
export function enterpriseFilter(property: string) {
  return {
    name: ENTERPRISE_SCOPE,
    default: true,
    property,
    cond: (args: EnterpriseScope) => {
      if (args?.code === undefined)
        throw new Error('enterprise filter: no enterprise scope set on this entity manager');
      return args.code === null ? {} : { [property]: args.code };
    },
  };
}

/** Binds an entity manager (already scoped to a jurisdiction) to the caller's enterprise, if any. */
export function scopeToEnterprise<T extends EntityManager>(em: T, principal: Pick<Principal, 'enterprise'>): T {
  em.setFilterParams(ENTERPRISE_SCOPE, { code: principal.enterprise ?? null } satisfies EnterpriseScope);
  return em;
}

/**
 * Writes through the unit of work are checked at flush: an enterprise account creates, changes
 * or deletes rows of its own enterprise only, before and after the change.
 */
export class EnterpriseGuard implements EventSubscriber {
  onFlush({ em, uow }: FlushEventArgs): void {
    for (const cs of uow.getChangeSets()) {
      const filter = cs.meta.filters?.[ENTERPRISE_SCOPE] as { property?: string } | undefined;
      if (!filter?.property) continue;
      const scope = em.getFilterParams<EnterpriseScope>(ENTERPRISE_SCOPE);
      if (scope?.code === undefined) throw new Error('entity manager has no enterprise scope');
      if (scope.code === null) continue;
      for (const row of [cs.originalEntity, cs.entity] as (Record<string, unknown> | undefined)[]) {
        const code = row?.[filter.property];
        if (code !== undefined && code !== scope.code)
          throw forbidden('Records of another enterprise cannot be written');
      }
    }
  }
}
