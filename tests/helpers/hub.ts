import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createLocalJWKSet } from 'jose';
import pino from 'pino';
import request from 'supertest';
import { randomIdentityHash, type IdentityHash } from '../../src/auth/identity-hash';
import { generateSigningKey, type SigningKey } from '../../src/auth/keys';
import { createVerifier, type VerifyToken } from '../../src/auth/verifier';
import type { Clock } from '../../src/clock';
import { DEV_AUDIENCE, DEV_ISSUER } from '../../src/config';
import { signToken } from '../../src/auth/token';
import { openOrm } from '../../src/db/orm';
import { readSupergraph } from '../../src/gateway/compose';
import { createGateway } from '../../src/gateway/gateway';
import { createHttpApp, type HubHttp } from '../../src/http/app';
import { subgraphNamed } from '../../src/subgraphs';
import { makeIdNumber } from '../../src/subgraphs/registry/id-number';
import { buildSubgraph } from '../../src/subgraphs/subgraph';
import { createTestDatabase } from './database';
import { PERSONAS, REGIONS, type Persona, type PersonaName } from './personas';

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

export interface TestHub {
  orm: MikroORM;
  http: HubHttp;
  key: SigningKey;
  /** This hub's keyed hash of identity numbers (a fresh key per hub). */
  identityHash: IdentityHash;
  /** Verifies this hub's tokens, for other servers started on its data. */
  verifyToken: VerifyToken;
  dbUrl: string;
  /** SQL statements this hub has sent so far (to check batching). */
  sqlStatements(): number;
  /** URLs of the subgraphs served over HTTP: name → URL. */
  remote: Record<string, string>;
  /**
   * Serves subgraphs over HTTP on loopback ports, on this hub's database, each verifying the
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
  /** Runs a SQL count on this file's database. */
  count(table: string, where?: string): Promise<number>;
  close(): Promise<void>;
}

export interface TestHubOptions {
  /** Subgraphs to serve over HTTP on loopback, each verifying the forwarded token itself. */
  remote?: string[];
  /** The secret the gateway signs its requests to the remote subgraphs with, and they check. */
  hmacSecret?: string;
  /** The clock statutory deadlines read (tests move it); the system clock by default. */
  clock?: Clock;
}

/** The purpose test requests declare unless they say otherwise: day-to-day case work. */
export const DEFAULT_PURPOSE = 'CASE_WORK';

/** The real hub (gateway, subgraphs, permissions, HTTP) on a database of this file's own. */
export async function startTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  const db = await createTestDatabase();
  let statements = 0;
  const orm = await openOrm(db.url, { debug: ['query'], logger: () => statements++ });
  const key = await generateSigningKey();
  const verifyToken = createVerifier(createLocalJWKSet({ keys: [key.publicJwk] }), DEV_ISSUER, DEV_AUDIENCE);
  const logger = pino({ level: process.env.TEST_LOG ?? 'silent' });
  const identityHash = randomIdentityHash();
  const servers: Server[] = [];
  const serveSubgraphs: TestHub['serveSubgraphs'] = async (names, { hmacSecret } = {}) => {
    const urls: Record<string, string> = {};
    for (const name of names) {
      const sub = await createHttpApp({
        orm,
        verifyToken,
        logger,
        graph: { schema: buildSubgraph(subgraphNamed(name)) },
        graphiql: false,
        introspection: true,
        hmacSecret,
        identityHash,
      });
      const server = await new Promise<Server>((resolve) => {
        const s = sub.app.listen(0, '127.0.0.1', () => resolve(s));
      });
      servers.push(server);
      urls[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    }
    return urls;
  };
  const { hmacSecret } = options;
  const remote = await serveSubgraphs(options.remote ?? [], { hmacSecret });
  const http = await createHttpApp({
    orm,
    verifyToken,
    logger,
    // Every query compiled (graphql-jit) from its first run, so the suite checks the compiled
    // path; the router tests compare its answers with subgraphs served alone, which interpret.
    graph: { gateway: createGateway({ supergraphSdl: readSupergraph(), remote, hmacSecret, compileAfter: 1 }) },
    graphiql: true,
    introspection: true,
    identityHash,
    clock: options.clock,
    // As in development: the persona bar's tokens, signed with this hub's key.
    devTokens: (persona) => signToken(key, DEV_ISSUER, DEV_AUDIENCE, persona),
  });
  const token = (who: PersonaName | Persona) => {
    const p = typeof who === 'string' ? PERSONAS[who] : who;
    return signToken(key, DEV_ISSUER, DEV_AUDIENCE, { ...p, sub: `test-${p.dept.toLowerCase()}-${p.region}` });
  };
  return {
    orm,
    http,
    key,
    identityHash,
    verifyToken,
    dbUrl: db.url,
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
      const rows = await orm.em.getConnection().execute(`select count(*)::int as n from ${table} where ${where}`);
      return rows[0].n;
    },
    remote,
    serveSubgraphs,
    sqlStatements: () => statements,
    async close() {
      await http.stop();
      for (const server of servers) await new Promise((resolve) => server.close(resolve));
      await orm.close();
      await db.drop();
    },
  };
}

let sequence = 0;

/** Input for a valid registration of a child living in `village`. */
export function childInput(overrides: Record<string, unknown> = {}, village: string = REGIONS.villageA) {
  sequence += 1;
  const gender = (overrides.gender as 'MALE' | 'FEMALE') ?? (sequence % 2 ? 'MALE' : 'FEMALE');
  const birthDate = (overrides.birthDate as string) ?? `2016-0${1 + (sequence % 9)}-1${sequence % 10}`;
  return {
    name: `测试儿童${sequence}`,
    gender,
    birthDate,
    idNumber: makeIdNumber(REGIONS.county, birthDate, sequence, gender),
    categories: ['LEFT_BEHIND'],
    householdRegionCode: village.slice(0, 9),
    residenceRegionCode: village,
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

/** Registers a child as civil affairs of the county and returns its id. */
export async function registerChild(hub: TestHub, overrides: Record<string, unknown> = {}, village?: string) {
  const res = await hub.gql<{ registerChild: { id: string; idNumber: string } }>('civilCounty', REGISTER, {
    input: childInput(overrides, village),
  });
  if (!res.data?.registerChild) throw new Error(`registration failed: ${JSON.stringify(res.errors)}`);
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
  if (!res.data?.registerSchool) throw new Error(`school registration failed: ${JSON.stringify(res.errors)}`);
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
