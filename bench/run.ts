/**
 * The hub's benchmark: `npm run bench -- [options]`. Not part of `npm test`.
 *
 *   --children N     the large data set (default 1,000,000 children)
 *   --small N        the small data set for the scale comparison (default 10,000; 0 to skip)
 *   --duration S     seconds of load per scenario and round (default 10)
 *   --warmup S       seconds of warm-up load before each measured one (default 2)
 *   --connections N  concurrent connections of the load generator (default 32)
 *   --rounds N       interleaved rounds; medians are reported (default 1)
 *   --county CODE    the persona's county, one of the demo counties (default 630121)
 *   --data DIR       keep the embedded database here, and reuse data sets seeded by an earlier run
 *   --json FILE      also write the results as JSON
 *   --profile DIR    write a CPU profile of the serving thread per scenario and round
 *   --show-sql       print the SQL of each counted request
 *   --no-postgraphile  skip the PostGraphile scenario
 *   --only 1,2       measure only these scenarios (numbers as in the table), without the census and
 *                    assistance imports; ratios need 1, 2 and 3
 *   --assistance-only  measure only the enterprise assistance batch import (bench/assistance.ts)
 *   --census-only    measure only the census ledger import and export (bench/census.ts)
 *   --census-rows N  rows of the generated census ledger (default 100,000)
 *
 * Seeds its own embedded PostgreSQL with COPY and serves, in this process and on loopback:
 * the real hub (gateway, subgraphs, permissions, HTTP app); hand-written endpoints (express + pg,
 * the same token check, jurisdiction and masking, one SQL statement per request) returning the
 * same JSON; the hub built without its permission layer; and PostGraphile v5 over the same
 * tables. The load generator (autocannon) runs in a worker thread on the same cores. The hub's
 * subgraphs keep `DATABASE_POOL_SIZE` connections each, as `npm start` does.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import { Session } from 'node:inspector/promises';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { DefaultLogger, type LogContext, type LoggerOptions } from '@mikro-orm/core';
import type express from 'express';
import { defaultFieldResolver, GraphQLObjectType } from 'graphql';
import { createLocalJWKSet } from 'jose';
import { Pool } from 'pg';
import { DEMO_COUNTIES } from '../seeds/demo';
import { generateSigningKey } from '../src/auth/keys';
import type { Principal } from '../src/auth/principal';
import { signToken } from '../src/auth/token';
import { createVerifier } from '../src/auth/verifier';
import { DEV_AUDIENCE, DEV_ISSUER } from '../src/config';
import { readSupergraph } from '../src/gateway/supergraph';
import type { GatewayEngine } from '../src/gateway/gateway';
import { createRouter, type QueryPlanner } from '../src/gateway/router';
import { createHttpApp } from '../src/http/app';
import { accessOf, FIELD_ACCESS } from '../src/policy/field-access';
import { UNAUDITED_TYPE } from '../src/policy/permissions';
import { noteRead } from '../src/audit/access-record';
import type { HubContext } from '../src/context';
import { SUBGRAPHS, subgraphNamed } from '../src/subgraphs';
import { MAX_PAGE } from '../src/subgraphs/connection';
import type { SubgraphDefinition } from '../src/subgraphs/subgraph';
import { subgraphTypeDefs } from '../src/subgraphs/subgraph';
import type { SubgraphRuntime } from '../src/subgraphs/runtime';
import type { SubgraphData } from '../src/db/database';
import { openBenchSubgraphs, seededDatabase, seconds, silent, startBenchServer, type Seeded } from './lib/database';
import { HUB_ENGINE, hubApp } from './lib/hub';
import { benchAssistanceBatch } from './assistance';
import { benchCensus } from './census';
import { CHILD_QUERY, FIELDS_READ, handWrittenApp, PAGE_QUERY, PURPOSE } from './lib/hand-written';
import { load, type LoadResult } from './lib/load';
import { startPostGraphile, type PostGraphileEndpoint } from './lib/postgraphile';

const { values: args } = parseArgs({
  options: {
    children: { type: 'string', default: '1000000' },
    small: { type: 'string', default: '10000' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '1' },
    county: { type: 'string', default: '630121' },
    data: { type: 'string' },
    json: { type: 'string' },
    profile: { type: 'string' },
    'show-sql': { type: 'boolean', default: false },
    'no-postgraphile': { type: 'boolean', default: false },
    only: { type: 'string' },
    /** Measures only the assistance batch import (bench/assistance.ts). */
    'assistance-only': { type: 'boolean', default: false },
    /** Measures only the census ledger import and export (bench/census.ts). */
    'census-only': { type: 'boolean', default: false },
    'census-rows': { type: 'string', default: '100000' },
  },
});

