import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import pino from 'pino';
import request from 'supertest';
import { loadOrCreateDevKey } from '../src/auth/keys';
import { devTokenSigner } from '../src/auth/token';
import { verifierFromConfig, type VerifyToken } from '../src/auth/verifier';
import { DEV_ISSUER, loadConfig, type Config } from '../src/config';
import { readSupergraph } from '../src/gateway/supergraph';
import { createGateway } from '../src/gateway/gateway';
import { createHttpApp, type HubHttp } from '../src/http/app';
import { PRODUCTION_ENV } from './helpers/config';
import { registerChild, startTestHub, type TestHub } from './helpers/hub';
import { ENTERPRISES, REGIONS } from './helpers/personas';

/**
 * POST /dev/token, which the persona bar of GraphiQL and the dashboard asks: it signs a persona's
 * token with the development key while the hub trusts that key, and does not exist otherwise.
 */
let hub: TestHub;
let dataDir: string;
let childA: string;
let childB: string;
const opened: HubHttp[] = [];

beforeAll(async () => {
  hub = await startTestHub();
  childA = (await registerChild(hub, {}, REGIONS.villageA)).id;
  childB = (await registerChild(hub, {}, REGIONS.villageB)).id;
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-dev-token-'));
});

afterAll(async () => {
  for (const http of opened) await http.stop();
  await hub.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The hub's HTTP app as `serve` builds it for `config`: its development signer, if any. */
async function appFor(config: Config, verifyToken: VerifyToken = hub.verifyToken) {
  const http = await createHttpApp({
    verifyToken,
    logger: pino({ level: 'silent' }),
    graph: { gateway: createGateway({ supergraphSdl: readSupergraph(), local: hub.runtimes }), local: hub.runtimes },
    graphiql: true,
    introspection: true,
    devTokens: await devTokenSigner(config),
  });
  opened.push(http);
  return http.app;
}

const mint = (app: Parameters<typeof request>[0], persona: object) => request(app).post('/dev/token').send(persona);

const CHILDREN = `{ children { totalCount edges { node { id idNumber residenceRegion { code } } } } }`;

async function gql(app: Parameters<typeof request>[0], token: string, query: string, variables?: object) {
  const res = await request(app)
    .post('/graphql')
    .set('authorization', `Bearer ${token}`)
    .set('x-purpose', 'CASE_WORK')
    .send({ query, variables });
  return res.body;
}

describe('while the hub signs its own development tokens', () => {
  test('it signs the persona asked for with the development key, and the hub accepts the token', async () => {
    const config = loadConfig({ HUB_DATA_DIR: dataDir });
    const app = await appFor(config, await verifierFromConfig(config));
    const res = await mint(app, { dept: 'EDUCATION', region: REGIONS.townshipA, roles: ['reader'] });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const claims = decodeJwt(res.body.token);
    expect(claims).toMatchObject({
      sub: `education-${REGIONS.townshipA}`,
      iss: DEV_ISSUER,
      dept: 'EDUCATION',
      region: REGIONS.townshipA,
      roles: ['reader'],
    });
    expect(res.body.expires).toBe(new Date(claims.exp! * 1000).toISOString());
    // The key `hub token` signs with, kept under the data directory.
    expect(decodeProtectedHeader(res.body.token).kid).toBe((await loadOrCreateDevKey(dataDir)).kid);

    const body = await gql(app, res.body.token, CHILDREN);
    expect(body.errors).toBeUndefined();
    expect(body.data.children.totalCount).toBe(1);
    expect(body.data.children.edges[0].node).toMatchObject({ id: childA, idNumber: expect.stringMatching(/\*{8}/) });
  });

  test('a persona’s token reaches only its jurisdiction, and only what its department may see', async () => {
    const app = hub.http.app;
    const townshipB = await mint(app, { dept: 'EDUCATION', region: REGIONS.townshipB, roles: ['reader'] });
    const byId = `query($id: ID!) { child(id: $id) { id } }`;
    expect((await gql(app, townshipB.body.token, byId, { id: childA })).data.child).toBeNull();
    expect((await gql(app, townshipB.body.token, byId, { id: childB })).data.child).toEqual({ id: childB });

    const youth = await mint(app, { dept: 'YOUTH_LEAGUE', region: REGIONS.county, roles: ['reader'] });
    const body = await gql(app, youth.body.token, `query($id: ID!) { child(id: $id) { idNumber } }`, { id: childA });
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');

    const enterprise = await mint(app, { dept: 'ENTERPRISE', region: REGIONS.county, enterprise: ENTERPRISES.a });
    expect(enterprise.status).toBe(200);
    expect(decodeJwt(enterprise.body.token)).toMatchObject({ enterprise: ENTERPRISES.a, roles: [] });
  });

  test.each([
    [{ dept: 'POLICE', region: REGIONS.county }, 'dept'],
    [{ dept: 'EDUCATION', region: '12345' }, 'region'],
    [{ dept: 'EDUCATION' }, 'region'],
    [{ dept: 'EDUCATION', region: REGIONS.county, roles: ['admin'] }, 'roles.0'],
    [{ dept: 'ENTERPRISE', region: REGIONS.county }, 'enterprise'],
    [{ dept: 'ENTERPRISE', region: REGIONS.county, enterprise: '91630121MA7XYW1230' }, 'enterprise'],
    [{ dept: 'EDUCATION', region: REGIONS.county, enterprise: ENTERPRISES.a }, 'enterprise'],
  ])('%j is refused: %s', async (persona, field) => {
    const res = await mint(hub.http.app, persona);
    expect(res.status).toBe(400);
    expect(res.body.token).toBeUndefined();
    expect(res.body.errors[0]).toMatchObject({
      message: expect.stringMatching(new RegExp(`^${field.replace('.', '\\.')}: `)),
      extensions: { code: 'BAD_USER_INPUT', field },
    });
  });

  test('a body that is not JSON is refused', async () => {
    const res = await request(hub.http.app)
      .post('/dev/token')
      .type('form')
      .send({ dept: 'EDUCATION', region: REGIONS.county });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('with a configured key set, or in production', () => {
  const configs: [string, () => Config][] = [
    ['JWKS_URL', () => loadConfig({ HUB_DATA_DIR: dataDir, JWKS_URL: 'https://id.example/jwks' })],
    ['JWT_PUBLIC_KEY_FILE', () => loadConfig({ HUB_DATA_DIR: dataDir, JWT_PUBLIC_KEY_FILE: '/etc/hub/jwt.pem' })],
    ['NODE_ENV=production', () => loadConfig({ ...PRODUCTION_ENV, HUB_DATA_DIR: dataDir })],
    // Production alone is enough, whatever the key set.
    ['production without a key set', () => ({ ...loadConfig({ HUB_DATA_DIR: dataDir }), env: 'production' })],
  ];

  test.each(configs)('%s: the hub signs no development tokens and /dev/token is 404', async (_name, config) => {
    expect(await devTokenSigner(config())).toBeUndefined();
    const app = await appFor(config());
    const res = await mint(app, { dept: 'EDUCATION', region: REGIONS.county });
    expect(res.status).toBe(404);
    expect(res.body.token).toBeUndefined();
    expect((await request(app).get('/dev/persona.js')).status).toBe(404);
  });

  test('GraphiQL and the dashboard take a token from elsewhere, without the persona bar', async () => {
    const app = await appFor(configs[0][1]());
    const graphiql = await request(app).get('/graphql').set('accept', 'text/html');
    expect(graphiql.text).toContain('GraphiQL.createFetcher');
    expect(graphiql.text).not.toContain('/dev/');
    expect(graphiql.text).toContain('Bearer <token from npm run token>');
    const dashboard = await request(app).get('/dashboard');
    expect(dashboard.text).not.toContain('/dev/');
    expect(dashboard.text).toContain('<input id="token"');
  });
});
