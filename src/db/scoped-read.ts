import { createHash } from 'node:crypto';
import {
  raw,
  ReferenceKind,
  type EntityMetadata,
  type EntityProperty,
  type EntitySchema,
  type FilterQuery,
  type QueryOrderMap,
} from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { types } from 'pg';
import { JURISDICTION, jurisdictionCondition, jurisdictionPattern } from '../policy/jurisdiction';
import { runStatement, type Row } from './statement';

/** One read as SQL: alone, or as a JSON array of rows when it travels with others. */
interface Read {
  /** Names the read among this process's, to find a batch's statement again. */
  id: number;
  text: string;
  json: string;
  /** Properties that the entity holds as instants (Date). */
  instants: string[];
}

interface Statement {
  /**
   * By one key (`= $1`) and by many (`= any($1)`): PostgreSQL keeps one generic plan for the
   * first; for the second it would plan every execution anyway, as it cannot know how many.
   */
  one: Read;
  many: Read;
}

type Order<T> = [keyof T & string, 'asc' | 'desc'];

/** Reads the rows of a scoped entity whose `key` is one of `keys`, in the caller's jurisdiction. */
export type ScopedRead<T> = (em: EntityManager, keys: readonly string[]) => Promise<T[]>;

/** The ORM's connections read timestamps as text; entities hold them as Date. */
const parseInstant = types.getTypeParser(types.builtins.TIMESTAMPTZ) as (text: string) => Date;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Texts written for this process's statements, each with its prepared statement's name
 * (PostgreSQL parses and plans it once per connection). Their kinds are bounded (reads,
 * combinations of reads, list conditions); the bound is a safety net.
 */
const statements = new Map<string, { text: string; name: string }>();

function statement(key: string, write: () => string) {
  let known = statements.get(key);
  if (!known) {
    if (statements.size >= 10_000) statements.clear();
    const text = write();
    known = { text, name: `scoped_${createHash('sha1').update(text).digest('hex').slice(0, 20)}` };
    statements.set(key, known);
  }
  return known;
}

interface Shape {
  table: string;
  /** Every persisted column, named by its property. */
  columns: string;
  column(property: string): string;
  /** Properties that the entity holds as instants (Date). */
  instants: string[];
}

/** A scoped entity's table and columns, for statements written without the ORM. */
function shapeOf<T>(meta: EntityMetadata<T>): Shape {
  const filters = Object.keys(meta.filters ?? {});
  if (filters.length !== 1 || filters[0] !== JURISDICTION) {
    throw new Error(`${meta.className}: a scoped read needs the jurisdiction filter and no other`);
  }
  const props = meta.props.filter((p) => p.persist !== false);
  const unsupported = props.find((p) => p.kind !== ReferenceKind.SCALAR || p.lazy || p.fieldNames?.length !== 1);
  if (unsupported) throw new Error(`${meta.className}.${unsupported.name}: a scoped read maps plain columns only`);
  const properties = meta.properties as Record<string, EntityProperty<T>>;
  return {
    table: meta.schema ? `${quote(meta.schema)}.${quote(meta.tableName)}` : quote(meta.tableName),
    columns: props.map((p) => `${quote(p.fieldNames[0])} as ${quote(p.name)}`).join(', '),
    column: (name) => {
      if (!properties[name]) throw new Error(`${meta.className} has no property ${name}`);
      return quote(properties[name].fieldNames[0]);
    },
    instants: props.filter((p) => p.runtimeType === 'Date').map((p) => p.name),
  };
}

/** Compiles once per entity's metadata (one per ORM: tests and benchmarks open several). */
function perMeta<T, R>(make: (meta: EntityMetadata<T>) => R) {
  const made = new WeakMap<EntityMetadata<T>, R>();
  return (em: EntityManager, schema: EntitySchema<T>): R => {
    const meta = em.getMetadata().get<T>(schema.meta.className);
    let value = made.get(meta);
    if (!value) made.set(meta, (value = make(meta)));
    return value;
  };
}

let reads = 0;

function compile<T>(meta: EntityMetadata<T>, key: keyof T & string, orderBy: Order<T>[]): Statement {
  const { table, columns, column, instants } = shapeOf(meta);
  const keyType = (meta.properties as Record<string, EntityProperty<T>>)[key].columnTypes[0];
  const order = orderBy.map(([p, dir]) => `${column(p)} ${dir}`).join(', ');
  // The JSON form orders the aggregate by the subquery's columns, which carry property names.
  const orderOfRows = orderBy.map(([p, dir]) => `r.${quote(p)} ${dir}`).join(', ');
  const read = (keys: string): Read => {
    const where = `${column(key)} ${keys} and ${column('regionCode')} like $2`;
    return {
      id: ++reads,
      text: `select ${columns} from ${table} where ${where}${order ? ` order by ${order}` : ''}`,
      json:
        `select coalesce(json_agg(r${order ? ` order by ${orderOfRows}` : ''}), '[]') ` +
        `from (select ${columns} from ${table} where ${where}) r`,
      instants,
    };
  };
  return {
    one: read(`= $1::${keyType}`),
    many: read(`= any($1::${keyType}[])`),
  };
}