function count(name: string, value: string, min = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got "${value}"`);
  return n;
}
const LARGE = count('children', args.children);
const SMALL = count('small', args.small, 0);
const DURATION = count('duration', args.duration);
const WARMUP = count('warmup', args.warmup, 0);
const CONNECTIONS = count('connections', args.connections);
const ROUNDS = count('rounds', args.rounds);
const COUNTY = args.county;
if (!DEMO_COUNTIES.includes(COUNTY)) throw new Error(`--county must be a demo county: ${DEMO_COUNTIES.join(', ')}`);
if (SMALL >= LARGE) throw new Error('--small must be smaller than --children');
const PAGE_SIZE = 50;

/**
 * The gateway's engines in one process. The "gateway" rows are the hub as `npm start` runs it
 * here (HUB_ENGINE and HUB_QUERY_PLANNER unset); the others are measured beside it.
 */
const ENGINES: { label: string; engine: { engine: GatewayEngine; planner?: QueryPlanner } }[] = [
  { label: 'Apollo Gateway', engine: { engine: 'apollo' } },
  { label: 'Hive Gateway', engine: { engine: 'hive', planner: 'js' } },
  { label: 'Hive Gateway + Rust planner', engine: { engine: 'hive', planner: 'rust' } },
];
const isDefault = ({ engine }: (typeof ENGINES)[number]) =>
  engine.engine === HUB_ENGINE.engine && (engine.engine === 'apollo' || engine.planner === HUB_ENGINE.planner);
const DEFAULT_ENGINE = ENGINES.find(isDefault)!;
const OTHER_ENGINES = ENGINES.filter((e) => !isDefault(e));
const fileName = (label: string) => label.toLowerCase().replace(/[^a-z]+/g, '-');

// ---------------------------------------------------------------------------------------------
// Counting SQL statements

/**
 * A MikroORM logger that records the queries a request makes, and writes nothing: the feeds'
 * own work between subgraphs (relays, the audit service's copy) runs beside it, uncounted.
 */
class StatementLog extends DefaultLogger {
  static statements: string[] = [];
  constructor(options: LoggerOptions) {
    super({ ...options, debugMode: ['query'], writer: () => {} });
  }
  override logQuery(context: { query: string } & LogContext) {
    if (!context.background) StatementLog.statements.push(context.query);
  }
}

// ---------------------------------------------------------------------------------------------

async function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { server, url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/graphql` };
}

interface GraphQLResult {
  data?: Record<string, unknown> | null;
  errors?: unknown[];
}

async function post(url: string, token: string, body: string): Promise<GraphQLResult> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-purpose': PURPOSE },
    body,
  });
  return (await res.json()) as GraphQLResult;
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** A CPU profile of this (the serving) thread only; the load generator runs in its own. */
async function startProfiling(): Promise<Session> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return session;
}

async function stopProfiling(session: Session, file: string) {
  const { profile } = await session.post('Profiler.stop');
  fs.writeFileSync(file, JSON.stringify(profile));
  session.disconnect();
}

export interface Scenario {
  name: string;
  children: number;
  rps: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  statementsPerRequest: number | null;
  /** CPU time of the serving thread per request: unlike rps, it holds on a machine busy with other work. */
  serverMsPerRequest: number | null;
  /** CPU time of PostgreSQL per request. */
  databaseMsPerRequest: number | null;
}

interface Measured extends LoadResult {
  serverMs: number;
  databaseMs: number;
}

interface Ratio {
  name: string;
  ratio: number;
  aim: string;
  met: boolean;
}

interface LoadScenario {
  name: string;
  file: string;
  children: number;
  url: string;
  bodies: string[];
  statements: number | null;
}

const cursorOf = (row: { region_code: string; id: string }) =>
  Buffer.from(`${row.region_code}:${row.id}`).toString('base64url');

