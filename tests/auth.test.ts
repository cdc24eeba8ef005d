import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { base64url, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import request from 'supertest';
import { generateSigningKey, SIGNING_ALG } from '../src/auth/keys';
import { signToken } from '../src/auth/token';
import { verifierFromConfig } from '../src/auth/verifier';
import { ConfigError, defaultQueryPlanner, DEV_AUDIENCE, DEV_ISSUER, loadConfig } from '../src/config';
import { PRODUCTION_ENV } from './helpers/config';
import { childInput, REGISTER, startTestHub, type TestHub } from './helpers/hub';
import { PERSONAS } from './helpers/personas';

let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub();
});

afterAll(() => hub.close());

const now = () => Math.floor(Date.now() / 1000);

/** The claims of a valid civil-affairs county account, for tokens built by hand. */
const CLAIMS = {
  dept: 'CIVIL_AFFAIRS',
  region: PERSONAS.civilCounty.region,
  roles: ['reader', 'writer'],
};

/** A token signed with the hub's own key; `build` changes what the hub would normally set. */
function handMade(build: (jwt: SignJWT) => SignJWT = (jwt) => jwt, claims: Record<string, unknown> = CLAIMS) {
  return build(
    new SignJWT(claims)
      .setProtectedHeader({ alg: SIGNING_ALG, kid: hub.key.kid, typ: 'JWT' })
      .setSubject('test-hand-made')
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setIssuedAt(),
  ).sign(hub.key.key);
}

const withExp = (jwt: SignJWT) => jwt.setExpirationTime('1h');

/** Tries to register a child with this Authorization header (or none). */
function attemptWrite(authorization?: string) {
  const req = request(hub.http.app).post('/graphql');
  if (authorization !== undefined) req.set('authorization', authorization);
  return req.set('x-purpose', 'CASE_WORK').send({ query: REGISTER, variables: { input: childInput() } });
}

async function expectRejected(authorization: string | undefined, message?: RegExp) {
  const before = await hub.count('registry.child');
  const res = await attemptWrite(authorization);
  expect(res.status).toBe(401);
  expect(res.headers['www-authenticate']).toBe('Bearer');
  expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  expect(res.body.data).toBeUndefined();
  if (message) expect(res.body.errors[0].message).toMatch(message);
  expect(JSON.stringify(res.body)).not.toMatch(/stacktrace/i);
  expect(await hub.count('registry.child')).toBe(before);
}

