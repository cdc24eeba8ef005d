import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { loadConfig } from '../src/config';
import { apiSchema } from '../src/gateway/compose';
import { createGateway } from '../src/gateway/gateway';
import { readSupergraph } from '../src/gateway/supergraph';
import { createHttpApp, type HubHttp } from '../src/http/app';
import {
  documentHash,
  manifestOperations,
  TrustedDocuments,
  updateManifest,
  type PersistedQueryManifest,
} from '../src/http/trusted-documents';
import { SUBGRAPHS } from '../src/subgraphs';
import { DEFAULT_PURPOSE, registerChild, startTestHub, type GraphQLResponse, type TestHub } from './helpers/hub';
import type { PersonaName } from './helpers/personas';
import { startTestRouter, type TestRouter } from './helpers/router';

const DOCUMENTS = /* GraphQL */ `
  query ChildNames($first: Int!) {
    children(first: $first) {
      totalCount
      edges {
        node {
          ...Names
        }
      }
    }
  }

  fragment Names on Child {
    id
    name
  }
`;
const FREE_TEXT = '{ children(first: 5) { totalCount edges { node { id name } } } }';

let hub: TestHub;
let manifest: PersistedQueryManifest;
let childNamesId: string;
let dir: string;
const servers: { stop(): Promise<unknown> }[] = [];

/** One way of sending GraphQL: the hub's HTTP app or the router, in one trusted-documents mode. */
interface Target {
  post(body: object): Promise<GraphQLResponse>;
  get(search: string): Promise<GraphQLResponse>;
}

const targets: Record<string, Target> = {};

async function hubIn(mode: 'allow' | 'require'): Promise<Target> {
  const http: HubHttp = await createHttpApp({
    verifyToken: hub.verifyToken,
    logger: pino({ level: 'silent' }),
    graph: { gateway: createGateway({ supergraphSdl: readSupergraph(), local: hub.runtimes }), local: hub.runtimes },
    graphiql: true,
    introspection: true,
    trustedDocuments: TrustedDocuments.fromManifest(mode, manifest),
  });
  servers.push(http);
  const auth = async () => `Bearer ${await hub.token('civilCounty')}`;
  const seen = (res: request.Response) => ({ status: res.status, data: res.body.data, errors: res.body.errors });
  return {
    post: async (body) =>
      seen(
        await request(http.app)
          .post('/graphql')
          .set('x-purpose', DEFAULT_PURPOSE)
          .set('authorization', await auth())
          .send(body),
      ),
    get: async (search) =>
      seen(
        await request(http.app)
          .get(`/graphql?${search}`)
          .set('x-purpose', DEFAULT_PURPOSE)
          .set('authorization', await auth())
          .accept('json'),
      ),
  };
}

async function routerIn(mode: 'allow' | 'require', subgraphUrls: Record<string, string>): Promise<Target> {
  const router: TestRouter = await startTestRouter(hub, {
    subgraphUrls,
    trustedDocuments: TrustedDocuments.fromManifest(mode, manifest),
  });
  servers.push({ stop: () => router.close() });
  const who: PersonaName = 'civilCounty';
  return {
    post: (body) => router.post(who, body),
    async get(search) {
      const res = await fetch(`${router.url}?${search}`, {
        headers: {
          authorization: `Bearer ${await hub.token(who)}`,
          accept: 'application/json',
          'x-purpose': DEFAULT_PURPOSE,
        },
      });
      const json = (await res.json()) as GraphQLResponse;
      return { status: res.status, data: json.data, errors: json.errors };
    },
  };
}

beforeAll(async () => {
  hub = await startTestHub();
  await registerChild(hub);
  manifest = updateManifest(undefined, manifestOperations(DOCUMENTS, apiSchema()));
  childNamesId = manifest.operations[0].id;
  const subgraphUrls = await hub.serveSubgraphs(SUBGRAPHS.map((s) => s.name));
  for (const mode of ['allow', 'require'] as const) {
    targets[`the hub, ${mode}`] = await hubIn(mode);
    targets[`the router, ${mode}`] = await routerIn(mode, subgraphUrls);
  }
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-trust-'));
});

