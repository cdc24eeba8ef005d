import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DefaultLogger, type LogContext } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createLocalJWKSet } from 'jose';
import pino from 'pino';
import request from 'supertest';
import { SeedDatabases } from '../../seeds/databases';
import { randomIdentityHash, type IdentityHash } from '../../src/auth/identity-hash';
import { generateSigningKey, type SigningKey } from '../../src/auth/keys';
import { createVerifier, type VerifyToken } from '../../src/auth/verifier';
import { systemClock, type Clock } from '../../src/clock';
import { DEV_AUDIENCE, DEV_ISSUER, loadConfig, type Topology } from '../../src/config';
import { signToken } from '../../src/auth/token';
import { openSubgraphs, type SubgraphData } from '../../src/db/database';
import { readSupergraph } from '../../src/gateway/supergraph';
import { createGateway } from '../../src/gateway/gateway';
import { createRouter } from '../../src/gateway/router';
import { createHttpApp, type HubHttp } from '../../src/http/app';
import { createFrontApp, frontRoutes } from '../../src/http/front';
import { seedDatabasesOf, startRuntimes, type RuntimeSet } from '../../src/hub';
import { SUBGRAPHS } from '../../src/subgraphs';
import { makeIdNumber } from '../../src/domain/id-number';
import type { SubgraphRuntime } from '../../src/subgraphs/runtime';
import { createTestDatabases, testTopology } from './database';
import { developmentWebhookSettings, type WebhookSettings } from '../../src/http/webhook-settings';
import { PERSONAS, REGIONS, type Persona, type PersonaName } from './personas';

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

export interface TestHub {
  topology: Topology;
  /** The front door: the hub's HTTP app (in process), or the router's front app over the subgraph services (split). */
  http: HubHttp;
  key: SigningKey;
  /** This hub's keyed hash of identity numbers (a fresh key per hub). */
  identityHash: IdentityHash;
  /** This hub's webhook keys and targets (a fresh development key and loopback, unless given). */
  webhooks: WebhookSettings;
  /** Verifies this hub's tokens, for other servers started on its data. */
  verifyToken: VerifyToken;
  /** Each subgraph's database and ORM (connected as its own role). */
  subgraphs: Map<string, SubgraphData>;
  runtimes: Map<string, SubgraphRuntime>;
  /** A subgraph's ORM, connected as its own role. */
  orm(subgraph: string): MikroORM;
  /** Runs SQL (with `?` placeholders) on a subgraph's own connection, as its role. */
  on(subgraph: string): (sql: string, params?: unknown[]) => Promise<Record<string, any>[]>;
  /** Runs SQL as the administrator on the database that holds the schemas it names. */
  sql<T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Where the demo seed writes each schema. */
  seedDatabases(): SeedDatabases;
  /** Waits until every subgraph has applied what the feeds it follows hold now (moves, audit copies…). */
  settle(): Promise<void>;
  /**
   * SQL statements this hub's subgraphs (or one of them) have sent so far for requests (to check
   * batching); the relays' reads of feeds, made in the background all the time, are not counted.
   */
  sqlStatements(subgraph?: string): number;
  /** URLs of the subgraphs served over HTTP: name → URL. */
  remote: Record<string, string>;
  /**
   * Serves subgraphs over HTTP on loopback ports, on this hub's databases, each verifying the
   * token (and, with a secret, the router's HMAC signature) itself; closed with the hub.
   */
  serveSubgraphs(names: readonly string[], options?: { hmacSecret?: string }): Promise<Record<string, string>>;
  token(who: PersonaName | Persona): Promise<string>;
  /** POSTs a GraphQL operation as `who` through the real HTTP app, declaring `purpose`. */
  gql<T = Record<string, any>>(
    who: PersonaName | Persona,
    query: string,
    variables?: Record<string, unknown>,
    options?: { purpose?: string | null },
  ): Promise<GraphQLResponse<T>>;
  /** The environment that points the `hub` command at this hub's databases. */
  cliEnv(): Record<string, string>;
  /** Runs a SQL count on this file's databases. */
  count(table: string, where?: string): Promise<number>;
  /**
   * What the hub has logged at level error (its last 20 lines) when TEST_LOG is unset: a helper
   * whose request fails shows them, so that an "Internal server error" says what went wrong.
   */
  loggedErrors(): string[];
  close(): Promise<void>;
}