describe('a request without a valid bearer token is 401 UNAUTHENTICATED and writes nothing', () => {
  test('no Authorization header', () => expectRejected(undefined, /bearer token is required/i));

  test('a scheme other than Bearer', async () => {
    const token = await hub.token('civilCounty');
    await expectRejected(`Basic ${Buffer.from('user:password').toString('base64')}`);
    await expectRejected(`Token ${token}`);
    await expectRejected(token);
  });

  test('Bearer with nothing after it', () => expectRejected('Bearer '));

  test('a garbage token', async () => {
    await expectRejected('Bearer garbage');
    await expectRejected('Bearer aaa.bbb.ccc');
  });

  test('an expired token', async () => {
    const token = await handMade((jwt) => jwt.setIssuedAt(now() - 7200).setExpirationTime(now() - 3600));
    await expectRejected(`Bearer ${token}`, /ERR_JWT_EXPIRED/);
  });

  test('an unsecured token (alg: none)', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    const payload = base64url.encode(
      JSON.stringify({
        ...CLAIMS,
        sub: 'intruder',
        iss: DEV_ISSUER,
        aud: DEV_AUDIENCE,
        iat: now(),
        exp: now() + 3600,
      }),
    );
    await expectRejected(`Bearer ${header}.${payload}.`);
  });

  test('a token signed with a shared secret (HS256)', async () => {
    const token = await new SignJWT(CLAIMS)
      .setProtectedHeader({ alg: 'HS256', kid: hub.key.kid, typ: 'JWT' })
      .setSubject('intruder')
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!'));
    await expectRejected(`Bearer ${token}`);
  });

  test('the right key but the wrong issuer', async () => {
    const token = await signToken(hub.key, 'urn:someone-else', DEV_AUDIENCE, PERSONAS.civilCounty);
    await expectRejected(`Bearer ${token}`, /ERR_JWT_CLAIM_VALIDATION_FAILED/);
  });

  test('the right key but the wrong audience', async () => {
    const token = await signToken(hub.key, DEV_ISSUER, 'urn:another-service', PERSONAS.civilCounty);
    await expectRejected(`Bearer ${token}`, /ERR_JWT_CLAIM_VALIDATION_FAILED/);
  });

  test('a key id the hub does not know (another key pair)', async () => {
    const stranger = await generateSigningKey();
    expect(stranger.kid).not.toBe(hub.key.kid);
    const token = await signToken(stranger, DEV_ISSUER, DEV_AUDIENCE, PERSONAS.civilCounty);
    await expectRejected(`Bearer ${token}`, /ERR_JWKS_NO_MATCHING_KEY/);
  });

  test("another key pair claiming the hub's key id", async () => {
    const stranger = await generateSigningKey();
    const token = await signToken({ ...stranger, kid: hub.key.kid }, DEV_ISSUER, DEV_AUDIENCE, PERSONAS.civilCounty);
    await expectRejected(`Bearer ${token}`, /ERR_JWS_SIGNATURE_VERIFICATION_FAILED/);
  });

  test('a token with a tampered payload', async () => {
    const [header, , signature] = (await hub.token('civilTownshipA')).split('.');
    const payload = base64url.encode(
      JSON.stringify({
        ...CLAIMS,
        region: '63',
        sub: 'escalated',
        iss: DEV_ISSUER,
        aud: DEV_AUDIENCE,
        exp: now() + 3600,
      }),
    );
    await expectRejected(`Bearer ${header}.${payload}.${signature}`);
  });

  test('a token without exp', async () => {
    const token = await handMade();
    await expectRejected(`Bearer ${token}`, /ERR_JWT_CLAIM_VALIDATION_FAILED/);
  });

  test('a token without sub', async () => {
    const token = await new SignJWT(CLAIMS)
      .setProtectedHeader({ alg: SIGNING_ALG, kid: hub.key.kid })
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setExpirationTime('1h')
      .sign(hub.key.key);
    await expectRejected(`Bearer ${token}`);
  });

  test.each([
    ['an unknown dept', { ...CLAIMS, dept: 'TAX_BUREAU' }, /dept/],
    ['a region that is not a GB/T 2260 code', { ...CLAIMS, region: '6301x' }, /region/],
    ['a region of the wrong length', { ...CLAIMS, region: '63012' }, /region/],
    ['an ENTERPRISE account without the enterprise claim', { ...CLAIMS, dept: 'ENTERPRISE' }, /enterprise/],
    [
      'a non-ENTERPRISE account with an enterprise claim',
      { ...CLAIMS, enterprise: '91630121MA7XYZ1234' },
      /enterprise/,
    ],
    ['an unknown role', { ...CLAIMS, roles: ['admin'] }, /roles/],
  ])('bad claims: %s', async (_, claims, message) => {
    const token = await handMade(withExp, claims);
    await expectRejected(`Bearer ${token}`, message);
  });
});

describe('a valid token is accepted', () => {
  test('a read returns 200 with data', async () => {
    const res = await request(hub.http.app)
      .post('/graphql')
      .set('authorization', `Bearer ${await hub.token('civilCounty')}`)
      .send({ query: '{ region(code: "63") { name level } }' });
    expect(res.status).toBe(200);
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({
      region: { name: '青海省', level: 'PROVINCE' },
    });
  });

  test('the same write the rejected tokens attempted succeeds, so "writes nothing" above is meaningful', async () => {
    const before = await hub.count('registry.child');
    const res = await attemptWrite(`Bearer ${await hub.token('civilCounty')}`);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.registerChild.id).toBeTruthy();
    expect(await hub.count('registry.child')).toBe(before + 1);
  });

  test('a hand-made token with every claim right is accepted, and the scheme is case-insensitive', async () => {
    const token = await handMade(withExp);
    const res = await request(hub.http.app)
      .post('/graphql')
      .set('authorization', `bearer ${token}`)
      .send({ query: '{ region(code: "630121") { name } }' });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ region: { name: '大通回族土族自治县' } });
  });

  test('an ENTERPRISE token with its enterprise claim is accepted', async () => {
    const res = await hub.gql('enterprise', '{ region(code: "63") { code } }');
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ region: { code: '63' } });
  });
});

