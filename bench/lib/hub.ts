import type { Server } from 'node:http';
import type net from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createLocalJWKSet } from 'jose';
import { generateSigningKey } from '../../src/auth/keys';
import { signToken } from '../../src/auth/token';
import { createVerifier } from '../../src/auth/verifier';
import { DEV_AUDIENCE, DEV_ISSUER } from '../../src/config';
import { openOrm } from '../../src/db/orm';
import { readSupergraph } from '../../src/gateway/compose';
import { createGateway } from '../../src/gateway/gateway';
import { createHttpApp } from '../../src/http/app';
import { BENCH_IDENTITY_HASH, silent } from './database';

export interface RunningHub {
  /** Base URL, e.g. http://127.0.0.1:1234 */
  base: string;
  graphql: string;
  orm: MikroORM;
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
  const orm = await openOrm(url, { logger: () => {} });
  const http = await createHttpApp({
    orm,
    verifyToken,
    logger: silent,
    graphiql: false,
    introspection: false,
    graph: { gateway: createGateway({ supergraphSdl: readSupergraph() }) },
    identityHash: BENCH_IDENTITY_HASH,
  });
  const server = await new Promise<Server>((resolve) => {
    const s = http.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return {
    base,
    graphql: `${base}/graphql`,
    orm,
    token,
    async stop() {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
      await http.stop();
      await orm.close();
    },
  };
}

export const ADD_GUARDIAN = `mutation Add($childId: ID!, $name: String!) {
  addGuardian(input: { childId: $childId, relation: OTHER_RELATIVE, name: $name }) { id }
}`;
