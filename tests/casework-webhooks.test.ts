import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import request from 'supertest';
import { KeyRing, type Sealed } from '../src/auth/key-ring';
import { systemClock } from '../src/clock';
import { loadConfig } from '../src/config';
import { pgArray } from '../src/db/pg-array';
import { createHttpApp } from '../src/http/app';
import { SubgraphRuntime } from '../src/subgraphs/runtime';
import { webhookSettings, webhookSettingsFromConfig, type WebhookSettings } from '../src/http/webhook-settings';
import { startCaseworkJobs, type CaseworkJobs } from '../src/subgraphs/casework/jobs';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, sign, TIMESTAMP_HEADER } from '../src/subgraphs/casework/webhooks';
import { PRODUCTION_ENV } from './helpers/config';
import { DEFAULT_PURPOSE, startTestHub, type GraphQLResponse, type TestHub } from './helpers/hub';
import { PERSONAS, REGIONS, type PersonaName } from './helpers/personas';

interface Received {
  path: string;
  eventId: string;
  body: Record<string, unknown>;
  signatureValid: boolean;
}

const SECRETS: Record<string, string> = {
  '/police': 'police-county-webhook-secret-0001',
  '/township': 'township-a-webhook-secret-000002',
  '/redirect': 'redirected-webhook-secret-0000003',
};
/** The hub's webhook key, and the one that replaces it: rotation seals every secret under the new one. */
const OLD_KEY = { id: 'k2026a', key: randomBytes(32) };
const NEW_KEY = { id: 'k2026b', key: randomBytes(32) };
const settingsWith = (keys: (typeof OLD_KEY)[]) => webhookSettings(new KeyRing(keys), [], true);
/** The receiver is down (503, or the connection dropped) for its first seconds, then takes everything. */
const DOWN_MS = 3000;

let hub: TestHub;
let jobs: CaseworkJobs;
let receiver: Server;
let url: string;
let firstRequestAt = 0;
let refused = 0;
let stolen = 0;
const received: Received[] = [];

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => resolve(body));
  });

const startJobs = (webhooks: WebhookSettings) =>
  startCaseworkJobs(
    hub.subgraphs.get('casework')!.db.url,
    hub.orm('casework'),
    systemClock,
    pino({ level: 'silent' }),
    {
      webhooks,
      pollingIntervalSeconds: 0.5,
      retryDelaySeconds: 1,
    },
  );

