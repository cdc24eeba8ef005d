import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { readSupergraph } from '../../src/gateway/supergraph';
import { createRouter, type QueryPlanner } from '../../src/gateway/router';
import type { TrustedDocuments } from '../../src/http/trusted-documents';
import { DEFAULT_PURPOSE, TEST_QUERY_PLANNER, type GraphQLResponse, type TestHub } from './hub';
import type { PersonaName } from './personas';

export interface TestRouter {
  url: string;
  /** POSTs a GraphQL request body as `who` (or anonymously, with `null`) to the router. */
  post(who: PersonaName | null, body: object, headers?: Record<string, string>): Promise<GraphQLResponse>;
  gql(who: PersonaName, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  close(): Promise<void>;
}

export interface TestRouterOptions {
  /** Where the subgraphs are served (TestHub.serveSubgraphs). */
  subgraphUrls: Record<string, string>;
  hmacSecret?: string;
  trustedDocuments?: TrustedDocuments;
  suggestions?: boolean;
  planner?: QueryPlanner;
}

/** Hive Gateway on a loopback port, serving the committed supergraph over `hub`'s subgraphs. */
export async function startTestRouter(hub: TestHub, options: TestRouterOptions): Promise<TestRouter> {
  const runtime = createRouter({
    supergraphSdl: readSupergraph(),
    verifyToken: hub.verifyToken,
    introspection: true,
    logger: pino({ level: process.env.TEST_LOG ?? 'silent' }),
    planner: TEST_QUERY_PLANNER,
    ...options,
  });
  const server = createServer(runtime);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  const post: TestRouter['post'] = async (who, body, headers = {}) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-purpose': DEFAULT_PURPOSE,
        ...(who ? { authorization: `Bearer ${await hub.token(who)}` } : {}),
        ...headers,
      },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as Omit<GraphQLResponse, 'status'>;
    return { status: res.status, data: json.data, errors: json.errors };
  };
  return {
    url,
    post,
    gql: (who, query, variables) => post(who, { query, variables }),
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
      await runtime.dispose();
    },
  };
}
