import { createHash } from 'node:crypto';
import { ReferenceKind, type EntityMetadata, type EntityProperty, type EntitySchema } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { types, type PoolClient, type QueryResult } from 'pg';
import { JURISDICTION, jurisdictionPattern } from '../policy/jurisdiction';

interface Statement {
  /** A prepared statement's name: PostgreSQL parses and plans it once per connection. */
  name: string;
  text: string;
  /** Properties read as text that the entity holds as instants. */
  instants: string[];
}

type Order<T> = [keyof T & string, 'asc' | 'desc'];

/** Reads the rows of a scoped entity whose `key` is one of `keys`, in the caller's jurisdiction. */
export type ScopedRead<T> = (em: EntityManager, keys: readonly string[]) => Promise<T[]>;

const parseInstant = types.getTypeParser(types.builtins.TIMESTAMPTZ) as (text: string) => Date;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function compile<T>(meta: EntityMetadata<T>, key: keyof T & string, orderBy: Order<T>[]): Statement {
  const filters = Object.keys(meta.filters ?? {});
  if (filters.length !== 1 || filters[0] !== JURISDICTION) {
    throw new Error(`${meta.className}: a scoped read needs the jurisdiction filter and no other`);
  }
  const props = meta.props.filter((p) => p.persist !== false);
  const unsupported = props.find((p) => p.kind !== ReferenceKind.SCALAR || p.lazy || p.fieldNames?.length !== 1);
  if (unsupported) throw new Error(`${meta.className}.${unsupported.name}: a scoped read maps plain columns only`);
  const properties = meta.properties as Record<string, EntityProperty<T>>;
  const column = (name: string) => {
    if (!properties[name]) throw new Error(`${meta.className} has no property ${name}`);
    return quote(properties[name].fieldNames[0]);
  };
  const keyType = properties[key].columnTypes[0];
  const table = meta.schema ? `${quote(meta.schema)}.${quote(meta.tableName)}` : quote(meta.tableName);
  const order = orderBy.length ? ` order by ${orderBy.map(([p, dir]) => `${column(p)} ${dir}`).join(', ')}` : '';
  const text =
    `select ${props.map((p) => `${quote(p.fieldNames[0])} as ${quote(p.name)}`).join(', ')} from ${table}` +
    ` where ${column(key)} = any($1::${keyType}[]) and ${column('regionCode')} like $2${order}`;
  // The ORM's connections read timestamps as text; entities hold them as Date.
  const instants = props.filter((p) => p.runtimeType === 'Date').map((p) => p.name);
  return { name: `scoped_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`, text, instants };
}

/**
 * A hot read path that skips MikroORM's query builder but not the jurisdiction rule: one SQL
 * statement, compiled once from the entity's metadata and sent as a prepared statement, whose
 * second parameter is always the `LIKE` pattern of the entity manager's jurisdiction (the same
 * parameters the `jurisdiction` filter reads; an entity manager without them cannot read).
 * Rows come back as plain objects of the entity's shape, not managed entities: reads are the hot
 * path, and a service that changes a row merges it into its entity manager first (`em.merge`).
 * The statement runs in the entity manager's transaction, if any, and is logged like the ORM's.
 */
export function scopedRead<T extends { regionCode: string }>(
  schema: EntitySchema<T>,
  key: keyof T & string,
  orderBy: Order<T>[] = [],
): ScopedRead<T> {
  const compiled = new WeakMap<EntityMetadata<T>, Statement>();
  return async (em, keys) => {
    const meta = em.getMetadata().get<T>(schema.meta.className);
    let statement = compiled.get(meta);
    if (!statement) compiled.set(meta, (statement = compile(meta, key, orderBy)));
    const values = [keys, jurisdictionPattern(em)];
    const client = (em.getTransactionContext() ?? em.getConnection().getKnex()).client;
    const log = (context: { took: number; results?: number; level?: 'error' }) =>
      em.config.getLogger().logQuery({ query: statement.text, ...context });
    const started = Date.now();
    let result: QueryResult;
    const pg: PoolClient = await client.acquireConnection().catch((err: Error) => {
      throw em.getDriver().convertException(err);
    });
    try {
      result = await pg.query({ name: statement.name, text: statement.text, values });
    } catch (err) {
      log({ took: Date.now() - started, level: 'error' });
      throw em.getDriver().convertException(err as Error);
    } finally {
      await client.releaseConnection(pg);
    }
    log({ took: Date.now() - started, results: result.rows.length });
    for (const row of result.rows) {
      for (const p of statement.instants) if (row[p] !== null) row[p] = parseInstant(row[p]);
    }
    return result.rows as T[];
  };
}
