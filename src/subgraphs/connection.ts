import { raw, type EntityProperty, type EntitySchema, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { HubContext } from '../context';
import { isUuid } from '../db/loaders';
import { scopedFind } from '../db/scoped-read';
import { badInput } from '../errors';
import { REGION_CODE_PATTERN } from '../regions/region-code';

export const MAX_PAGE = 100;

/** A Relay connection as the resolvers return it; `totalCount` runs only when it is asked for. */
export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: () => Promise<number>;
}

export function checkPageSize(first: number) {
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE) throw badInput('first', `must be 0 to ${MAX_PAGE}`);
}

/**
 * Edges and page info from the rows a page query read: `first` rows and, when there are more,
 * one beyond them, which only says that a next page exists.
 */
export function pageFrom<T>(
  rows: readonly T[],
  first: number,
  after: string | null | undefined,
  cursorOf: (node: T) => string,
): Pick<Connection<T>, 'edges' | 'pageInfo'> {
  const edges = rows.slice(0, first).map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: Boolean(after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/**
 * Pages of scoped rows run in (village, key) order, the order of the region-code index: a
 * cursor is both, so a township's page reads only its own rows. `key` is a uuid column that is
 * unique in the table (the id, or the child id of a one-row-per-child table).
 */
const encodeCursor = (regionCode: string, key: string) => Buffer.from(`${regionCode}:${key}`).toString('base64url');

function afterCursor(cursor: string): [string, string] {
  const [regionCode, id] = Buffer.from(cursor, 'base64url').toString().split(':');
  if (!REGION_CODE_PATTERN.test(regionCode ?? '') || !isUuid(id ?? '')) {
    throw badInput('after', 'is not a cursor from this connection');
  }
  return [regionCode, id];
}

/**
 * The rows after a cursor in the order of two properties (both ascending or both descending),
 * as one row comparison: an index on both columns starts its scan at the cursor itself, where
 * an `or` of the two would bound it by the first column at best and read every row up to the
 * cursor.
 */
function rowsAfter<T>(
  em: EntityManager,
  schema: EntitySchema<T>,
  keys: [string, string],
  values: [string, string],
  direction: 'asc' | 'desc',
) {
  const properties = em.getMetadata().get<T>(schema.meta.className).properties as Record<string, EntityProperty>;
  const [first, second] = keys.map((key) => `"${properties[key].fieldNames[0]}"`);
  const tuple = raw((alias: string) => `(${alias}.${first}, ${alias}.${second})`);
  return { [tuple]: { [direction === 'asc' ? '$gt' : '$lt']: raw('(?, ?)', values) } };
}

/** One page of the rows matching `where` in the caller's jurisdiction (of `em`), as plain rows. */
export async function findPage<T extends { regionCode: string }>(
  em: EntityManager,
  schema: EntitySchema<T>,
  where: FilterQuery<T>,
  key: keyof T & string,
  first: number,
  after?: string | null,
): Promise<Connection<T>> {
  checkPageSize(first);
  const page = await scopedFind(
    em,
    schema,
    (after
      ? { $and: [where, rowsAfter(em, schema, ['regionCode', key], afterCursor(after), 'asc')] }
      : where) as FilterQuery<T>,
    { orderBy: { regionCode: 'asc', [key]: 'asc' } as never, limit: first + 1 },
  );
  return {
    ...pageFrom(page, first, after, (node) => encodeCursor(node.regionCode, String(node[key]))),
    totalCount: () => em.count(schema, where),
  };
}

/**
 * The order a list is paged in: by one column, then by id. A cursor holds both values of the
 * last row, so the next page starts right after it however the list changes meanwhile.
 */
export interface PageOrder<T> {
  key: keyof T & string;
  direction: 'asc' | 'desc';
  /** Whether a value read from a cursor is one the column can hold (nothing else reaches SQL). */
  valid: (value: string) => boolean;
}

const encodeOrderCursor = (key: unknown, id: string) => Buffer.from(JSON.stringify([key, id])).toString('base64url');

function decodeCursor(cursor: string, valid: (value: string) => boolean): [string, string] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw badInput('after', 'is not a cursor from this connection');
  const [key, id] = parsed as unknown[];
  if (typeof key !== 'string' || typeof id !== 'string' || !valid(key) || !isUuid(id)) {
    throw badInput('after', 'is not a cursor from this connection');
  }
  return [key, id];
}

/** One page of the rows matching `where` (in the caller's jurisdiction, through `ctx.em`). */
export async function pageOf<T extends { id: string }>(
  ctx: HubContext,
  schema: EntitySchema<T>,
  where: Record<string, unknown>,
  order: PageOrder<T>,
  first: number,
  after?: string | null,
): Promise<Connection<T>> {
  checkPageSize(first);
  const { key, direction } = order;
  const query = after
    ? { $and: [where, rowsAfter(ctx.em, schema, [key, 'id'], decodeCursor(after, order.valid), direction)] }
    : where;
  const rows = await ctx.em.find(schema, query as FilterQuery<T>, {
    orderBy: { [key]: direction, id: direction } as never,
    limit: first + 1,
  });
  return {
    ...pageFrom(rows, first, after, (node) => encodeOrderCursor(node[key], node.id)),
    totalCount: () => ctx.em.count(schema, where as FilterQuery<T>),
  };
}

/** List arguments: rows whose region code starts with `regionCode`, dated within `from`…`to`. */
export function listFilter(args: { regionCode?: string | null; from?: string | null; to?: string | null }) {
  const where: Record<string, unknown> = {};
  if (args.regionCode != null) {
    if (!REGION_CODE_PATTERN.test(args.regionCode)) throw badInput('regionCode', 'is not a region code');
    where.regionCode = { $like: `${args.regionCode}%` };
  }
  if (args.from != null && args.to != null && args.from > args.to) throw badInput('to', 'must not be before `from`');
  if (args.from != null || args.to != null) {
    where.date = { ...(args.from != null && { $gte: args.from }), ...(args.to != null && { $lte: args.to }) };
  }
  return where;
}
