import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { loadRegions } from '../../seeds/regions';
import { ensureDatabase, withDatabase } from '../../src/db/database';
import { startEmbeddedPostgres } from '../../src/db/embedded';
import { migrate, openOrm } from '../../src/db/orm';
import { TEMPLATE_DATABASE } from '../helpers/database';

const quiet = { debug: () => {}, info: () => {}, error: (o: unknown) => console.error(o) };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * One embedded PostgreSQL for the run, and a template database migrated and loaded with the
 * region reference. Each test file copies the template into a database of its own.
 */
export default async function globalSetup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-test-pg-'));
  fs.chmodSync(dir, 0o755);
  const server = await startEmbeddedPostgres(dir, await freePort(), quiet, false);
  (globalThis as Record<string, unknown>).__HUB_TEST_PG__ = { server, dir };
  process.env.HUB_TEST_SERVER_URL = server.url;

  await ensureDatabase(server.url, TEMPLATE_DATABASE);
  const url = withDatabase(server.url, TEMPLATE_DATABASE);
  const orm = await openOrm(url, { debug: false, logger: () => {} });
  await migrate(orm);
  await orm.close();
  const pool = new Pool({ connectionString: url, max: 1 });
  await loadRegions(pool);
  await pool.end();
}