export interface TestHubOptions {
  /** Subgraphs to serve over HTTP on loopback behind the in-process gateway, each verifying the forwarded token itself. */
  remote?: string[];
  /** The secret the gateway signs its requests to the remote subgraphs with, and they check. */
  hmacSecret?: string;
  /** The clock statutory deadlines read (tests move it); the system clock by default. */
  clock?: Clock;
  /** The topology; by default the one this Jest project runs (HUB_TOPOLOGY). */
  topology?: Topology;
  /** "Did you mean" in error messages, as in development; off by default, as everywhere else. */
  suggestions?: boolean;
  webhooks?: WebhookSettings;
}

/** The purpose test requests declare unless they say otherwise: day-to-day case work. */
export const DEFAULT_PURPOSE = 'CASE_WORK';

/** The routers' query planner in the split topology: HUB_QUERY_PLANNER=rust runs the tests with Hive Router's. */
export const TEST_QUERY_PLANNER = loadConfig({ HUB_QUERY_PLANNER: process.env.HUB_QUERY_PLANNER }).queryPlanner;

/** The gateway's engine in one process, as the hub chooses it: HUB_ENGINE=apollo runs the tests on Apollo Gateway. */
export const TEST_ENGINE = loadConfig({
  HUB_ENGINE: process.env.HUB_ENGINE,
  HUB_QUERY_PLANNER: process.env.HUB_QUERY_PLANNER,
}).engine;