afterAll(async () => {
  for (const server of servers) await server.stop();
  await hub?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const TARGETS = ['the hub, allow', 'the hub, require', 'the router, allow', 'the router, require'];

describe.each(TARGETS)('%s', (name) => {
  const target = () => targets[name];
  const expectChildNames = (res: GraphQLResponse) => {
    expect(res.errors).toBeUndefined();
    expect(res.status).toBe(200);
    expect(res.data!.children.totalCount).toBe(1);
    expect(Object.keys(res.data!.children.edges[0].node)).toEqual(['id', 'name']);
  };

  test('runs a registered document by its GraphQL-over-HTTP documentId, with or without the sha256: prefix', async () => {
    expectChildNames(await target().post({ documentId: childNamesId, variables: { first: 5 } }));
    expectChildNames(await target().post({ documentId: `sha256:${childNamesId}`, variables: { first: 5 } }));
  });

  test('runs a registered document by Apollo’s persisted-query hash, over POST and GET', async () => {
    const extensions = { persistedQuery: { version: 1, sha256Hash: childNamesId } };
    expectChildNames(await target().post({ extensions, variables: { first: 5 } }));
    const search = new URLSearchParams({ documentId: childNamesId, variables: JSON.stringify({ first: 5 }) });
    expectChildNames(await target().get(search.toString()));
  });

  test('answers an unknown id with PERSISTED_QUERY_NOT_FOUND, and runs nothing', async () => {
    for (const body of [
      { documentId: documentHash(FREE_TEXT) },
      { extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } },
    ]) {
      const res = await target().post(body);
      expect(res.status).toBe(400);
      expect(res.data ?? undefined).toBeUndefined();
      expect(res.errors).toEqual([
        {
          message: 'This document id is not among the trusted documents',
          extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
        },
      ]);
    }
  });

  if (name.endsWith('require')) {
    test('refuses query text with FORBIDDEN, even beside a registered id', async () => {
      for (const body of [{ query: FREE_TEXT }, { query: FREE_TEXT, documentId: childNamesId }]) {
        const res = await target().post(body);
        expect(res.status).toBe(403);
        expect(res.data ?? undefined).toBeUndefined();
        expect(res.errors).toEqual([
          { message: expect.stringMatching(/^Only trusted documents run here/), extensions: { code: 'FORBIDDEN' } },
        ]);
      }
      expect((await target().get(`query=${encodeURIComponent(FREE_TEXT)}`)).errors![0].extensions!.code).toBe(
        'FORBIDDEN',
      );
    });
  } else {
    test('also runs query text, so GraphiQL and its introspection keep working', async () => {
      const res = await target().post({ query: FREE_TEXT });
      expect(res.errors).toBeUndefined();
      expect(res.data!.children.totalCount).toBe(1);
      const schema = await target().post({ query: '{ __schema { queryType { name } } }' });
      expect(schema.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    });
  }

  test('answers a request with neither text nor id with BAD_REQUEST', async () => {
    const res = await target().post({ variables: {} });
    expect(res.status).toBe(400);
    expect(res.errors![0].extensions!.code).toBe('BAD_REQUEST');
  });
});

describe('the manifest', () => {
  test('holds each named operation with the fragments it uses, under the SHA-256 of its text', () => {
    expect(manifest).toEqual({
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [{ id: childNamesId, name: 'ChildNames', type: 'query', body: expect.any(String) }],
    });
    const [op] = manifest.operations;
    expect(op.id).toBe(documentHash(op.body));
    expect(op.body).toMatch(/^query ChildNames\(\$first: Int!\) \{[\s\S]*\}\n\nfragment Names on Child \{/);
  });

  test('takes only valid, named operations', () => {
    const schema = apiSchema();
    expect(() => manifestOperations('{ children(first: 1) { totalCount } }', schema, 'a.graphql')).toThrow(
      'a.graphql: every trusted operation needs a name',
    );
    expect(() => manifestOperations('query Q { childs { id } }', schema, 'b.graphql')).toThrow(
      /b.graphql: Cannot query field "childs"/,
    );
    expect(() => manifestOperations('query Q {', schema, 'c.graphql')).toThrow(/c.graphql: Syntax Error/);
  });

  test('keeps the ids it had when operations change, and refuses one name for two operations at once', () => {
    const changed = manifestOperations(DOCUMENTS.replace('totalCount', ''), apiSchema());
    const updated = updateManifest(manifest, changed);
    expect(updated.operations.map((op) => op.id).sort()).toEqual([childNamesId, changed[0].id].sort());
    expect(() => updateManifest(undefined, [...manifest.operations, ...changed])).toThrow(
      'two different operations are named ChildNames',
    );
  });

  test('is not trusted when an id is not the hash of its body, or when it is not a manifest', () => {
    const tampered = structuredClone(manifest);
    tampered.operations[0].body = tampered.operations[0].body.replace('name', 'idNumber');
    expect(() => TrustedDocuments.fromManifest('require', tampered)).toThrow(/not the hash of its body/);
    expect(() => TrustedDocuments.fromManifest('require', { operations: [] })).toThrow(
      /not an apollo-persisted-query-manifest/,
    );
    expect(() => TrustedDocuments.load('require', path.join(dir, 'missing.json'))).toThrow(/hub trust/);
  });

  test('TRUSTED_DOCUMENTS is off unless set, and only off, allow or require', () => {
    expect(loadConfig({}).trustedDocuments).toEqual({ mode: 'off', file: path.resolve('trusted-documents.json') });
    expect(loadConfig({ TRUSTED_DOCUMENTS: 'require' }).trustedDocuments.mode).toBe('require');
    expect(() => loadConfig({ TRUSTED_DOCUMENTS: 'on' })).toThrow(/TRUSTED_DOCUMENTS/);
  });

  test('hub trust adds the operations of .graphql files to the manifest', () => {
    const file = path.join(dir, 'trusted-documents.json');
    fs.writeFileSync(file, JSON.stringify(manifest));
    const documents = path.join(dir, 'enrol.graphql');
    fs.writeFileSync(
      documents,
      'mutation Enrol($input: RecordEnrolmentInput!) { recordEnrolment(input: $input) { status } }',
    );
    const run = spawnSync(
      process.execPath,
      [path.join(__dirname, '../bin/hub.js'), 'trust', '--manifest', file, documents],
      { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' } },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/2 operations, 1 new/);
    const written = JSON.parse(fs.readFileSync(file, 'utf8')) as PersistedQueryManifest;
    expect(written.operations.map((op) => `${op.type} ${op.name}`)).toEqual(['query ChildNames', 'mutation Enrol']);
    expect(TrustedDocuments.fromManifest('require', written).size).toBe(2);
  });
});
