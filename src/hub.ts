import { createServer, type Server } from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { loadRegions } from '../seeds/regions';
import { seedDemo } from '../seeds/demo';
import { identityHashFromConfig, type IdentityHash } from './auth/identity-hash';
import { devTokenSigner } from './auth/token';
import { verifierFromConfig } from './auth/verifier';
import { systemClock } from './clock';
import type { Config } from './config';
import { bulkPool, openDatabase, type Database } from './db/database';
import { migrate, openOrm } from './db/orm';
import { createGateway } from './gateway/gateway';
import { readSupergraph } from './gateway/compose';
import { createHttpApp } from './http/app';
import { TrustedDocuments } from './http/trusted-documents';
import { subgraphNamed } from './subgraphs';
import { startCaseworkJobs } from './subgraphs/casework/jobs';
import { buildSubgraph } from './subgraphs/subgraph';

export const DEMO_CHILDREN = 2000;

const shutdownSteps: (() => Promise<unknown>)[] = [];

/**
 * Adds a step to the shutdown that SIGINT or SIGTERM starts. Steps run last-added first (HTTP,
 * then the ORM, then the database), once; the process exits 0 when all succeeded.
 */
export function onShutdown(logger: Logger, step: () => Promise<unknown>): void {
  if (shutdownSteps.length === 0) {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, async () => {
        logger.info({ signal }, 'shutting down');
        try {
          for (const next of shutdownSteps) await next();
          process.exit(0);
        } catch (err) {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        }
      });
    }
  }
  shutdownSteps.unshift(step);
}

/** Database up, migrated: what every command that touches data starts with. */
export async function openData(config: Config, logger: Logger): Promise<{ db: Database; orm: MikroORM }> {
  const db = await openDatabase(config, logger);
  onShutdown(logger, () => db.stop());
  try {
    const orm = await openOrm(db.url, { colors: false, logger: (message) => logger.debug({ orm: message }) });
    onShutdown(logger, () => orm.close());
    const applied = await migrate(orm);
    if (applied.length) logger.info({ applied }, 'migrations applied');
    else logger.info('database schema is up to date');
    return { db, orm };
  } catch (err) {
    await db.stop();
    throw err;
  }
}

/** Regions, then the demo children when the registry is empty. */
export async function seed(
  url: string,
  logger: Logger,
  identityHash: IdentityHash,
  children = DEMO_CHILDREN,
): Promise<void> {
  const pool = bulkPool(url);
  try {
    const regions = await loadRegions(pool);
    if (regions) logger.info({ regions }, 'regions loaded');
    const added = await seedDemo(pool, { children, identityHash });
    if (added) logger.info({ children: added }, 'demo data seeded');
  } finally {
    await pool.end();
  }
}

/** The manifest of trusted documents when TRUSTED_DOCUMENTS is allow or require, read once at start. */
function trustedDocuments(config: Config, logger: Logger): TrustedDocuments | undefined {
  const { mode, file } = config.trustedDocuments;
  if (mode === 'off') return undefined;
  const trusted = TrustedDocuments.load(mode, file);
  logger.info({ mode, file, documents: trusted.size }, 'trusted documents loaded');
  return trusted;
}

/** Listens, logs where, and stops listening first when the process shuts down. */
async function listen(
  config: Config,
  logger: Logger,
  handler: Parameters<typeof createServer>[1],
  what: string,
  stop: () => Promise<unknown>,
): Promise<void> {
  const server = await new Promise<Server>((resolve) => {
    const s = createServer(handler).listen(config.port, config.host, () => resolve(s));
  });
  const where = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}/graphql`;
  logger.info({ url: where }, `serving ${what} at ${where}`);
  onShutdown(logger, async () => {
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await closed;
    await stop();
  });
}

/**
 * Serves the hub (the gateway with its subgraphs) or, with `subgraph`, one subgraph on its own.
 * Stops cleanly on SIGINT/SIGTERM: HTTP first, then the ORM, then the embedded database.
 */
export async function serve(config: Config, logger: Logger, subgraph?: string): Promise<void> {
  const verifyToken = await verifierFromConfig(config);
  const identityHash = await identityHashFromConfig(config);
  const { db, orm } = await openData(config, logger);
  if (!subgraph) await seed(db.url, logger, identityHash);
  // The casework job queue runs where the casework subgraph does: in the hub, or on its own.
  if (!subgraph || subgraph === 'casework') {
    const jobs = await startCaseworkJobs(db.url, orm, systemClock, logger);
    onShutdown(logger, () => jobs.stop());
  }
  const { graphiql, introspection, hmacSecret } = config;
  const devTokens = await devTokenSigner(config);
  const shared = { orm, verifyToken, logger, graphiql, introspection, identityHash, devTokens };
  const http = await createHttpApp(
    subgraph
      ? { ...shared, graph: { schema: buildSubgraph(subgraphNamed(subgraph)) }, hmacSecret }
      : {
          ...shared,
          graph: {
            gateway: createGateway({ supergraphSdl: readSupergraph(), remote: config.subgraphUrls, hmacSecret }),
          },
          trustedDocuments: trustedDocuments(config, logger),
        },
  );
  await listen(config, logger, http.app, subgraph ?? 'the hub', () => http.stop());
}

/**
 * Serves the router (Hive Gateway) over subgraphs served on their own, at the supergraph's
 * URLs or those in SUBGRAPH_URLS. It has no database: it verifies tokens and plans.
 */
export async function serveRouter(config: Config, logger: Logger): Promise<void> {
  // Loaded here: Hive Gateway takes seconds to load, which no other command should pay for.
  const { createRouter } = await import('./gateway/router');
  const router = createRouter({
    supergraphSdl: readSupergraph(),
    subgraphUrls: config.subgraphUrls,
    hmacSecret: config.hmacSecret,
    trustedDocuments: trustedDocuments(config, logger),
    verifyToken: await verifierFromConfig(config),
    introspection: config.introspection,
    logger,
  });
  await listen(config, logger, router, 'the router', async () => router.dispose());
}
