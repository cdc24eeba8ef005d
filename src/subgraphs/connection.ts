import type { EntityManager, EntitySchema, FilterQuery } from '@mikro-orm/core';
import { isUuid } from '../db/loaders';
import { badInput } from '../errors';
import { REGION_CODE_PATTERN } from '../regions/region-code';

export const MAX_PAGE = 100;

/** A Relay connection as the resolvers return it; `totalCount` runs only when it is asked for. */
export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: () => Promise<number>;
}

/**
 * Pages of scoped rows run in (village, key) order, the order of the region-code index: a
 * cursor is both, so a township's page reads only its own rows. `key` is a uuid column that is
 * unique in the table (the id, or the child id of a one-row-per-child table).
 */
const encodeCursor = (regionCode: string, key: string) => Buffer.from(`${regionCode}:${key}`).toString('base64url');

function afterCursor(cursor: string, key: string) {
  const [regionCode, id] = Buffer.from(cursor, 'base64url').toString().split(':');
  if (!REGION_CODE_PATTERN.test(regionCode ?? '') || !isUuid(id ?? '')) {
    throw badInput('after', 'is not a cursor from this connection');
  }
  // The first bound is implied by the second; it lets the index start at the cursor.
  return [
    { regionCode: { $gte: regionCode } },
    { $or: [{ regionCode: { $gt: regionCode } }, { regionCode, [key]: { $gt: id } }] },
  ];
}

/** One page of the rows matching `where` in the caller's jurisdiction (the filter of `em`). */
export async function findPage<T extends { regionCode: string }>(
  em: EntityManager,
  schema: EntitySchema<T>,
  where: FilterQuery<T>,
  key: keyof T & string,
  first: number,
  after?: string | null,
): Promise<Connection<T>> {
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE) throw badInput('first', `must be 0 to ${MAX_PAGE}`);
  const page = await em.find(
    schema,
    (after ? { $and: [where, ...afterCursor(after, key)] } : where) as FilterQuery<T>,
    {
      orderBy: { regionCode: 'asc', [key]: 'asc' } as never,
      limit: first + 1,
    },
  );
  const edges = page
    .slice(0, first)
    .map((node) => ({ cursor: encodeCursor(node.regionCode, String(node[key])), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.length > first,
      hasPreviousPage: Boolean(after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: () => em.count(schema, where),
  };
}