beforeAll(async () => {
  hub = await startTestHub({ webhooks: settingsWith([OLD_KEY]) });
  receiver = createServer(async (req, res) => {
    const body = await readBody(req);
    // A receiver that sends deliveries on, and where they would land.
    if (req.url === '/redirect') return res.writeHead(302, { location: `${url}/stolen` }).end();
    if (req.url === '/stolen') {
      stolen++;
      return res.writeHead(204).end();
    }
    firstRequestAt ||= Date.now();
    if (Date.now() - firstRequestAt < DOWN_MS) {
      refused++;
      if (refused % 2) return res.writeHead(503).end();
      return req.socket.destroy();
    }
    const timestamp = String(req.headers[TIMESTAMP_HEADER]);
    received.push({
      path: req.url!,
      eventId: String(req.headers[EVENT_ID_HEADER]),
      body: JSON.parse(body),
      signatureValid: req.headers[SIGNATURE_HEADER] === sign(SECRETS[req.url!], timestamp, body),
    });
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  jobs = await startJobs(hub.webhooks);
});
afterAll(async () => {
  await jobs.stop();
  await new Promise((resolve) => receiver.close(resolve));
  await hub.close();
});

const REGISTER = `mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { id url eventKinds } }`;

async function register(who: PersonaName, path: string, eventKinds: string[]) {
  const res = await hub.gql(who, REGISTER, { input: { url: `${url}${path}`, eventKinds, secret: SECRETS[path] } });
  expect(res.errors).toBeUndefined();
  return res.data!.registerWebhook.id as string;
}

async function until(done: () => Promise<boolean> | boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test('a webhook needs a URL, kinds and a long secret', async () => {
  const bad = async (input: Record<string, unknown>) =>
    (await hub.gql('policeCounty', REGISTER, { input }))?.errors?.map((e) => e.extensions?.field);
  const ok = { url: `${url}/police`, eventKinds: ['CASE_REPORTED'], secret: SECRETS['/police'] };
  expect(await bad({ ...ok, url: 'ftp://example.org/hook' })).toEqual(['url']);
  expect(await bad({ ...ok, url: 'http://user:pw@127.0.0.1/hook' })).toEqual(['url']);
  expect(await bad({ ...ok, eventKinds: [] })).toEqual(['eventKinds']);
  expect(await bad({ ...ok, secret: 'short' })).toEqual(['secret']);
  const enterprise = await hub.gql('enterprise', REGISTER, { input: ok });
  expect(enterprise.errors?.[0].extensions?.code).toBe('FORBIDDEN');
});

test('every event reaches every subscription once, signed, after the receiver was down for a while', async () => {
  const police = await register('policeCounty', '/police', ['CASE_REPORTED', 'CASE_ACCEPTED']);
  const township = await register('civilTownshipA', '/township', ['CASE_REPORTED', 'CASE_ACCEPTED']);
  // Not a subscriber of these events: a township elsewhere.
  await hub.gql('civilTownshipB', REGISTER, {
    input: { url: `${url}/township`, eventKinds: ['CASE_REPORTED'], secret: SECRETS['/township'] },
  });

  const REPORT = `mutation($input: ReportConcernInput!) { reportConcern(input: $input) { receiptNumber } }`;
  for (let i = 0; i < 6; i++) {
    const res = await hub.gql('schoolReporter', REPORT, {
      input: {
        childName: `儿童${i}`,
        concernType: 'UNATTENDED',
        urgency: 'ROUTINE',
        regionCode: REGIONS.villageA,
        address: '西关村',
        reportingUnit: '城关镇中心小学',
        reporterContact: '0971-5551234',
        narrative: '无人照看',
      },
    });
    expect(res.errors).toBeUndefined();
  }
  const [{ id: caseId, version }] = await hub.on('casework')(
    `select id, version from casework.protection_case order by received_at limit 1`,
  );
  const accepted = await hub.gql(
    'policeCounty',
    `mutation($input: CaseStepInput!) { acceptReport(input: $input) { status } }`,
    { input: { caseId, version } },
  );
  expect(accepted.errors).toBeUndefined();

  const expected = async (department: string, kinds: string[]) =>
    (
      await hub.on('casework')(`select id from casework.outbox_event where department = ? and kind = any(?::text[])`, [
        department,
        pgArray(kinds),
      ])
    ).map((r) => String(r.id));
  const forPolice = await expected('PUBLIC_SECURITY', ['CASE_REPORTED', 'CASE_ACCEPTED']);
  const forTownship = await expected('CIVIL_AFFAIRS', ['CASE_REPORTED', 'CASE_ACCEPTED']);
  // Acceptance is news for the township, not for the police who accepted.
  expect(forPolice).toHaveLength(6);
  expect(forTownship).toHaveLength(7);

  const distinct = (path: string) => new Set(received.filter((r) => r.path === path).map((r) => r.eventId));
  await until(() => distinct('/police').size === 6 && distinct('/township').size === 7);
  // Let any retry still in flight land before counting.
  await new Promise((resolve) => setTimeout(resolve, 1500));

  expect(refused).toBeGreaterThan(0);
  expect([...distinct('/police')].sort()).toEqual(forPolice.sort());
  expect([...distinct('/township')].sort()).toEqual(forTownship.sort());
  expect(received.every((r) => r.signatureValid)).toBe(true);
  // Deduplicated by event id, each arrived once per subscription, and the township of B heard nothing.
  expect(received.filter((r) => r.path === '/township').every((r) => forTownship.includes(r.eventId))).toBe(true);
  // Ids and kinds only: the receiver asks the graph for the rest, with its own permissions.
  for (const { body } of received) {
    expect(Object.keys(body).sort()).toEqual(['caseId', 'id', 'kind', 'occurredAt', 'regionCode', 'subjectId']);
  }

  const log = await hub.gql(
    'policeCounty',
    `{ webhooks { id deliveries(first: 100) { eventId attempt delivered statusCode error } } }`,
  );
  const deliveries = log.data!.webhooks.find((w: { id: string }) => w.id === police).deliveries;
  expect(deliveries.filter((d: { delivered: boolean }) => d.delivered)).toHaveLength(distinct('/police').size);
  expect(deliveries.some((d: { delivered: boolean; attempt: number }) => !d.delivered)).toBe(true);
  expect(deliveries.some((d: { attempt: number }) => d.attempt > 1)).toBe(true);
  // Another account's webhooks are not listed, nor can it remove them.
  const other = await hub.gql('civilTownshipA', `{ webhooks { id } }`);
  expect(other.data!.webhooks.map((w: { id: string }) => w.id)).toEqual([township]);
  const steal = await hub.gql('civilTownshipA', `mutation { removeWebhook(id: "${police}") { id } }`);
  expect(steal.errors?.[0].extensions?.code).toBe('NOT_FOUND');
});

const REPORT = `mutation($input: ReportConcernInput!) { reportConcern(input: $input) { receiptNumber } }`;
async function report(childName: string) {
  const res = await hub.gql('schoolReporter', REPORT, {
    input: {
      childName,
      concernType: 'UNATTENDED',
      urgency: 'ROUTINE',
      regionCode: REGIONS.villageA,
      address: '西关村',
      reportingUnit: '城关镇中心小学',
      reporterContact: '0971-5551234',
      narrative: '无人照看',
    },
  });
  expect(res.errors).toBeUndefined();
  const [{ id }] = await hub.on('casework')(
    `select e.id from casework.outbox_event e join casework.protection_case c on c.id = e.case_id
        where c.receipt_number = ? and e.department = 'PUBLIC_SECURITY'`,
    [res.data!.reportConcern.receiptNumber],
  );
  return String(id);
}

type SealedRow = Sealed & { id: string; secret: string | null };
const sealedRows = async () =>
  (await hub.on('casework')(
    `select id, secret, secret_key_id as "keyId", secret_nonce as nonce, secret_sealed as sealed from casework.webhook`,
  )) as SealedRow[];

test('secrets are sealed at rest (AES-256-GCM), each bound to its webhook', async () => {
  const rows = await sealedRows();
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) {
    expect(row).toMatchObject({ secret: null, keyId: OLD_KEY.id });
    // Neither the secret nor any part of it is in the row.
    for (const secret of Object.values(SECRETS))
      expect(row.sealed.toString('latin1')).not.toContain(secret.slice(0, 8));
    expect(Object.values(SECRETS)).toContain(hub.webhooks.keys.open(row, row.id));
  }
  // Copied onto another webhook, a sealed secret does not open: it is bound to its own.
  expect(() => hub.webhooks.keys.open(rows[0], rows[1].id)).toThrow();
  // Nor under another key.
  expect(() => settingsWith([{ ...OLD_KEY, key: randomBytes(32) }]).keys.open(rows[0], rows[0].id)).toThrow();
});

test('a redirect is not followed: the signed event stays with the receiver it was meant for', async () => {
  const res = await hub.gql('policeCounty', REGISTER, {
    input: { url: `${url}/redirect`, eventKinds: ['CASE_REPORTED'], secret: SECRETS['/redirect'] },
  });
  const webhookId = res.data!.registerWebhook.id;
  const eventId = await report('儿童R');
  const attempts = async () =>
    (
      await hub.gql('policeCounty', `{ webhooks { id deliveries(first: 10) { eventId statusCode delivered error } } }`)
    ).data!.webhooks.find((w: { id: string }) => w.id === webhookId).deliveries as Record<string, unknown>[];
  await until(async () => (await attempts()).some((d) => d.eventId === eventId));
  expect((await attempts()).find((d) => d.eventId === eventId)).toEqual({
    eventId,
    statusCode: 302,
    delivered: false,
    error: 'HTTP 302: redirects are not followed',
  });
  expect(stolen).toBe(0);
  await hub.gql('policeCounty', `mutation { removeWebhook(id: "${webhookId}") { id } }`);
});

test('keys rotate without losing a subscription: the newest seals again at start, the old one may go', async () => {
  // A subscription from before secrets were sealed, still in plain text.
  const [legacy] = await hub.on('casework')(
    `insert into casework.webhook (account, department, region_code, url, event_kinds, secret, created_at)
     values ('test-public_security-630121', 'PUBLIC_SECURITY', '630121', ?, '{CASE_ACCEPTED}', ?, now()) returning id`,
    [`${url}/police`, SECRETS['/police']],
  );
  await jobs.stop();
  // The key ring lacks the key the secrets are sealed under: the start is refused, nothing lost.
  await expect(startJobs(settingsWith([NEW_KEY]))).rejects.toThrow(/keep its key in WEBHOOK_KEYS/);
  expect(await hub.count('casework.webhook', `secret_key_id = '${OLD_KEY.id}'`)).toBeGreaterThan(0);

  jobs = await startJobs(settingsWith([NEW_KEY, OLD_KEY]));
  const rows = await sealedRows();
  expect(rows.map((r) => [r.secret, r.keyId])).toEqual(rows.map(() => [null, NEW_KEY.id]));
  const resealed = rows.find((r) => r.id === legacy.id)!;
  expect(settingsWith([NEW_KEY]).keys.open(resealed, legacy.id)).toBe(SECRETS['/police']);

  // With the old key dropped, events still reach the police, signed with the secret they chose.
  await jobs.stop();
  jobs = await startJobs(settingsWith([NEW_KEY]));
  const eventId = await report('儿童K');
  await until(() => received.some((r) => r.eventId === eventId));
  expect(received.filter((r) => r.eventId === eventId).every((r) => r.signatureValid)).toBe(true);
});

test('a target no longer allowed when an event is delivered is not called', async () => {
  await jobs.stop();
  jobs = await startJobs(webhookSettings(new KeyRing([NEW_KEY]), ['https://hooks.example.org/hub/'], false));
  const eventId = await report('儿童A');
  const [hook] = await hub.on('casework')(
    `select id from casework.webhook where url = ? and active and 'CASE_REPORTED' = any(event_kinds)`,
    [`${url}/police`],
  );
  const attempt = async () =>
    (
      await hub.on('casework')(
        `select status_code, error from casework.webhook_delivery where event_id = ? and webhook_id = ?`,
        [eventId, hook.id],
      )
    )[0];
  await until(async () => (await attempt()) !== undefined);
  expect(await attempt()).toEqual({
    status_code: null,
    error: 'the target is no longer allowed (WEBHOOK_ALLOWED_URLS)',
  });
  expect(received.some((r) => r.eventId === eventId)).toBe(false);
});

describe('webhooks call only the targets the hub allows', () => {
  /** Casework as production runs it: targets under WEBHOOK_ALLOWED_URLS only, no loopback. */
  async function registerUnder(allowed: string[], target: string): Promise<GraphQLResponse> {
    const casework = new SubgraphRuntime(hub.subgraphs.get('casework')!, {
      identityHash: hub.identityHash,
      clock: systemClock,
      peers: hub.runtimes.get('casework')!.peers,
      webhooks: webhookSettings(new KeyRing([NEW_KEY]), allowed, false),
    });
    const http = await createHttpApp({
      verifyToken: hub.verifyToken,
      logger: pino({ level: 'silent' }),
      graph: { subgraph: casework },
      graphiql: false,
      introspection: false,
    });
    try {
      const res = await request(http.app)
        .post('/graphql')
        .set('authorization', `Bearer ${await hub.token(PERSONAS.policeCounty)}`)
        .set('x-purpose', DEFAULT_PURPOSE)
        .send({
          query: REGISTER,
          variables: { input: { url: target, eventKinds: ['CASE_REPORTED'], secret: SECRETS['/police'] } },
        });
      return { status: res.status, data: res.body.data, errors: res.body.errors };
    } finally {
      await http.stop();
    }
  }
  const refusal = (res: GraphQLResponse) => [res.errors?.[0].extensions?.code, res.errors?.[0].extensions?.field];

  test.each([
    ['the cloud metadata service', 'http://169.254.169.254/latest/meta-data/'],
    ['the database', 'http://127.0.0.1:5432/'],
    ['another path of the allowed host', 'https://hooks.example.org/admin'],
    ['a path climbing out of the allowed one', 'https://hooks.example.org/hub/../admin'],
    ['a host that only begins like the allowed one', 'https://hooks.example.org.evil.test/hub/x'],
    ['another port of the allowed host', 'https://hooks.example.org:8443/hub/x'],
    ['plain http to an https receiver', 'http://hooks.example.org/hub/x'],
  ])('in production, %s is refused as BAD_USER_INPUT', async (_what, target) => {
    const before = await hub.count('casework.webhook');
    const res = await registerUnder(['https://hooks.example.org/hub/'], target);
    expect(refusal(res)).toEqual(['BAD_USER_INPUT', 'url']);
    expect(res.errors![0].message).toMatch(/WEBHOOK_ALLOWED_URLS/);
    expect(await hub.count('casework.webhook')).toBe(before);
  });

  test('in production, a receiver under an allowed prefix is taken', async () => {
    const res = await registerUnder(['https://hooks.example.org/hub/'], 'https://hooks.example.org/hub/police');
    expect(res.errors).toBeUndefined();
    expect(res.data!.registerWebhook.url).toBe('https://hooks.example.org/hub/police');
    await hub.on('casework')(`delete from casework.webhook where id = ?`, [res.data!.registerWebhook.id]);
  });

  test('in development, loopback is allowed and nothing else unless named', async () => {
    const elsewhere = await hub.gql('policeCounty', REGISTER, {
      input: { url: 'https://hooks.example.org/hub/police', eventKinds: ['CASE_REPORTED'], secret: SECRETS['/police'] },
    });
    expect(refusal(elsewhere)).toEqual(['BAD_USER_INPUT', 'url']);
  });
});

test('in development the key is kept under the data directory, so subscriptions survive a restart; production has no fallback', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-data-'));
  try {
    const sealed = (await webhookSettingsFromConfig(loadConfig({ HUB_DATA_DIR: dataDir }))).keys.seal(
      SECRETS['/police'],
      'w',
    );
    const restarted = await webhookSettingsFromConfig(loadConfig({ HUB_DATA_DIR: dataDir }));
    expect(restarted.keys.open(sealed, 'w')).toBe(SECRETS['/police']);
    expect(fs.statSync(path.join(dataDir, 'keys', 'webhook-key')).mode & 0o777).toBe(0o600);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  // Casework served on its own in production, without WEBHOOK_KEYS: it does not start.
  const { WEBHOOK_KEYS: _keys, WEBHOOK_ALLOWED_URLS: _urls, ...withoutWebhooks } = PRODUCTION_ENV;
  const casework = loadConfig({ ...withoutWebhooks, HMAC_SECRET: 'x'.repeat(32) }, 'subgraph');
  await expect(webhookSettingsFromConfig(casework)).rejects.toThrow(
    /WEBHOOK_KEYS and WEBHOOK_ALLOWED_URLS are required/,
  );
});