function printTable(scenarios: Scenario[], sets: Seeded[]) {
  const cpus = os.cpus();
  console.log(
    `\nmachine: ${cpus.length} × ${cpus[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
      `Node ${process.version}; load generator on the same cores`,
  );
  for (const set of sets) console.log(set.report);
  const cell = (n: number | null, digits = 0) => (n === null ? '-' : n.toFixed(digits));
  const table = [
    [
      'scenario',
      'children',
      'rps',
      'p50 ms',
      'p99 ms',
      'SQL statements / request',
      'server ms / request',
      'PostgreSQL ms / request',
    ],
    ...scenarios.map((s) => [
      s.name,
      s.children.toLocaleString('en'),
      cell(s.rps),
      cell(s.p50Ms, 1),
      cell(s.p99Ms, 1),
      cell(s.statementsPerRequest),
      cell(s.serverMsPerRequest, 2),
      cell(s.databaseMsPerRequest, 2),
    ]),
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const line = (row: string[]) =>
    `| ${row.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join(' | ')} |`;
  console.log(`\n${line(table[0])}`);
  console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const row of table.slice(1)) console.log(line(row));
  console.log('');
}

async function main() {
  const cleanup: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    while (cleanup.length) await cleanup.pop()!().catch((err) => console.error('cleanup:', err));
  };
  process.once('SIGINT', () => {
    console.error('interrupted: stopping');
    void stopAll().finally(() => process.exit(130));
  });

  try {
    // 1. Database and data sets.
    const t = performance.now();
    const server = await startBenchServer(args.data);
    cleanup.push(() => server.dispose());
    console.log(`PostgreSQL started in ${seconds(t).toFixed(1)} s${args.data ? ` (data kept in ${args.data})` : ''}`);
    // The census ledger has a database of its own: an empty registry, then the county's ledger.
    if (!args.only && !args['assistance-only'])
      await benchCensus(server.url, count('census-rows', args['census-rows']));
    if (args['census-only']) return;
    const sets: Seeded[] = [];
    for (const children of [SMALL, LARGE].filter((n) => n > 0)) {
      const set = await seededDatabase(server.url, children);
      console.log(set.report);
      sets.push(set);
    }
    const large = sets.at(-1)!;

    // 2. Persona and token.
    const key = await generateSigningKey();
    const verifyToken = createVerifier(createLocalJWKSet({ keys: [key.publicJwk] }), DEV_ISSUER, DEV_AUDIENCE);
    const persona: Pick<Principal, 'dept' | 'region' | 'roles'> = {
      dept: 'CIVIL_AFFAIRS',
      region: COUNTY,
      roles: ['reader'],
    };
    const token = await signToken(key, DEV_ISSUER, DEV_AUDIENCE, { ...persona, ttl: '4h' });
    const denied = FIELDS_READ.filter((f) => accessOf(FIELD_ACCESS[f], persona.dept, persona.roles) === 'none');
    if (denied.length) throw new Error(`the persona may not read ${denied.join(', ')}: the comparison needs them`);

    // 3. The servers, per data set.
    const supergraphSdl = readSupergraph();
    // Scenario 3: no rule checked and nothing masked, but reads still noted as the permission
    // layer notes them, so both sides write the same audit event (the audit is not a permission).
    const withoutPermissions = (name: string) => {
      const schema = buildSubgraphSchema({
        typeDefs: subgraphTypeDefs(name),
        resolvers: subgraphNamed(name).resolvers as GraphQLResolverMap<unknown>,
      });
      for (const type of Object.values(schema.getTypeMap())) {
        if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__') || UNAUDITED_TYPE.test(type.name))
          continue;
        for (const [fieldName, field] of Object.entries(type.getFields())) {
          const resolve = field.resolve ?? defaultFieldResolver;
          const key = `${type.name}.${fieldName}`;
          field.resolve = (parent, args, ctx: HubContext, info) => {
            noteRead(ctx, type.name, key, parent);
            return resolve(parent, args, ctx, info);
          };
        }
      }
      return schema;
    };
    const serve = async (app: express.Express) => {
      const served = await listen(app);
      cleanup.push(() => new Promise((resolve) => served.server.close(resolve)));
      cleanup.push(async () => served.server.closeAllConnections());
      return served.url;
    };
    // Every endpoint of a data set serves the same database, as replicas of one hub: one of them
    // follows each feed (the first to take its lease) and the others stand by.
    const hub = async (
      subgraphs: Map<string, SubgraphData>,
      guarded: boolean,
      engine?: Parameters<typeof hubApp>[3],
    ) => {
      const { http, running } = await hubApp(
        subgraphs,
        verifyToken,
        guarded ? undefined : (def: SubgraphDefinition) => withoutPermissions(def.name),
        engine,
      );
      cleanup.push(() => running.stop());
      cleanup.push(() => http.stop());
      return { url: await serve(http.app), runtimes: running.runtimes, settle: () => running.settle() };
    };
    // The scaled-out topology: every subgraph its own HTTP service (as `hub serve-subgraph`),
    // Hive Gateway in front, requests signed with a shared secret; all on loopback, in this process.
    const router = async (runtimes: Map<string, SubgraphRuntime>, planner: QueryPlanner) => {
      const hmacSecret = randomBytes(32).toString('hex');
      const subgraphUrls: Record<string, string> = {};
      for (const { name } of SUBGRAPHS) {
        const sub = await createHttpApp({
          verifyToken,
          logger: silent,
          graphiql: false,
          introspection: true,
          graph: { subgraph: runtimes.get(name)! },
          hmacSecret,
        });
        cleanup.push(() => sub.stop());
        subgraphUrls[name] = await serve(sub.app);
      }
      const runtime = createRouter({
        supergraphSdl,
        subgraphUrls,
        hmacSecret,
        verifyToken,
        introspection: true,
        logger: silent,
        planner,
      });
      cleanup.push(async () => runtime.dispose());
      const server = createServer(runtime);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      cleanup.push(() => new Promise((resolve) => server.close(resolve)));
      cleanup.push(async () => server.closeAllConnections());
      return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/graphql`;
    };
    const loads: LoadScenario[] = [];
    /** Per data set: waits until its hub has applied every feed row written so far. */
    const settles: (() => Promise<void>)[] = [];
    const settle = () => Promise.all(settles.map((s) => s())).then(() => undefined);
    const statements = { child: 0, childUnguarded: 0, page: new Map<number, number>() };
    let postgraphile: PostGraphileEndpoint | undefined;
    for (const set of sets) {
      const isLarge = set === large;
      const pool = new Pool({ connectionString: set.url, max: 20 });
      pool.on('error', () => {}); // an idle client losing its server (at Ctrl-C) must not crash the run
      cleanup.push(() => pool.end());
      const subgraphs = await openBenchSubgraphs(set.url);
      cleanup.push(() => Promise.all([...subgraphs.values()].map((s) => s.orm.close())));
      const gateway = await hub(subgraphs, true);
      settles.push(gateway.settle);
      const urls = {
        gateway: gateway.url,
        handWritten: await serve(handWrittenApp(pool, verifyToken)),
        handWrittenAudited: isLarge ? await serve(handWrittenApp(pool, verifyToken, true)) : '',
        router: isLarge ? await router(gateway.runtimes, 'js') : '',
        routerRust: isLarge ? await router(gateway.runtimes, 'rust') : '',
      };
      // The same subgraphs in this process under the engines the hub does not run by default.
      const otherEngines: { label: string; url: string }[] = [];
      for (const { label, engine } of isLarge ? OTHER_ENGINES : []) {
        otherEngines.push({ label, url: (await hub(subgraphs, true, engine)).url });
      }

      // The ids and cursors the load asks for: random children of the persona's county.
      const sampled = (
        await pool.query<{ id: string; region_code: string }>(
          `select id, region_code from registry.child where region_code like $1 order by random() limit 10000`,
          [`${COUNTY}%`],
        )
      ).rows;
      if (sampled.length < 100) throw new Error(`county ${COUNTY} has only ${sampled.length} children; seed more`);
      const childBodies = sampled.map(({ id }) => JSON.stringify({ query: CHILD_QUERY, variables: { id } }));
      const pageBodies = sampled.map((row) =>
        JSON.stringify({ query: PAGE_QUERY, variables: { first: PAGE_SIZE, after: cursorOf(row) } }),
      );
      const [outside] = (
        await pool.query<{ id: string }>(`select id from registry.child where region_code not like $1 limit 1`, [
          `${COUNTY}%`,
        ])
      ).rows;

      // The endpoints must answer alike before their speed means anything.
      const compared = [urls.gateway, urls.handWritten];
      let unguarded: string | undefined;
      if (isLarge) {
        unguarded = (await hub(subgraphs, false)).url;
        compared.push(unguarded, urls.router, urls.routerRust, ...otherEngines.map((e) => e.url));
      }
      const childSample = [...sampled.slice(0, 50).map((r) => r.id), outside.id];
      for (const [i, id] of childSample.entries()) {
        const body = JSON.stringify({ query: CHILD_QUERY, variables: { id } });
        const [a, ...others] = await Promise.all(compared.map((u) => post(u, token, body)));
        if (a.errors || (a.data?.child === null) !== (i === childSample.length - 1)) {
          throw new Error(`gateway answered unexpectedly for ${body}:\n${JSON.stringify(a)}`);
        }
        for (const [j, o] of others.entries()) {
          if (!isDeepStrictEqual(o, a))
            throw new Error(`${compared[j + 1]} differs:\n${JSON.stringify(a)}\n${JSON.stringify(o)}`);
        }
      }
      for (const body of [
        JSON.stringify({ query: PAGE_QUERY, variables: { first: PAGE_SIZE } }),
        ...pageBodies.slice(0, 10),
      ]) {
        const [a, b, ...routed] = await Promise.all(
          [urls.gateway, urls.handWritten, urls.router, urls.routerRust, ...otherEngines.map((e) => e.url)]
            .filter(Boolean)
            .map((u) => post(u, token, body)),
        );
        for (const c of routed) {
          if (!isDeepStrictEqual(c, a))
            throw new Error(`another engine's page differs:\n${JSON.stringify(a)}\n${JSON.stringify(c)}`);
        }
        if (a.errors) throw new Error(`gateway page failed: ${JSON.stringify(a.errors)}`);
        if (!isDeepStrictEqual(b, a))
          throw new Error(`hand-written page differs:\n${JSON.stringify(a)}\n${JSON.stringify(b)}`);
      }
      console.log(
        `${set.children} children: gateway and hand-written answer alike (${childSample.length} children, 11 pages)`,
      );

      if (isLarge && !args.only) {
        await benchAssistanceBatch({ url: urls.gateway, key, pool });
        if (args['assistance-only']) return;
      }

      let countingGateway: string | undefined;
      let countingUnguarded: string | undefined;
      if (isLarge) {
        const counting = await openBenchSubgraphs(set.url, {
          debug: ['query'],
          loggerFactory: (o: LoggerOptions) => new StatementLog(o),
        });
        cleanup.push(() => Promise.all([...counting.values()].map((s) => s.orm.close())));
        countingGateway = (await hub(counting, true)).url;
        countingUnguarded = (await hub(counting, false)).url;
        const countStatements = async (target: string, body: string, label: string, rows?: number) => {
          await post(target, token, body); // the first request of a shape plans it; count the second
          StatementLog.statements.length = 0;
          const res = await post(target, token, body);
          if (res.errors) throw new Error(`${label}: ${JSON.stringify(res.errors)}`);
          const edges = (res.data?.children as { edges?: unknown[] } | undefined)?.edges;
          if (rows !== undefined && edges?.length !== rows)
            throw new Error(`${label}: ${edges?.length} rows, not ${rows}`);
          const n = StatementLog.statements.length;
          if (args['show-sql']) {
            console.log(`\n${label}: ${n} statements`);
            for (const sql of StatementLog.statements) console.log(`  ${sql.slice(0, 400)}`);
          }
          return n;
        };
        statements.child = await countStatements(countingGateway, childBodies[0], 'child(id), gateway');
        statements.childUnguarded = await countStatements(
          countingUnguarded,
          childBodies[0],
          'child(id), no permissions',
        );
        for (const first of [10, PAGE_SIZE, MAX_PAGE]) {
          const body = JSON.stringify({ query: PAGE_QUERY, variables: { first } });
          statements.page.set(first, await countStatements(countingGateway, body, `children(first: ${first})`, first));
        }
        if (!args['no-postgraphile']) {
          const pg = (postgraphile = await startPostGraphile(set.url, verifyToken));
          cleanup.push(() => pg.stop());
          await pg.check(urls.gateway, token, pageBodies.slice(0, 10));
          console.log(`PostGraphile ${postgraphile.version}: answers the page query like the gateway`);
        }
      }

      const n = set.children;
      loads.push(
        {
          name: '1. child 360°, gateway',
          file: `child-gateway-${n}`,
          children: n,
          url: urls.gateway,
          bodies: childBodies,
          statements: isLarge ? statements.child : null,
        },
        ...(isLarge
          ? [
              {
                name: '1. child 360°, hand-written SQL',
                file: `child-hand-written-${n}`,
                children: n,
                url: urls.handWritten,
                bodies: childBodies,
                statements: 1,
              },
              {
                name: '1. child 360°, hand-written SQL + audit event',
                file: `child-hand-written-audited-${n}`,
                children: n,
                url: urls.handWrittenAudited,
                bodies: childBodies,
                statements: 2,
              },
              ...otherEngines.map(({ label, url }) => ({
                name: `1. child 360°, ${label} in process`,
                file: `child-${fileName(label)}-${n}`,
                children: n,
                url,
                bodies: childBodies,
                statements: null,
              })),
              {
                name: '1. child 360°, router (Hive Gateway, subgraphs over HTTP)',
                file: `child-router-${n}`,
                children: n,
                url: urls.router,
                bodies: childBodies,
                statements: null,
              },
              {
                name: '1. child 360°, router (Hive Gateway + Rust planner, subgraphs over HTTP)',
                file: `child-router-rust-${n}`,
                children: n,
                url: urls.routerRust,
                bodies: childBodies,
                statements: null,
              },
              {
                name: '3. child 360°, gateway without permissions',
                file: `child-unguarded-${n}`,
                children: n,
                url: unguarded!,
                bodies: childBodies,
                statements: statements.childUnguarded,
              },
            ]
          : []),
        {
          name: `2. county page of ${PAGE_SIZE}, gateway`,
          file: `page-gateway-${n}`,
          children: n,
          url: urls.gateway,
          bodies: pageBodies,
          statements: isLarge ? statements.page.get(PAGE_SIZE)! : null,
        },
        ...(isLarge
          ? [
              {
                name: `2. county page of ${PAGE_SIZE}, hand-written SQL`,
                file: `page-hand-written-${n}`,
                children: n,
                url: urls.handWritten,
                bodies: pageBodies,
                statements: 1,
              },
              ...otherEngines.map(({ label, url }) => ({
                name: `2. county page of ${PAGE_SIZE}, ${label} in process`,
                file: `page-${fileName(label)}-${n}`,
                children: n,
                url,
                bodies: pageBodies,
                statements: null,
              })),
              {
                name: `2. county page of ${PAGE_SIZE}, router (Hive Gateway, subgraphs over HTTP)`,
                file: `page-router-${n}`,
                children: n,
                url: urls.router,
                bodies: pageBodies,
                statements: null,
              },
              {
                name: `2. county page of ${PAGE_SIZE}, router (Hive Gateway + Rust planner, subgraphs over HTTP)`,
                file: `page-router-rust-${n}`,
                children: n,
                url: urls.routerRust,
                bodies: pageBodies,
                statements: null,
              },
              ...(postgraphile
                ? [
                    {
                      name: `4. county page of ${PAGE_SIZE}, PostGraphile`,
                      file: `page-postgraphile-${n}`,
                      children: n,
                      url: postgraphile.url!,
                      bodies: await postgraphile.loadBodies(token, pageBodies),
                      statements: null,
                    },
                  ]
                : []),
            ]
          : []),
      );
    }

    // 4. Load.
    if (args.only) {
      const wanted = args.only.split(',');
      loads.splice(0, loads.length, ...loads.filter((l) => wanted.some((n) => l.name.startsWith(`${n}.`))));
    }
    const profileDir = args.profile ? path.resolve(args.profile) : undefined;
    if (profileDir) fs.mkdirSync(profileDir, { recursive: true });
    const run = (l: LoadScenario, duration: number) =>
      load({ url: l.url, token, bodies: l.bodies, duration, connections: CONNECTIONS }).catch((err: Error) => {
        throw new Error(`${l.name} (${l.children}): ${err.message}`);
      });
    console.log(
      `\ngateway: ${DEFAULT_ENGINE.label} in process (the hub's default on this machine)` +
        `\nload: ${CONNECTIONS} connections, ${WARMUP} s warm-up (every scenario once, then each again) + ` +
        `${DURATION} s per scenario` +
        (ROUNDS > 1 ? `, ${ROUNDS} interleaved rounds (medians reported)` : '') +
        (profileDir ? ` (profiling into ${profileDir}: numbers are lower)` : ''),
    );
    // One pass over every scenario first, so that the first one measured does not alone pay for
    // cold code (JIT) and cold buffers; then each is warmed again right before it is measured.
    if (WARMUP > 0) for (const l of loads) await run(l, WARMUP);
    // Resident memory under load, sampled: this one process holds every endpoint, the subgraphs
    // served over HTTP and the load generator, so it bounds what the hub alone would hold.
    let peakRss = process.memoryUsage.rss();
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 250);
    cleanup.push(async () => clearInterval(sampler));
    const measured = loads.map(() => [] as Measured[]);
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [i, l] of loads.entries()) {
        if (WARMUP > 0) await run(l, WARMUP);
        // Each load pays for the work its requests leave behind (the audit service copying the
        // chains they appended to) and for none of another's: the copy of what came before, on
        // either data set, is done before it starts, and its own is waited for, with its time
        // and CPU counted.
        await settle();
        const session = profileDir ? await startProfiling() : undefined;
        const cpu = process.threadCpuUsage();
        const db = server.cpuSeconds();
        const result = await run(l, DURATION);
        const ended = performance.now();
        await settle();
        const catchUp = (performance.now() - ended) / 1000;
        const used = process.threadCpuUsage(cpu);
        const r: Measured = {
          ...result,
          rps: (result.rps * DURATION) / (DURATION + catchUp),
          serverMs: (used.user + used.system) / 1000 / result.total,
          databaseMs: ((server.cpuSeconds() - db) * 1000) / result.total,
        };
        if (session) await stopProfiling(session, path.join(profileDir!, `${l.file}.${round}.cpuprofile`));
        measured[i].push(r);
        console.log(
          `  ${ROUNDS > 1 ? `round ${round}: ` : ''}${l.name} (${l.children}): ${r.rps.toFixed(0)} rps, ` +
            `p50 ${r.p50} ms, p99 ${r.p99} ms (${r.total} requests); per request ${r.serverMs.toFixed(2)} ms ` +
            `serving thread, ${r.databaseMs.toFixed(2)} ms PostgreSQL` +
            (catchUp >= 0.05 ? ` (the audit copy caught up ${catchUp.toFixed(1)} s after the load)` : ''),
        );
      }
    }
    clearInterval(sampler);
    console.log(
      `resident memory under load: at most ${(peakRss / 2 ** 20).toFixed(0)} MiB (this process: every endpoint, ` +
        `the subgraphs served over HTTP, the load generator)`,
    );
    const scenarios: Scenario[] = loads.map((l, i) => ({
      name: l.name,
      children: l.children,
      rps: median(measured[i].map((r) => r.rps)),
      p50Ms: median(measured[i].map((r) => r.p50)),
      p99Ms: median(measured[i].map((r) => r.p99)),
      statementsPerRequest: l.statements,
      serverMsPerRequest: median(measured[i].map((r) => r.serverMs)),
      databaseMsPerRequest: median(measured[i].map((r) => r.databaseMs)),
    }));
    for (const first of [10, MAX_PAGE]) {
      scenarios.push({
        name: `2. county page of ${first}, gateway (statements only)`,
        children: large.children,
        rps: null,
        p50Ms: null,
        p99Ms: null,
        statementsPerRequest: statements.page.get(first)!,
        serverMsPerRequest: null,
        databaseMsPerRequest: null,
      });
    }

    // 5. Report.
    const find = (name: string, children = large.children) =>
      scenarios.find((s) => s.name.startsWith(name) && s.children === children) as
        (Scenario & { rps: number; p50Ms: number; p99Ms: number }) | undefined;
    const ratios: Ratio[] = [];
    const ratio = (name: string, value: number, aim: string, met: boolean) =>
      ratios.push({ name, ratio: value, aim, met });
    if (args.only && !['1', '2', '3'].every((n) => args.only!.split(',').includes(n))) {
      return printTable(scenarios, sets);
    }
    const childGateway = find('1. child 360°, gateway')!;
    const childHand = find('1. child 360°, hand-written SQL')!;
    const childHandAudited = find('1. child 360°, hand-written SQL + audit')!;
    /** CPU per request, serving thread and PostgreSQL: what rps would be on an otherwise idle machine. */
    const cost = (x: Scenario) => x.serverMsPerRequest! + x.databaseMsPerRequest!;
    const pageGateway = find('2. county page of 50, gateway')!;
    const pageHand = find('2. county page of 50, hand-written')!;
    const unguarded = find('3. child 360°, gateway without permissions')!;
    ratio(
      '1. child 360°: gateway / hand-written rps',
      childGateway.rps / childHand.rps,
      '≥ 0.5',
      childGateway.rps / childHand.rps >= 0.5,
    );
    ratio(
      '1. child 360°: gateway / hand-written, by CPU per request',
      cost(childHand) / cost(childGateway),
      '(reported: rps on an idle machine)',
      true,
    );
    ratio(
      '1. child 360°: gateway / hand-written with the audit event, rps',
      childGateway.rps / childHandAudited.rps,
      '(reported)',
      true,
    );
    ratio(
      '1. child 360°: gateway / hand-written p99',
      childGateway.p99Ms / childHand.p99Ms,
      '≤ 1.5',
      childGateway.p99Ms / childHand.p99Ms <= 1.5,
    );
    ratio(
      '2. county page: gateway / hand-written rps',
      pageGateway.rps / pageHand.rps,
      '≥ 0.6',
      pageGateway.rps / pageHand.rps >= 0.6,
    );
    ratio(
      '2. county page: gateway / hand-written, by CPU per request',
      cost(pageHand) / cost(pageGateway),
      '(reported: rps on an idle machine)',
      true,
    );
    const pageStatements = [...statements.page.values()];
    ratio(
      `2. county page: statements for ${MAX_PAGE} / for 10 rows`,
      statements.page.get(MAX_PAGE)! / statements.page.get(10)!,
      `= 1 (10, 50, ${MAX_PAGE}: ${pageStatements.join(', ')})`,
      pageStatements.every((s) => s === pageStatements[0]),
    );
    ratio(
      '3. permissions on / off, p50 latency',
      childGateway.p50Ms / unguarded.p50Ms,
      '≤ 1.15',
      childGateway.p50Ms / unguarded.p50Ms <= 1.15,
    );
    ratio('3. permissions on / off, p99 latency', childGateway.p99Ms / unguarded.p99Ms, '(reported)', true);
    for (const [label, name, inProcess, hand] of [
      ['1. child 360°', '1. child 360°, router', childGateway, childHand],
      ['2. county page', '2. county page of 50, router', pageGateway, pageHand],
    ] as const) {
      for (const [planner, viaRouter] of [
        ['JS planner', find(`${name} (Hive Gateway, subgraphs`)],
        ['Rust planner', find(`${name} (Hive Gateway + Rust planner`)],
      ] as const) {
        if (!viaRouter) continue;
        ratio(`${label}: router (${planner}) / hand-written rps`, viaRouter.rps / hand.rps, '(reported)', true);
        const share = viaRouter.rps / inProcess.rps;
        ratio(`${label}: router (${planner}) / in-process gateway rps`, share, '≥ 0.5', share >= 0.5);
        const cpu = cost(viaRouter) / cost(inProcess);
        ratio(`${label}: router (${planner}) / in-process gateway, CPU per request`, cpu, '≤ 2', cpu <= 2);
      }
    }
    for (const [label, name, inProcess] of [
      ['1. child 360°', '1. child 360°', childGateway],
      ['2. county page', '2. county page of 50', pageGateway],
    ] as const) {
      for (const { label: engine } of OTHER_ENGINES) {
        const other = find(`${name}, ${engine} in process`);
        if (other)
          ratio(
            `${label}: ${engine} / gateway (${DEFAULT_ENGINE.label}) in process, rps`,
            other.rps / inProcess.rps,
            '(reported)',
            true,
          );
      }
    }
    const pg = find('4. county page of 50, PostGraphile');
    if (pg) {
      ratio(
        '4. county page: hub / PostGraphile rps',
        pageGateway.rps / pg.rps,
        '≥ 1.5',
        pageGateway.rps >= 1.5 * pg.rps,
      );
    }
    if (SMALL) {
      for (const [label, name] of [
        ['child 360°', '1. child 360°, gateway'],
        ['county page', '2. county page of 50, gateway'],
      ]) {
        const big = find(name)!;
        const small = find(name, SMALL)!;
        const n = `${(LARGE / 1000).toLocaleString('en')}k / ${(SMALL / 1000).toLocaleString('en')}k`;
        ratio(
          `5. ${label}: ${n} children, p50 latency`,
          big.p50Ms / small.p50Ms,
          '≤ 1.5',
          big.p50Ms / small.p50Ms <= 1.5,
        );
        ratio(
          `5. ${label}: ${n} children, p99 latency`,
          big.p99Ms / small.p99Ms,
          '≤ 1.5',
          big.p99Ms / small.p99Ms <= 1.5,
        );
      }
    }

    printTable(scenarios, sets);
    for (const r of ratios) console.log(`${r.name}: ${r.ratio.toFixed(2)} (aim ${r.aim}) ${r.met ? 'met' : 'NOT met'}`);
    if (args.json) {
      fs.writeFileSync(args.json, `${JSON.stringify({ scenarios, ratios }, null, 2)}\n`);
      console.log(`written: ${args.json}`);
    }
  } finally {
    await stopAll();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
