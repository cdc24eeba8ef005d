import type { Server } from 'node:http';
import type net from 'node:net';
import type { GraphQLSchema } from 'graphql';
import { createLocalJWKSet } from 'jose';
import { generateSigningKey } from '../../src/auth/keys';
import { signToken } from '../../src/auth/token';
import { createVerifier } from '../../src/auth/verifier';
import { DEV_AUDIENCE, DEV_ISSUER, loadConfig } from '../../src/config';
import { systemClock } from '../../src/clock';
import type { SubgraphData } from '../../src/db/database';
import { readSupergraph } from '../../src/gateway/supergraph';
import { createGateway, type GatewayOptions } from '../../src/gateway/gateway';
import { createHttpApp, type HubHttp } from '../../src/http/app';
import { startRuntimes, type RuntimeSet } from '../../src/hub';
import type { SubgraphDefinition } from '../../src/subgraphs/subgraph';
import { BENCH_IDENTITY_HASH, openBenchSubgraphs, silent } from './database';

export interface RunningHub {
  /** Base URL, e.g. http://127.0.0.1:1234 */
  base: string;
  graphql: string;
  /** A civil-affairs reader and writer of `county`. */
  token: string;
  stop(): Promise<void>;
}

/** The real hub (gateway, subgraphs, permissions, audit, HTTP app) on loopback, over `url`. */
export async function startHub(url: string, county: string): Promise<RunningHub> {
  const key = await generateSigningKey();
  const verifyToken = createVerifier(createLocalJWKSet({ keys: [key.publicJwk] }), DEV_ISSUER, DEV_AUDIENCE);
  const token = await signToken(key, DEV_ISSUER, DEV_AUDIENCE, {
    dept: 'CIVIL_AFFAIRS',
    region: county,
    roles: ['reader', 'writer'],
    ttl: '4h',
  });
  const subgraphs = await openBenchSubgraphs(url);
  const { http, running } = await hubApp(subgraphs, verifyToken);
  const server = await new Promise<Server>((resolve) => {
    const s = http.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return {
    base,
    graphql: `${base}/graphql`,
    token,
    async stop() {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
      await http.stop();
      await running.stop();
      await Promise.all([...subgraphs.values()].map((s) => s.orm.close()));
    },
  };
}

export const ADD_GUARDIAN = `mutation Add($childId: ID!, $name: String!) {
  addGuardian(input: { childId: $childId, relation: OTHER_RELATIVE, name: $name }) { id }
}`;

const { engine, queryPlanner } = loadConfig({});
/** The gateway's engine of the hub as `npm start` runs it on this machine. */
export const HUB_ENGINE: Pick<GatewayOptions, 'engine' | 'planner'> = { engine, planner: queryPlanner };

/**
 * The hub's HTTP app (in-process gateway, permissions, audit) over subgraphs already open;
 * `schemaOf` replaces a subgraph's schema (the benchmark measures the permission layer);
 * `engine` chooses the gateway's engine (by default the hub's, as `npm start` chooses it here).
 * Its subgraphs follow each other's feeds, and the audit service copies the chains, as in a
 * running hub; further apps over the same database stand by as replicas do (one follows each feed).
 */
export async function hubApp(
  subgraphs: Map<string, SubgraphData>,
  verifyToken: Parameters<typeof createHttpApp>[0]['verifyToken'],
  schemaOf?: (def: SubgraphDefinition) => GraphQLSchema | undefined,
  engine: Pick<GatewayOptions, 'engine' | 'planner'> = HUB_ENGINE,
): Promise<{ http: HubHttp; running: RuntimeSet }> {
  const running = await startRuntimes(subgraphs, {
    identityHash: BENCH_IDENTITY_HASH,
    clock: systemClock,
    logger: silent,
    urlOf: (name) => `unreachable:${name}`,
    schemaOf,
  });
  running.follow();
  const http = await createHttpApp({
    verifyToken,
    logger: silent,
    graphiql: false,
    introspection: true,
    graph: {
      gateway: createGateway({ supergraphSdl: readSupergraph(), local: running.runtimes, ...engine }),
      local: running.runtimes,
    },
  });
  return { http, running };
}