async function listenOnLoopback(app: HubHttp['app']): Promise<{ server: Server; url: string }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` };
}

/**
 * The real hub on databases of this file's own. In process: the gateway with every subgraph in
 * this process, on one database (a role and schema each). Split: every subgraph its own HTTP
 * service on its own database, reaching the others over HTTP (signed), behind Hive Gateway and
 * the front app `npm start -- --split` serves.
 */
export async function startTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  const topology = options.topology ?? testTopology();
  const dbs = await createTestDatabases(topology);
  const statements = new Map<string, number>();
  const loggedErrors: string[] = [];
  const logger = process.env.TEST_LOG
    ? pino({ level: process.env.TEST_LOG })
    : pino(
        { level: 'error' },
        {
          write(line: string) {
            if (loggedErrors.push(line) > 20) loggedErrors.shift();
          },
        },
      );
  // A request's statements, per subgraph: the feeds' own work between subgraphs runs beside
  // it, uncounted.
  const subgraphs = await openSubgraphs(dbs.placed, SUBGRAPHS, logger, {
    provision: false,
    ormOverrides: (def) => ({
      // The suite runs two files at once on two cores, each starting hubs of ten pools: a new
      // connection can take longer than the 3 s a production request waits for one (a wait that
      // runs out is SERVICE_UNAVAILABLE: tests/http.test.ts).
      driverOptions: { acquireConnectionTimeout: 20_000, connection: { connectionTimeoutMillis: 15_000 } },
      debug: ['query'],
      loggerFactory: (options) =>
        new (class extends DefaultLogger {
          override logQuery(context: LogContext) {
            if (!context.background) statements.set(def.name, (statements.get(def.name) ?? 0) + 1);
          }
        })(options),
    }),
  });
  const key = await generateSigningKey();
  const verifyToken = createVerifier(createLocalJWKSet({ keys: [key.publicJwk] }), DEV_ISSUER, DEV_AUDIENCE);
  const identityHash = randomIdentityHash();
  const clock = options.clock ?? systemClock;
  const webhooks = options.webhooks ?? developmentWebhookSettings();
  const servers: Server[] = [];
  const stops: (() => Promise<void>)[] = [];
  const split = topology === 'split';
  const secret = options.hmacSecret ?? (split ? randomBytes(32).toString('base64url') : undefined);
  const served: Record<string, string> = {};
  const running: RuntimeSet = await startRuntimes(subgraphs, {
    identityHash,
    clock,
    logger,
    hmacSecret: secret,
    urlOf: (name) => served[name],
    isolated: split,
    webhooks,
  });
  const { runtimes } = running;
  const serveSubgraphs: TestHub['serveSubgraphs'] = async (names, { hmacSecret } = {}) => {
    const urls: Record<string, string> = {};
    for (const name of names) {
      const sub = await createHttpApp({
        verifyToken,
        logger,
        graph: { subgraph: runtimes.get(name)! },
        graphiql: false,
        introspection: true,
        hmacSecret,
        suggestions: options.suggestions,
      });
      const { server, url } = await listenOnLoopback(sub.app);
      servers.push(server);
      stops.push(sub.stop);
      urls[name] = url;
    }
    return urls;
  };
  let http: HubHttp;
  let remote: Record<string, string>;
  if (split) {
    Object.assign(served, await serveSubgraphs([...runtimes.keys()], { hmacSecret: secret }));
    const router = createRouter({
      supergraphSdl: readSupergraph(),
      subgraphUrls: served,
      hmacSecret: secret,
      verifyToken,
      introspection: true,
      suggestions: options.suggestions,
      planner: TEST_QUERY_PLANNER,
      logger,
    });
    const app = createFrontApp({
      router,
      graphiql: true,
      logger,
      subgraphUrls: served,
      routes: frontRoutes(served),
      devTokens: (persona) => signToken(key, DEV_ISSUER, DEV_AUDIENCE, persona),
    });
    http = { app, stop: async () => router.dispose() };
    remote = served;
  } else {
    remote = await serveSubgraphs(options.remote ?? [], { hmacSecret: options.hmacSecret });
    http = await createHttpApp({
      verifyToken,
      logger,
      // Every query compiled (graphql-jit) from its first run, so the suite checks the compiled
      // path; the router tests compare its answers with subgraphs served alone, which interpret
      // a query until its tenth run.
      graph: {
        gateway: createGateway({
          supergraphSdl: readSupergraph(),
          local: runtimes,
          remote,
          hmacSecret: options.hmacSecret,
          compileAfter: 1,
          ...(Object.keys(remote).length ? {} : { engine: TEST_ENGINE, planner: TEST_QUERY_PLANNER }),
        }),
        local: runtimes,
      },
      graphiql: true,
      introspection: true,
      suggestions: options.suggestions,
      // As in development: the persona bar's tokens, signed with this hub's key.
      devTokens: (persona) => signToken(key, DEV_ISSUER, DEV_AUDIENCE, persona),
    });
  }
  running.follow();
  const token = (who: PersonaName | Persona) => {
    const p = typeof who === 'string' ? PERSONAS[who] : who;
    return signToken(key, DEV_ISSUER, DEV_AUDIENCE, { ...p, sub: `test-${p.dept.toLowerCase()}-${p.region}` });
  };
  const admin = seedDatabasesOf(subgraphs);
  const sql: TestHub['sql'] = async (text, params) => (await admin.query(text, params)).rows;
  return {
    topology,
    http,
    key,
    identityHash,
    webhooks,
    verifyToken,
    subgraphs,
    runtimes,
    orm: (subgraph) => subgraphs.get(subgraph)!.orm,
    on:
      (subgraph) =>
      (text, params = []) =>
        subgraphs.get(subgraph)!.orm.em.getConnection().execute(text, params),
    sql,
    seedDatabases: () => seedDatabasesOf(subgraphs),
    settle: () => running.settle(),
    token,
    async gql(who, query, variables, options = {}) {
      const purpose = options.purpose === undefined ? DEFAULT_PURPOSE : options.purpose;
      const req = request(http.app)
        .post('/graphql')
        .set('authorization', `Bearer ${await token(who)}`);
      if (purpose !== null) req.set('x-purpose', purpose);
      const res = await req.send({ query, variables });
      return { status: res.status, data: res.body.data, errors: res.body.errors };
    },
    async count(table, where = 'true') {
      const [row] = await sql<{ n: number }>(`select count(*)::int as n from ${table} where ${where}`);
      return row.n;
    },
    loggedErrors: () => [...loggedErrors],
    cliEnv: () =>
      Object.fromEntries(
        [...subgraphs.values()].map(({ def, db }) => [
          `DATABASE_URL_${def.name.toUpperCase().replace(/-/g, '_')}`,
          db.adminUrl,
        ]),
      ),
    remote,
    serveSubgraphs,
    sqlStatements: (subgraph) =>
      subgraph ? (statements.get(subgraph) ?? 0) : [...statements.values()].reduce((a, b) => a + b, 0),
    async close() {
      const t = Date.now();
      const step = (what: string) => process.env.DEBUG_CLOSE && console.error(`close ${what} ${Date.now() - t}`);
      await running.stop();
      step('relays');
      await http.stop();
      step('http');
      for (const stop of stops) await stop();
      step('stops');
      for (const server of servers) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
      step('servers');
      await admin.end();
      step('admin');
      await Promise.all([...subgraphs.values()].map((s) => s.orm.close()));
      step('orms');
      await dbs.drop();
      step('drop');
    },
  };
}

let sequence = 0;

/** A left-behind child's parents: both work away. */
export const PARENTS_AWAY = [
  { relation: 'FATHER', name: '测试父亲', workingAway: true },
  { relation: 'MOTHER', name: '测试母亲', workingAway: true },
];

/** Input for a valid registration of a child living in `village`. */
/** A child in distress for a recorded reason: registered without guardians (none are needed to decide it). */
export const IN_DISTRESS = { categories: ['IN_DISTRESS'] };

export function childInput(overrides: Record<string, unknown> = {}, village: string = REGIONS.villageA) {
  sequence += 1;
  const gender = (overrides.gender as 'MALE' | 'FEMALE') ?? (sequence % 2 ? 'MALE' : 'FEMALE');
  const birthDate = (overrides.birthDate as string) ?? `2016-0${1 + (sequence % 9)}-1${sequence % 10}`;
  const categories = (overrides.categories as string[]) ?? ['LEFT_BEHIND'];
  return {
    name: `测试儿童${sequence}`,
    gender,
    birthDate,
    idNumber: makeIdNumber(REGIONS.county, birthDate, sequence, gender),
    categories,
    householdRegionCode: village.slice(0, 9),
    residenceRegionCode: village,
    // What the categories follow from (src/domain/categories.ts): parents both away, a distress reason.
    guardians: categories.includes('LEFT_BEHIND') ? PARENTS_AWAY : [],
    distressReasons: categories.includes('IN_DISTRESS') ? ['FAMILY_POVERTY'] : [],
    ...overrides,
  };
}

export const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterChildInput!) {
    registerChild(input: $input) {
      id
      name
      idNumber
      version
      residenceRegion {
        code
      }
    }
  }
`;

