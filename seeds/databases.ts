import { Pool, type PoolClient } from 'pg';
import type { Queryable } from './bulk';

/** The schemas the seeds write, and the database (administrator's URL) each lives in. */
export type SchemaDatabases = ReadonlyMap<string, string>;

/** Reference data: every database has a copy, so it never decides where a statement goes. */
const SHARED = 'reference';

type Statement = string | { text: string };

/**
 * The demo seed writes every department's data as one picture of a county, so it works across
 * the subgraphs' databases: each statement goes to the database of the schemas it names (a
 * statement naming schemas of two databases is refused). In the one-database topology that is
 * one connection, as before.
 */
export class SeedDatabases implements Queryable {
  private readonly pools = new Map<string, Pool>();
  private readonly pattern: RegExp;

  constructor(private readonly databases: SchemaDatabases) {
    this.pattern = new RegExp(`"?\\b(${[...databases.keys(), SHARED].join('|')})"?\\.`, 'g');
  }

  /** The database a statement is for: that of the (non-reference) schemas it names. */
  urlOf(statement: Statement): string {
    const text = typeof statement === 'string' ? statement : statement.text;
    const urls = new Set<string>();
    for (const [, schema] of text.matchAll(this.pattern)) {
      if (schema !== SHARED) urls.add(this.databases.get(schema)!);
    }
    if (urls.size > 1) throw new Error(`a seed statement names schemas of different databases: ${text.slice(0, 200)}`);
    return [...urls][0] ?? [...this.databases.values()][0];
  }

  private pool(url: string): Pool {
    let pool = this.pools.get(url);
    if (!pool) this.pools.set(url, (pool = new Pool({ connectionString: url, max: 2 })));
    return pool;
  }

  query = ((statement: Statement, params?: unknown[]) =>
    this.pool(this.urlOf(statement)).query(statement as string, params)) as Queryable['query'];

  /**
   * Runs `work` with a transaction in each database; all commit at the end (one by one: a seed
   * failing half-way is rolled back everywhere it has not yet committed). A statement goes to its
   * database's client as it is, so a COPY stream is returned as the driver returns it.
   */
  async transaction<T>(work: (db: Queryable) => Promise<T>): Promise<T> {
    const clients = new Map<string, PoolClient>();
    try {
      for (const url of new Set(this.databases.values())) {
        const client = await this.pool(url).connect();
        clients.set(url, client);
        await client.query('begin');
      }
      const tx = {
        query: ((statement: Statement, params?: unknown[]) =>
          clients.get(this.urlOf(statement))!.query(statement as string, params)) as Queryable['query'],
      };
      const result = await work(tx);
      for (const c of clients.values()) await c.query('commit');
      return result;
    } catch (err) {
      for (const c of clients.values()) await c.query('rollback').catch(() => undefined);
      throw err;
    } finally {
      for (const c of clients.values()) c.release();
    }
  }

  async end(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.end()));
  }
}
