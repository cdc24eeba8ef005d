import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { ledger, villagesOf } from './helpers/census';
import { startTestHub, type TestHub } from './helpers/hub';
import { registerLedger } from './helpers/ledger';
import { REGIONS, type Persona } from './helpers/personas';

/**
 * The dashboard in a real browser (Debian's chromium, headless, driven by playwright-core): it
 * renders the figures the API gives the same account, drills down to a township, draws its
 * charts with the chart.js this server serves, and asks nothing of any other host.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.resolve(__dirname, '../test-artifacts');
const supervision: Persona = { dept: 'SUPERVISION', region: REGIONS.province, roles: ['reader'] };
const period = new Date().toISOString().slice(0, 7);

let hub: TestHub;
let server: Server;
let base: string;
let context: BrowserContext;
let userDataDir: string;
const requested: string[] = [];

const STATISTICS = `query($code: ID!, $period: String!) {
  regionStatistics(code: $code, period: $period) { parts { region { code } children } total { children } }
}`;

beforeAll(async () => {
  hub = await startTestHub();
  for (const [township, count, first] of [
    [REGIONS.townshipA, 24, 0],
    [REGIONS.townshipB, 3, 500],
  ] as const) {
    await registerLedger(hub, 'civilCounty', ledger((await villagesOf(hub, township)).slice(0, 3), count, first));
  }
  server = await new Promise<Server>((resolve) => {
    const s = hub.http.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1100, height: 1400 },
  });
  context.on('request', (request) => requested.push(request.url()));
});

afterAll(async () => {
  await context?.close();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  await new Promise((resolve) => server?.close(resolve));
  await hub?.close();
});

async function apiFigures(code: string) {
  const res = await hub.gql<{ regionStatistics: { parts: { region: { code: string }; children: number | null }[] } }>(
    supervision,
    STATISTICS,
    { code, period },
    { purpose: 'STATISTICS' },
  );
  return res.data!.regionStatistics;
}

test('the dashboard shows the API’s figures, drills down, draws its charts, and stays on this server', async () => {
  const page = await context.newPage();
  const token = await hub.token(supervision);
  await page.goto(`${base}/dashboard#${new URLSearchParams({ token, region: REGIONS.county, period })}`);
  await page.waitForSelector(`body[data-loaded="${REGIONS.county}"]`, { timeout: 20_000 });

  const county = await apiFigures(REGIONS.county);
  for (const part of county.parts) {
    const shown = await page.textContent(`tr[data-region="${part.region.code}"] td[data-field="children"]`);
    expect([part.region.code, shown]).toEqual([
      part.region.code,
      part.children === null ? '<5' : String(part.children),
    ]);
  }
  // Township B has 3 children: suppressed for supervision, in the API and on the page alike.
  expect(await page.textContent(`tr[data-region="${REGIONS.townshipB}"] td[data-field="children"]`)).toBe('<5');
  expect(
    await page.evaluate(
      () => Object.keys((window as unknown as { Chart: { instances: object } }).Chart.instances).length,
    ),
  ).toBe(4);

  await page.click(`a[data-drill="${REGIONS.townshipA}"]`);
  await page.waitForSelector(`body[data-loaded="${REGIONS.townshipA}"]`, { timeout: 20_000 });
  const township = await apiFigures(REGIONS.townshipA);
  for (const part of township.parts) {
    const shown = await page.textContent(`tr[data-region="${part.region.code}"] td[data-field="children"]`);
    expect([part.region.code, shown]).toEqual([
      part.region.code,
      part.children === null ? '<5' : String(part.children),
    ]);
  }
  expect(await page.textContent('#error')).toBe('');

  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, 'dashboard.png');
  await page.screenshot({ path: file, fullPage: true });
  expect(fs.statSync(file).size).toBeGreaterThan(10_000);

  expect(requested.length).toBeGreaterThan(0);
  const elsewhere = requested.filter((url) => new URL(url).host !== new URL(base).host);
  expect(elsewhere).toEqual([]);
  expect(requested).toEqual(expect.arrayContaining([`${base}/dashboard/chart.js`, `${base}/graphql`]));
});
