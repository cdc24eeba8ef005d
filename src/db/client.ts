import type { EntityManager } from '@mikro-orm/postgresql';
import type { PoolClient } from 'pg';

/**
 * Runs `work` on a connection of the entity manager's pool held for it alone: for COPY, temporary
 * tables, cursors and transactions spanning several statements (bulk imports and exports).
 */
export async function withClient<T>(em: EntityManager, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const knex = em.getConnection().getKnex();
  const client = (await knex.client.acquireConnection()) as PoolClient;
  try {
    return await work(client);
  } finally {
    await knex.client.releaseConnection(client);
  }
}