describe('loadConfig', () => {
  const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
    try {
      loadConfig(env);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as ConfigError).problems;
    }
    throw new Error('loadConfig accepted the environment');
  };

  test('production without database, issuer, audience and key source fails naming each', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    const required = ['DATABASE_URL', 'JWT_ISSUER', 'JWT_AUDIENCE', 'IDENTITY_HASH_KEY', 'JWKS_URL'];
    for (const key of [...required, 'WEBHOOK_KEYS', 'WEBHOOK_ALLOWED_URLS']) {
      expect(problems.some((p) => p.startsWith(`${key}:`))).toBe(true);
    }
    expect(problems).toHaveLength(7);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /DATABASE_URL[\s\S]*JWT_ISSUER[\s\S]*JWT_AUDIENCE[\s\S]*JWKS_URL/,
    );
  });

  const PRODUCTION = PRODUCTION_ENV;

  test.each([
    'DATABASE_URL',
    'JWT_ISSUER',
    'JWT_AUDIENCE',
    'JWKS_URL',
    'IDENTITY_HASH_KEY',
    'WEBHOOK_KEYS',
    'WEBHOOK_ALLOWED_URLS',
  ] as const)('production without only %s fails naming it', (key) => {
    const { [key]: _omitted, ...env } = PRODUCTION;
    void _omitted;
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${key}:`));
  });

  test('production with everything set loads; a PEM file may stand in for the JWKS URL', () => {
    const config = loadConfig(PRODUCTION);
    expect(config.env).toBe('production');
    expect(config.databaseUrl).toBe(PRODUCTION.DATABASE_URL);
    expect(config.auth).toEqual({
      jwksUrl: PRODUCTION.JWKS_URL,
      publicKeyFile: undefined,
      issuer: PRODUCTION.JWT_ISSUER,
      audience: PRODUCTION.JWT_AUDIENCE,
    });
    const { JWKS_URL: _jwks, ...withoutJwks } = PRODUCTION;
    void _jwks;
    expect(loadConfig({ ...withoutJwks, JWT_PUBLIC_KEY_FILE: '/etc/hub/jwt.pem' }).auth.publicKeyFile).toBe(
      '/etc/hub/jwt.pem',
    );
  });

  test('development defaults', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      env: 'development',
      host: '127.0.0.1',
      port: 4000,
      logLevel: 'info',
      databaseUrl: undefined,
      databaseUrls: {},
      databasePoolSize: 10,
      topology: 'in-process',
      queryPlanner: defaultQueryPlanner(),
      engine: defaultQueryPlanner() === 'rust' ? 'hive' : 'apollo',
      dataDir: path.resolve('.data'),
      embeddedPgPort: 54329,
      auth: {
        jwksUrl: undefined,
        publicKeyFile: undefined,
        issuer: DEV_ISSUER,
        audience: DEV_AUDIENCE,
      },
      subgraphUrls: {},
      hmacSecret: undefined,
      trustedDocuments: { mode: 'off', file: path.resolve('trusted-documents.json') },
      webhooks: { keys: undefined, allowedUrls: [] },
      calendarFiles: { working: undefined, school: undefined },
      graphiql: true,
      introspection: true,
      suggestions: true,
    });
  });

  test('each subgraph may have a database of its own, named by DATABASE_URL_<SUBGRAPH>', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://hub@db/hub',
      DATABASE_URL_PUBLIC_SECURITY: 'postgres://police@db.police/hub',
      HUB_TOPOLOGY: 'split',
    });
    expect(config.databaseUrls).toEqual({ 'public-security': 'postgres://police@db.police/hub' });
    expect(config.topology).toBe('split');
    expect(() => loadConfig({ DATABASE_URL_REGISTRY: 'mysql://x@y/z' })).toThrow(
      /DATABASE_URL_REGISTRY: not a postgres/,
    );
    expect(() => loadConfig({ HUB_TOPOLOGY: 'sideways' })).toThrow(/HUB_TOPOLOGY/);
  });

  test('GraphiQL and introspection are off by default in production, and can be set either way', () => {
    const production = PRODUCTION_ENV;
    expect(loadConfig(production)).toMatchObject({ graphiql: false, introspection: false, suggestions: false });
    expect(loadConfig({ ...production, GRAPHIQL: 'true', INTROSPECTION: 'true' })).toMatchObject({
      graphiql: true,
      introspection: true,
    });
    expect(loadConfig({ GRAPHIQL: 'false' })).toMatchObject({ graphiql: false, introspection: true });
    expect(problemsOf({ INTROSPECTION: 'yes' })[0]).toMatch(/^INTROSPECTION:/);
  });

  test('values are parsed and validated', () => {
    const config = loadConfig({
      PORT: '8080',
      HUB_DATA_DIR: '/var/lib/hub',
    });
    expect(config.port).toBe(8080);
    expect(config.dataDir).toBe('/var/lib/hub');
    expect(problemsOf({ PORT: 'eighty' })[0]).toMatch(/^PORT:/);
    expect(problemsOf({ NODE_ENV: 'staging' })[0]).toMatch(/^NODE_ENV:/);
    expect(problemsOf({ DATABASE_URL: 'mysql://db/hub' })[0]).toMatch(/^DATABASE_URL:/);
    expect(problemsOf({ IDENTITY_HASH_KEY: Buffer.alloc(16).toString('base64') })[0]).toMatch(/^IDENTITY_HASH_KEY:/);
    expect(problemsOf({ IDENTITY_HASH_KEY: 'not base64!' })[0]).toMatch(/^IDENTITY_HASH_KEY:/);
  });

  test('webhook keys are id:key pairs, the newest first; allowed targets are URL prefixes ending with /', () => {
    const [a, b] = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)];
    const config = loadConfig({
      WEBHOOK_KEYS: `new:${a.toString('base64')}, old:${b.toString('base64')}`,
      WEBHOOK_ALLOWED_URLS: 'https://hooks.example.org/hub/, http://10.1.2.3:8080/',
    });
    expect(config.webhooks).toEqual({
      keys: [
        { id: 'new', key: a },
        { id: 'old', key: b },
      ],
      allowedUrls: ['https://hooks.example.org/hub/', 'http://10.1.2.3:8080/'],
    });
    for (const [value, reason] of [
      [b.toString('base64'), /id:key pairs/],
      [`k:${Buffer.alloc(16).toString('base64')}`, /32 random bytes/],
      [`k:${a.toString('base64')},k:${b.toString('base64')}`, /distinct/],
    ] as const) {
      expect(problemsOf({ WEBHOOK_KEYS: value })).toEqual([expect.stringMatching(reason)]);
      expect(problemsOf({ WEBHOOK_KEYS: value })[0]).toMatch(/^WEBHOOK_KEYS:/);
    }
    for (const value of [
      'https://hooks.example.org/hub',
      'https://hooks.example.org/hub/?x=1',
      'ftp://hooks.example.org/',
    ]) {
      expect(problemsOf({ WEBHOOK_ALLOWED_URLS: value })).toEqual([expect.stringMatching(/^WEBHOOK_ALLOWED_URLS:/)]);
    }
  });

  test('SUBGRAPH_URLS is a list of name=url', () => {
    expect(
      loadConfig({
        SUBGRAPH_URLS: 'education=http://edu.internal:4001/graphql, public-security=https://ps.internal/graphql',
      }).subgraphUrls,
    ).toEqual({
      education: 'http://edu.internal:4001/graphql',
      'public-security': 'https://ps.internal/graphql',
    });
  });

  test.each([
    ['no "="', 'education'],
    ['no name', '=http://edu.internal:4001/graphql'],
    ['not a URL', 'education=not a url'],
    ['one good, one bad', 'education=http://edu.internal:4001/graphql,registry'],
  ])('a malformed SUBGRAPH_URLS is rejected: %s', (_, value) => {
    expect(() => loadConfig({ SUBGRAPH_URLS: value })).toThrow(ConfigError);
    expect(problemsOf({ SUBGRAPH_URLS: value })[0]).toMatch(/^SUBGRAPH_URLS:/);
  });

  test.each([
    ['a host without a scheme', 'education=localhost:4001/graphql'],
    ['a scheme other than http(s)', 'education=ftp://edu.internal/graphql'],
  ])('a SUBGRAPH_URLS entry that is not an http(s) URL is rejected: %s', (_, value) => {
    expect(problemsOf({ SUBGRAPH_URLS: value })[0]).toMatch(/^SUBGRAPH_URLS:/);
  });
});

describe('verifierFromConfig with JWT_PUBLIC_KEY_FILE', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-auth-test-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const ISSUER = 'https://idp.example.gov.cn';
  const AUDIENCE = 'urn:child-care-hub:prod';

  async function pemVerifier(alg: string, options: Parameters<typeof generateKeyPair>[1] = {}) {
    const pair = await generateKeyPair(alg, { extractable: true, ...options });
    const file = path.join(dir, `${alg}-${crypto.randomUUID()}.pem`);
    fs.writeFileSync(file, await exportSPKI(pair.publicKey));
    const verify = await verifierFromConfig(
      loadConfig({
        JWT_PUBLIC_KEY_FILE: file,
        JWT_ISSUER: ISSUER,
        JWT_AUDIENCE: AUDIENCE,
      }),
    );
    const sign = (claims: Record<string, unknown> = CLAIMS, key = pair.privateKey, issuer = ISSUER) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg })
        .setSubject('edu-system-630102')
        .setIssuer(issuer)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(key);
    return { verify, sign };
  }

  test('accepts a token signed by the matching ES256 private key', async () => {
    const { verify, sign } = await pemVerifier('ES256');
    await expect(verify(await sign({ dept: 'EDUCATION', region: '630102', roles: ['reader'] }))).resolves.toEqual({
      sub: 'edu-system-630102',
      dept: 'EDUCATION',
      region: '630102',
      roles: ['reader'],
    });
  });

  test('rejects a token signed by another key, by the wrong issuer, or with bad claims', async () => {
    const { verify, sign } = await pemVerifier('ES256');
    const other = await generateKeyPair('ES256');
    const unauthenticated = expect.objectContaining({
      extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }),
    });
    await expect(verify(await sign(CLAIMS, other.privateKey))).rejects.toEqual(unauthenticated);
    await expect(verify(await sign(CLAIMS, undefined, 'urn:someone-else'))).rejects.toEqual(unauthenticated);
    await expect(verify(await sign({ ...CLAIMS, region: '6301x' }))).rejects.toEqual(unauthenticated);
  });

  test.each([
    ['RS256', { modulusLength: 2048 }],
    ['EdDSA', { crv: 'Ed25519' }],
  ])('accepts a %s key file too', async (alg, options) => {
    const { verify, sign } = await pemVerifier(alg, options);
    await expect(verify(await sign())).resolves.toMatchObject({
      dept: 'CIVIL_AFFAIRS',
      region: '630121',
    });
  });

  test.each([
    ['ES384', { crv: 'P-384' }],
    ['ES512', { crv: 'P-521' }],
  ])('accepts an %s key file too', async (alg, options) => {
    const { verify, sign } = await pemVerifier(alg, options);
    await expect(verify(await sign())).resolves.toMatchObject({ dept: 'CIVIL_AFFAIRS', region: '630121' });
  });
});
