import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import { SeedDatabases } from '../seeds/databases';
import { identityHashFromConfig, type IdentityHash } from './auth/identity-hash';
import { devTokenSigner } from './auth/token';
import { verifierFromConfig } from './auth/verifier';
import { calendarEndWarning, workingCalendar } from './calendar/calendars';
import { systemClock, type Clock } from './clock';
import type { Config } from './config';
import { openDatabase, openSubgraphs, placeDatabases, type Database, type SubgraphData } from './db/database';
import { readSupergraph } from './gateway/supergraph';
import { createHttpApp, type HubHttp } from './http/app';
import { createFrontApp, frontRoutes } from './http/front';
import { TrustedDocuments } from './http/trusted-documents';
import { webhookSettingsFromConfig, type WebhookSettings } from './http/webhook-settings';
import { createPeers } from './peers/peers';
import { SUBGRAPHS, subgraphNamed, unknownSubgraphs } from './subgraphs';
import { SubgraphRuntime } from './subgraphs/runtime';
import { defaultSubgraphUrl, type SubgraphDefinition } from './subgraphs/subgraph';

export const DEMO_CHILDREN = 2000;

/** The `hub` command, to start the subgraph services of the split topology. */
const HUB_COMMAND = path.resolve(__dirname, '../bin/hub.js');

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

/** A misspelt name in DATABASE_URL_<SUBGRAPH> stops the start instead of being ignored. */
function checkDatabaseNames(urls: Record<string, string>): void {
  const unknown = unknownSubgraphs(urls);
  if (unknown.length) {
    const known = SUBGRAPHS.map((s) => `DATABASE_URL_${s.name.toUpperCase().replace(/-/g, '_')}`);
    throw new Error(`No subgraph is named by ${unknown.join(', ')} (known: ${known.join(', ')})`);
  }
}

export interface HubData {
  db: Database;
  subgraphs: Map<string, SubgraphData>;
  /** The database of each subgraph's schemas, for the demo seed and the CLI. */
  seedDatabases(): SeedDatabases;
  close(): Promise<void>;
}

/**
 * The databases of `defs` up and migrated: what every command that touches data starts with.
 * Each subgraph works on its own database (or its own schema of a shared one) as its own role.
 */
export async function openData(
  config: Config,
  logger: Logger,
  defs: readonly SubgraphDefinition[] = SUBGRAPHS,
): Promise<HubData> {
  checkDatabaseNames(config.databaseUrls);
  // With a database of its own for every subgraph, the hub needs no server of its own.
  const db = defs.every((def) => config.databaseUrls[def.name])
    ? { url: '', stop: async () => {} }
    : await openDatabase(config, logger);
  onShutdown(logger, () => db.stop());
  try {
    const placed = await placeDatabases(db.url, config.topology, defs, config.databaseUrls);
    const subgraphs = await openSubgraphs(placed, defs, logger, {
      ormOverrides: { pool: { min: 0, max: config.databasePoolSize } },
    });
    const close = () => Promise.all([...subgraphs.values()].map((s) => s.orm.close())).then(() => undefined);
    onShutdown(logger, close);
    return { db, subgraphs, seedDatabases: () => seedDatabasesOf(subgraphs), close };
  } catch (err) {
    await db.stop();
    throw err;
  }
}

/** Where the demo seed writes each schema: the database of the subgraph that owns it, as its administrator. */
export function seedDatabasesOf(subgraphs: ReadonlyMap<string, Pick<SubgraphData, 'def' | 'db'>>): SeedDatabases {
  const databases = new Map<string, string>();
  for (const { def, db } of subgraphs.values()) {
    for (const schema of [def.schema, ...(def.extraSchemas ?? [])]) databases.set(schema, db.adminUrl);
  }
  return new SeedDatabases(databases);
}

/**
 * The demo children (and every department's records of them) when the registry is empty, as of
 * the day it is seeded: ages, categories, visits, assistance and cases are reckoned from that
 * day, so the dashboard's current month has figures to show. Past the years the working
 * calendar knows (deadlines and school days need it), as of its last day.
 */
