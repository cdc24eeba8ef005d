import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { Topology } from '../../src/config';
import { splitDatabaseName, withDatabase } from '../../src/db/database';
import { SUBGRAPHS } from '../../src/subgraphs';

export const TEMPLATE_DATABASE = 'hub_template';

export function serverUrl(): string {
  const url = process.env.HUB_TEST_SERVER_URL;
  if (!url) throw new Error('HUB_TEST_SERVER_URL is not set: run the tests through npm test');
  return url;
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabases {
  /** The administrator's URL of each subgraph's database. */
  placed: Map<string, string>;
  drop(): Promise<void>;
}

/**
 * Databases of this test file's own, copied from the migrated templates: one for every subgraph
 * (in process), or one per subgraph (split).
 */
export async function createTestDatabases(topology: Topology): Promise<TestDatabases> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  const copies =
    topology === 'in-process'
      ? SUBGRAPHS.map((s) => [s.name, name, TEMPLATE_DATABASE] as const)
      : SUBGRAPHS.map(
          (s) => [s.name, splitDatabaseName(name, s.name), splitDatabaseName(TEMPLATE_DATABASE, s.name)] as const,
        );
  const created = [...new Set(copies.map(([, db, template]) => `${db} ${template}`))].map((pair) => pair.split(' '));
  await admin(async (c) => {
    for (const [db, template] of created) await c.query(`create database ${db} template ${template}`);
  });
  return {
    placed: new Map(copies.map(([subgraph, db]) => [subgraph, withDatabase(serverUrl(), db)])),
    drop: () =>
      admin(async (c) => {
        for (const [db] of created) await c.query(`drop database if exists ${db} with (force)`);
      }),
  };
}

/** The topology this test run exercises (HUB_TOPOLOGY, set per Jest project). */
export const testTopology = (): Topology => (process.env.HUB_TOPOLOGY === 'split' ? 'split' : 'in-process');