interface Pending {
  read: Read;
  values: unknown[];
  resolve(rows: Row[]): void;
  reject(err: unknown): void;
}

/** Reads an entity manager has asked for in this turn of the event loop, not yet sent. */
const pending = new WeakMap<EntityManager, Pending[]>();

/** Placeholders `$n` of a statement moved up by `offset`, to sit beside another's. */
const shifted = (text: string, offset: number) => text.replace(/\$(\d+)/g, (_, n) => `$${Number(n) + offset}`);

/**
 * Sends the reads of one turn in one round trip: alone, a read is its own prepared statement;
 * several (a child's guardians and guardianship, or the enrolment, household and reports the
 * gateway asks for at once) become one statement selecting each read's rows as a JSON array.
 * Each read keeps its own jurisdiction parameter; nothing is joined.
 */
async function send(em: EntityManager, batch: Pending[]) {
  const sql =
    batch.length === 1
      ? statement(batch[0].read.text, () => batch[0].read.text)
      : statement(
          batch.map((p) => p.read.id).join(),
          () => `select ${batch.map((p, i) => `(${shifted(p.read.json, i * 2)}) as "${i}"`).join(', ')}`,
        );
  let rows: Row[];
  try {
    rows = await runStatement(
      em,
      sql,
      batch.flatMap((p) => p.values),
    );
  } catch (err) {
    for (const p of batch) p.reject(err);
    return;
  }
  if (batch.length === 1) {
    batch[0].resolve(withInstants(rows, batch[0].read.instants, parseInstant));
    return;
  }
  for (const [n, p] of batch.entries()) p.resolve(withInstants(rows[0][n] as Row[], p.read.instants, toDate));
}

const toDate = (text: string) => new Date(text);

function withInstants(rows: Row[], instants: string[], parse: (text: string) => Date) {
  for (const row of rows) for (const i of instants) if (row[i] !== null) row[i] = parse(row[i] as string);
  return rows;
}

/**
 * A hot read path that skips MikroORM's query builder but not the jurisdiction rule: SQL
 * compiled once from the entity's metadata and sent as a prepared statement, whose
 * jurisdiction parameter is always the `LIKE` pattern of the entity manager's region (the same
 * parameters the `jurisdiction` filter reads; an entity manager without them cannot read).
 * Reads asked for in the same turn share one round trip (see `send`).
 * Rows come back as plain objects of the entity's shape, not managed entities: reads are the hot
 * path, and a service that changes a row merges it into its entity manager first (`em.merge`).
 * The statement runs in the entity manager's transaction, if any, and is logged like the ORM's.
 */
export function scopedRead<T extends { regionCode: string }>(
  schema: EntitySchema<T>,
  key: keyof T & string,
  orderBy: Order<T>[] = [],
): ScopedRead<T> {
  const statementOf = perMeta<T, Statement>((meta) => compile(meta, key, orderBy));
  return (em, keys) => {
    let read: Read;
    let values: unknown[];
    try {
      const statement = statementOf(em, schema);
      read = keys.length === 1 ? statement.one : statement.many;
      values = [keys.length === 1 ? keys[0] : keys, jurisdictionPattern(em)];
    } catch (err) {
      return Promise.reject(err as Error);
    }
    let batch = pending.get(em);
    if (!batch) {
      const started: Pending[] = (batch = []);
      pending.set(em, started);
      setImmediate(() => {
        pending.delete(em);
        void send(em, started);
      });
    }
    const joined = batch;
    return new Promise<Row[]>((resolve, reject) => joined.push({ read, values, resolve, reject })) as Promise<T[]>;
  };
}

const shapeFor = perMeta(shapeOf);

/**
 * Rows of a scoped entity matching a MikroORM condition, as plain objects like `scopedRead`'s:
 * the query builder writes the SQL, with the jurisdiction condition added from the entity
 * manager's parameters (`jurisdictionCondition`), and the statement runs
 * prepared, without hydrating entities. For lists, whose pages would otherwise spend more time
 * in the ORM than in PostgreSQL.
 */
export async function scopedFind<T extends { regionCode: string }>(
  em: EntityManager,
  schema: EntitySchema<T>,
  where: FilterQuery<T>,
  options: { orderBy: QueryOrderMap<T>; limit: number },
): Promise<T[]> {
  const shape = shapeFor(em, schema as EntitySchema<unknown>);
  const { sql, bindings } = em
    .createQueryBuilder<T>(schema.meta.className)
    .select(raw(shape.columns))
    .where({ $and: [where, jurisdictionCondition(em)] } as FilterQuery<T>)
    .orderBy(options.orderBy)
    .limit(options.limit)
    .getKnexQuery()
    .toSQL()
    .toNative();
  const rows = await runStatement(
    em,
    statement(sql, () => sql),
    [...bindings],
  );
  return withInstants(rows, shape.instants, parseInstant) as T[];
}
