import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { systemClock } from '../src/clock';
import { startCaseworkJobs, type CaseworkJobs } from '../src/subgraphs/casework/jobs';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, sign, TIMESTAMP_HEADER } from '../src/subgraphs/casework/webhooks';
import { startTestHub, type TestHub } from './helpers/hub';
import { REGIONS, type PersonaName } from './helpers/personas';
import { pgArray } from '../src/db/pg-array';

interface Received {
  path: string;
  eventId: string;
  body: Record<string, unknown>;
  signatureValid: boolean;
}

const SECRETS: Record<string, string> = {
  '/police': 'police-county-webhook-secret-0001',
  '/township': 'township-a-webhook-secret-000002',
};
/** The receiver is down (503, or the connection dropped) for its first seconds, then takes everything. */
const DOWN_MS = 3000;

let hub: TestHub;
let jobs: CaseworkJobs;
let receiver: Server;
let url: string;
let firstRequestAt = 0;
let refused = 0;
const received: Received[] = [];

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => resolve(body));
  });

beforeAll(async () => {
  hub = await startTestHub();
  receiver = createServer(async (req, res) => {
    const body = await readBody(req);
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
  jobs = await startCaseworkJobs(
    hub.subgraphs.get('casework')!.db.url,
    hub.orm('casework'),
    systemClock,
    pino({ level: 'silent' }),
    {
      pollingIntervalSeconds: 0.5,
      retryDelaySeconds: 1,
    },
  );
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
