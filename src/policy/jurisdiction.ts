import type { EntityManager, EventSubscriber, FlushEventArgs } from '@mikro-orm/core';
import { forbidden } from '../errors';
import { codesUnder, isWithin } from '../regions/region-code';

export const JURISDICTION = 'jurisdiction';

/**
 * The scope of code that is not acting for a caller (seeding, migrations, benchmarks):
 * the empty prefix, which every region code starts with. A token cannot carry it, because
 * a token's region must be 2 to 12 digits.
 */
export const NATIONAL_SCOPE = '';

/**
 * The row rule, attached to every entity that holds personal data: a caller sees rows whose
 * `region_code` starts with the caller's region. It is enabled by default and needs its
 * argument, so an entity manager that was not scoped cannot read these tables at all.
 */
export const jurisdictionFilter = {
  name: JURISDICTION,
  default: true,
  cond: (args: { region: string }) => {
    if (typeof args?.region !== 'string' || !/^\d*$/.test(args.region)) {
      throw new Error('jurisdiction filter: no region set on this entity manager');
    }
    return { regionCode: { $like: `${args.region}%` } };
  },
};

/**
 * A fresh entity manager bound to one jurisdiction: the only way the hub reads scoped rows. Made
 * of an entity manager in a transaction, it works in that transaction (a fork alone would take
 * a connection of its own and commit apart).
 */
export function scopedEntityManager<T extends EntityManager>(em: T, region: string): T {
  const fork = em.fork({ clear: true, useContext: false, keepTransactionContext: true }) as T;
  fork.setFilterParams(JURISDICTION, { region });
  return fork;
}

function regionOf(em: EntityManager): string {
  const params = em.getFilterParams<{ region: string }>(JURISDICTION);
  if (typeof params?.region !== 'string' || !/^\d*$/.test(params.region)) {
    throw new Error('entity manager has no jurisdiction');
  }
  return params.region;
}

/**
 * The `LIKE` pattern of the entity manager's jurisdiction, for statements written by hand
 * (src/db/scoped-read.ts): the same rule as the filter, from the same parameters.
 */
export const jurisdictionPattern = (em: EntityManager): string => `${regionOf(em)}%`;

/**
 * The same rule as a MikroORM condition for statements the query builder writes (which applies
 * no filter by itself): the pattern, and the range it covers, so that a list's index scan stops
 * at the jurisdiction's end under any plan (`codesUnder`).
 */
export const jurisdictionCondition = (em: EntityManager) => ({ regionCode: codesUnder(regionOf(em)) });

/**
 * Writes are checked where they happen: at flush, every created, changed or deleted row of a
 * scoped entity must lie inside the entity manager's jurisdiction, before and after the change.
 */
export class JurisdictionGuard implements EventSubscriber {
  onFlush({ em, uow }: FlushEventArgs): void {
    for (const cs of uow.getChangeSets()) {
      if (!cs.meta.filters?.[JURISDICTION]) continue;
      const scope = regionOf(em);
      const before = (cs.originalEntity as { regionCode?: string } | undefined)?.regionCode;
      const after = (cs.entity as { regionCode?: string }).regionCode;
      for (const code of [before, after]) {
        if (code !== undefined && !isWithin(scope, code)) {
          throw forbidden(`Region ${code} is outside your jurisdiction`);
        }
      }
    }
  }
}

/**
 * The scope column. Region codes are digits, so byte order ("C" collation) is their natural
 * order, and a plain btree index then serves `LIKE 'prefix%'` and ordering alike.
 */
export const regionCodeColumn = { type: 'string', columnType: 'varchar(12) collate "C"' } as const;

/** The index behind the filter, optionally followed by the columns a list is ordered by. */
export function regionCodeIndex<T extends { regionCode: string }>(table: string, ...then: (keyof T & string)[]) {
  return { name: `${table}_region_code_idx`, properties: ['regionCode', ...then] as (keyof T & string)[] };
}
