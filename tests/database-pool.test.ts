import pino from 'pino';
import { loadConfig } from '../src/config';
import { openData } from '../src/hub';
import { configProblems as problems } from './helpers/config';
import { createTestDatabases, testTopology } from './helpers/database';

test('DATABASE_POOL_SIZE is the connections each subgraph keeps to its database: 10 unless set, 1 to 100', () => {
  expect(loadConfig({}).databasePoolSize).toBe(10);
  expect(loadConfig({ DATABASE_POOL_SIZE: '12' }).databasePoolSize).toBe(12);
  for (const wrong of ['0', '101', 'many'])
    expect(problems({ DATABASE_POOL_SIZE: wrong })).toEqual([expect.stringMatching(/^DATABASE_POOL_SIZE: /)]);
});

test('the hub opens every subgraph with the configured pool', async () => {
  const dbs = await createTestDatabases(testTopology());
  try {
    const urls = Object.fromEntries(
      [...dbs.placed].map(([name, url]) => [`DATABASE_URL_${name.toUpperCase().replace(/-/g, '_')}`, url]),
    );
    const data = await openData(loadConfig({ ...urls, DATABASE_POOL_SIZE: '3' }), pino({ level: 'silent' }));
    try {
      expect(data.subgraphs.size).toBeGreaterThan(1);
      for (const { orm } of data.subgraphs.values()) expect(orm.config.get('pool')).toMatchObject({ min: 0, max: 3 });
    } finally {
      await data.close();
      await data.db.stop();
    }
  } finally {
    await dbs.drop();
  }
});