/** A helper's request that failed: its errors, and what the hub logged about them. */
const failure = (hub: TestHub, what: string, res: GraphQLResponse) =>
  new Error(
    `${what} failed: ${JSON.stringify(res.errors)}\nthe hub logged:\n${hub.loggedErrors().join('') || '(nothing)'}`,
  );

/** Registers a child as civil affairs of the county and returns its id. */
export async function registerChild(hub: TestHub, overrides: Record<string, unknown> = {}, village?: string) {
  const res = await hub.gql<{ registerChild: { id: string; idNumber: string } }>('civilCounty', REGISTER, {
    input: childInput(overrides, village),
  });
  if (!res.data?.registerChild) throw failure(hub, 'registration', res);
  return res.data.registerChild;
}

let schoolSequence = 0;

/** Registers a school (a primary school of township A unless overridden) as county education; returns its code. */
export async function registerSchool(hub: TestHub, overrides: Record<string, unknown> = {}): Promise<string> {
  schoolSequence += 1;
  const input = {
    code: `2${REGIONS.county}${String(schoolSequence).padStart(3, '0')}`,
    name: `测试小学${schoolSequence}`,
    kind: 'PRIMARY',
    regionCode: REGIONS.townshipA,
    ...overrides,
  };
  const res = await hub.gql<{ registerSchool: { code: string } }>(
    'educationCounty',
    `mutation($input: RegisterSchoolInput!) { registerSchool(input: $input) { code } }`,
    { input },
  );
  if (!res.data?.registerSchool) throw failure(hub, 'school registration', res);
  return res.data.registerSchool.code;
}

/** One child across the three subgraphs: what each department's view is compared on. */
export const CHILD_360 = /* GraphQL */ `
  query Child($id: ID!) {
    child(id: $id) {
      id
      name
      birthDate
      idNumber
      residenceRegion {
        code
        level
      }
      guardians {
        relation
        name
        phone
        idNumber
        employer
      }
      guardianship {
        kind
        agreementDate
      }
      enrolment {
        schoolName
        status
      }
      householdRegistration {
        registered
        hukouNumber
      }
      protectionCases {
        id
      }
    }
  }
`;
