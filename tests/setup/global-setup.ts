import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Client } from 'pg';
import { ensureDatabase, openSubgraphs, placeDatabases, splitDatabaseName, withDatabase } from '../../src/db/database';
import { provisionDatabase } from '../../src/db/provision';
import { startEmbeddedPostgres } from '../../src/db/embedded';
import { SUBGRAPHS } from '../../src/subgraphs';
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
 * One embedded PostgreSQL for the run, and migrated templates with the region reference: one
 * database holding every subgraph's schema (the in-process topology), and one database per
 * subgraph (the split topology). Each test file copies the templates of its topology.
 */
export default async function globalSetup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-test-pg-'));
  fs.chmodSync(dir, 0o755);
  const server = await startEmbeddedPostgres(dir, await freePort(), quiet, false);
  (globalThis as Record<string, unknown>).__HUB_TEST_PG__ = { server, dir };
  process.env.HUB_TEST_SERVER_URL = server.url;

  const logger = pino({ level: 'silent' });
  // The region reference once, copied into every template (loading it is most of the work).
  const reference = `${TEMPLATE_DATABASE}_reference`;
  await ensureDatabase(server.url, reference);
  await provisionDatabase(withDatabase(server.url, reference), [], logger);
  const admin = new Client({ connectionString: server.url });
  await admin.connect();
  const databases = [TEMPLATE_DATABASE, ...SUBGRAPHS.map((s) => splitDatabaseName(TEMPLATE_DATABASE, s.name))];
  for (const name of databases) await admin.query(`create database ${name} template ${reference}`);
  await admin.end();
  const template = withDatabase(server.url, TEMPLATE_DATABASE);
  for (const topology of ['in-process', 'split'] as const) {
    const placed = await placeDatabases(template, topology, SUBGRAPHS);
    const opened = await openSubgraphs(placed, SUBGRAPHS, logger, { ormOverrides: { debug: false } });
    await Promise.all([...opened.values()].map((s) => s.orm.close()));
  }
}