export async function seed(
  databases: SeedDatabases,
  logger: Logger,
  identityHash: IdentityHash,
  children = DEMO_CHILDREN,
): Promise<void> {
  try {
    const known = workingCalendar().lastDay;
    const now = systemClock.now().toISOString().slice(0, 10);
    const today = now < known ? now : known;
    // Loaded here, not with this module: a subgraph's service never seeds.
    const { seedDemo } = await import('../seeds/demo');
    const added = await seedDemo(databases, { children, identityHash, today });
    if (added) logger.info({ children: added }, 'demo data seeded');
  } finally {
    await databases.end();
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

export interface RuntimeSet {
  runtimes: Map<string, SubgraphRuntime>;
  /** Starts following the feeds of the others (or standing by where a replica follows them). */
  follow(): void;
  /** Waits until every subgraph here has applied what the feeds it follows hold now. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The subgraphs of this process running: their schemas and contexts, their peers (in this
 * process, or at `urlOf` over HTTP, signed), the feeds they follow and their background jobs.
 */
export async function startRuntimes(
  subgraphs: ReadonlyMap<string, SubgraphData>,
  options: {
    identityHash: IdentityHash;
    clock: Clock;
    /** Webhook keys and targets, where casework runs; a fresh development key when absent. */
    webhooks?: WebhookSettings;
    logger: Logger;
    urlOf: (name: string) => string;
    hmacSecret?: string;
    /** Schemas to serve instead of the definitions' (the benchmark measures the permission layer). */
    schemaOf?: (def: SubgraphDefinition) => GraphQLSchema | undefined;
    /** Each subgraph reaches every other over HTTP, as in the split topology, even those in this process. */
    isolated?: boolean;
    /** Starts the subgraphs' background jobs (tests that need them start their own). */
    jobs?: boolean;
  },
): Promise<RuntimeSet> {
  const runtimes = new Map<string, SubgraphRuntime>();
  const shared = createPeers((name) => runtimes.get(name), options.urlOf, options.hmacSecret);
  for (const [name, data] of subgraphs) {
    const peers = options.isolated
      ? createPeers((peer) => (peer === name ? runtimes.get(name) : undefined), options.urlOf, options.hmacSecret)
      : shared;
    runtimes.set(name, new SubgraphRuntime(data, { ...options, peers, schema: options.schemaOf?.(data.def) }));
  }
  const stops: (() => Promise<void>)[] = [...runtimes.values()].map((runtime) => () => runtime.stop());
  for (const runtime of options.jobs ? runtimes.values() : []) {
    const jobs = await runtime.data.def.start?.(runtime, options.clock, options.logger);
    if (jobs) stops.push(() => jobs.stop());
  }
  const names = SUBGRAPHS.map((s) => s.name);
  return {
    runtimes,
    follow: () => {
      for (const runtime of runtimes.values()) runtime.follow(names, options.logger);
    },
    settle: () => Promise.all([...runtimes.values()].map((r) => r.settle())).then(() => undefined),
    stop: () => Promise.all(stops.map((stop) => stop())).then(() => undefined),
  };
}

/** The URL of each subgraph not in this process: SUBGRAPH_URLS, or its default port on this host. */
export const subgraphUrlOf = (config: Config) => (name: string) =>
  config.subgraphUrls[name] ?? defaultSubgraphUrl(subgraphNamed(name));

/**
 * Serves the hub (the gateway with the subgraphs not in SUBGRAPH_URLS in this process) or, with
 * `subgraph`, one subgraph on its own. Stops cleanly on SIGINT/SIGTERM: HTTP first, then the
 * ORMs, then the embedded database.
 */
export async function serve(config: Config, logger: Logger, subgraph?: string): Promise<void> {
  const verifyToken = await verifierFromConfig(config);
  const identityHash = await identityHashFromConfig(config);
  const defs = subgraph ? [subgraphNamed(subgraph)] : SUBGRAPHS.filter((s) => !config.subgraphUrls[s.name]);
  const data = await openData(config, logger, defs);
  if (!subgraph) await seed(data.seedDatabases(), logger, identityHash);
  // Where working days are counted: deadlines (casework) and school days (education).
  const ending = calendarEndWarning(workingCalendar(), systemClock.now());
  if (ending && (data.subgraphs.has('casework') || data.subgraphs.has('education'))) logger.warn(ending);
  const { hmacSecret } = config;
  const running = await startRuntimes(data.subgraphs, {
    identityHash,
    clock: systemClock,
    // Where casework runs, with its webhooks.
    webhooks: data.subgraphs.has('casework') ? await webhookSettingsFromConfig(config) : undefined,
    logger,
    urlOf: subgraphUrlOf(config),
    hmacSecret,
    jobs: true,
  });
  onShutdown(logger, () => running.stop());
  running.follow();
  const { runtimes } = running;
  const { graphiql, introspection, suggestions } = config;
  const devTokens = await devTokenSigner(config);
  const shared = { verifyToken, logger, graphiql, introspection, suggestions, hmacSecret, devTokens };
  let http: HubHttp;
  if (subgraph) http = await createHttpApp({ ...shared, graph: { subgraph: runtimes.get(subgraph)! } });
  else {
    // The federation engines load only where the whole hub runs: a subgraph's service stays lean.
    const { createGateway } = await import('./gateway/gateway');
    http = await createHttpApp({
      ...shared,
      graph: {
        gateway: createGateway({
          supergraphSdl: readSupergraph(),
          local: runtimes,
          remote: config.subgraphUrls,
          hmacSecret,
          engine: config.engine,
          planner: config.queryPlanner,
        }),
        local: runtimes,
      },
      trustedDocuments: trustedDocuments(config, logger),
    });
  }
  await listen(config, logger, http.app, subgraph ?? 'the hub', () => http.stop());
}

/**
 * The split topology on one machine (`npm start -- --split`): every subgraph its own process
 * (`hub serve-subgraph`) on its own database (separate databases in the embedded server, or
 * beside DATABASE_URL's, each with its own role), signed requests between them, and Hive
 * Gateway in front at the same address, paths and demo data as the hub in one process.
 */
export async function serveSplit(config: Config, logger: Logger): Promise<void> {
  const verifyToken = await verifierFromConfig(config);
  const identityHash = await identityHashFromConfig(config);
  const data = await openData({ ...config, topology: 'split' }, logger);
  await seed(data.seedDatabases(), logger, identityHash);
  await data.close();
  const hmacSecret = config.hmacSecret ?? randomBytes(32).toString('base64url');
  const subgraphUrls = Object.fromEntries(SUBGRAPHS.map((def) => [def.name, subgraphUrlOf(config)(def.name)]));
  const children = SUBGRAPHS.map((def) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HUB_TOPOLOGY: 'split',
      HMAC_SECRET: hmacSecret,
      SUBGRAPH_URLS: Object.entries(subgraphUrls)
        .map(([name, url]) => `${name}=${url}`)
        .join(','),
      [`DATABASE_URL_${def.name.toUpperCase().replace(/-/g, '_')}`]: data.subgraphs.get(def.name)!.db.adminUrl,
      PORT: new URL(subgraphUrls[def.name]).port,
    };
    const child = spawn(process.execPath, [HUB_COMMAND, 'serve-subgraph', def.name], { env, stdio: 'inherit' });
    child.on('exit', (code, signal) => {
      if (!stopping) logger.error({ subgraph: def.name, code, signal }, 'a subgraph service stopped');
    });
    return child;
  });
  let stopping = false;
  onShutdown(logger, async () => {
    stopping = true;
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
  });
  const { createRouter } = await import('./gateway/router');
  const router = createRouter({
    supergraphSdl: readSupergraph(),
    subgraphUrls,
    hmacSecret,
    trustedDocuments: trustedDocuments(config, logger),
    verifyToken,
    introspection: config.introspection,
    suggestions: config.suggestions,
    planner: config.queryPlanner,
    logger,
  });
  const app = createFrontApp({
    router,
    graphiql: config.graphiql,
    logger,
    subgraphUrls,
    routes: frontRoutes(subgraphUrls),
    devTokens: await devTokenSigner(config),
  });
  await listen(config, logger, app, 'the hub (split: a service per subgraph behind Hive Gateway)', async () =>
    router.dispose(),
  );
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
    suggestions: config.suggestions,
    planner: config.queryPlanner,
    logger,
  });
  await listen(config, logger, router, 'the router', async () => router.dispose());
}
