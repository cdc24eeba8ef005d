import type { EntityManager } from '@mikro-orm/postgresql';
import type { PoolClient } from 'pg';

export type Row = Record<string, unknown>;

/**
 * Runs one statement with `$n` parameters on the entity manager's connection (its transaction,
 * if any), logged like the ORM's, its errors converted like the ORM's. With a name, PostgreSQL
 * keeps it prepared on the connection. Unlike `em.getConnection().execute`, which writes every
 * parameter into the SQL text as an escaped literal, the values travel as parameters: a
 * 700 KB JSON document is sent as it is, not escaped character by character.
 */
export async function runStatement(
  em: EntityManager,
  sql: { text: string; name?: string },
  values: unknown[],
): Promise<Row[]> {
  const { text, name } = sql;
  const client = (em.getTransactionContext() ?? em.getConnection().getKnex()).client;
  const logger = em.config.getLogger();
  const started = Date.now();
  try {
    const pg: PoolClient = await client.acquireConnection();
    try {
      const { rows } = await pg.query<Row>({ name, text, values });
      logger.logQuery({
        ...em.getLoggerContext({ disableContextResolution: true }),
        query: text,
        took: Date.now() - started,
        results: rows.length,
      });
      return rows;
    } finally {
      await client.releaseConnection(pg);
    }
  } catch (err) {
    logger.logQuery({
      ...em.getLoggerContext({ disableContextResolution: true }),
      query: text,
      took: Date.now() - started,
      level: 'error',
    });
    throw em.getDriver().convertException(err as Error);
  }
}

/** A statement written with knex's `?` placeholders, numbered `$1`, `$2`… as PostgreSQL takes them. */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
