import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import type { Page } from 'playwright-core';
import { readSupergraph } from '../src/gateway/supergraph';
import { createGateway } from '../src/gateway/gateway';
import { createHttpApp, type HubHttp } from '../src/http/app';
import { ARTIFACTS, openBrowser, type Browser } from './helpers/browser';
import { csvOf, importAndWait, ledger, villagesOf } from './helpers/census';
import { startTestHub, type TestHub } from './helpers/hub';
import { REGIONS, type Persona } from './helpers/personas';

/**
 * The dashboard in a real browser (Debian's chromium, headless, driven by playwright-core): it
 * renders the figures the API gives the same account, drills down to a township, draws its
 * charts with the chart.js this server serves, and asks nothing of any other host. It acts as
 * the persona chosen in the persona bar, or, where the hub signs no development tokens, with a
 * pasted token.
 */
const supervision: Persona = { dept: 'SUPERVISION', region: REGIONS.province, roles: ['reader'] };
const period = new Date().toISOString().slice(0, 7);

let hub: TestHub;
let browser: Browser;
let base: string;
/** The same hub as one that signs no development tokens (a configured key set, or production). */
let withoutDevTokens: HubHttp;
let baseWithoutDevTokens: string;
/** The regions the pages asked statistics of. */
const asked: string[] = [];

const STATISTICS = `query($code: ID!, $period: String!) {
  regionStatistics(code: $code, period: $period) { parts { region { code } children } total { children } }
}`;

beforeAll(async () => {
  hub = await startTestHub();
  for (const [township, count, first] of [
    [REGIONS.townshipA, 24, 0],
    [REGIONS.townshipB, 3, 500],
  ] as const) {
    const rows = ledger((await villagesOf(hub, township)).slice(0, 3), count, first);
    const outcome = await importAndWait(hub, 'civilCounty', { regionCode: township, csv: csvOf(rows) });
    expect(outcome.status).toBe('ACCEPTED');
  }
  withoutDevTokens = await createHttpApp({
    verifyToken: hub.verifyToken,
    logger: pino({ level: 'silent' }),
    graph: { gateway: createGateway({ supergraphSdl: readSupergraph(), local: hub.runtimes }), local: hub.runtimes },
    graphiql: true,
    introspection: true,
  });
  browser = await openBrowser();
  base = await browser.serve(hub.http.app);
  baseWithoutDevTokens = await browser.serve(withoutDevTokens.app);
  browser.context.on('request', (request) => {
    if (request.url().endsWith('/graphql') && request.method() === 'POST') {
      asked.push(request.postDataJSON().variables?.code);
    }
  });
});

afterAll(async () => {
  await browser?.close();
  await withoutDevTokens?.stop();
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

async function expectApiFigures(page: Page, code: string) {
  for (const part of (await apiFigures(code)).parts) {
    const shown = await page.textContent(`tr[data-region="${part.region.code}"] td[data-field="children"]`);
    expect([part.region.code, shown]).toEqual([
      part.region.code,
      part.children === null ? '<5' : String(part.children),
    ]);
  }
}

const loaded = (page: Page, code: string) => page.waitForSelector(`body[data-loaded="${code}"]`, { timeout: 20_000 });

test('as the persona bar’s province supervision, the dashboard shows the API’s figures, drills down and draws its charts', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${base}/dashboard#${new URLSearchParams({ region: REGIONS.county, period })}`);
  await loaded(page, REGIONS.county);
  expect(await page.textContent('.hub-persona output')).toBe('acting as SUPERVISION · 63 · reader · STATISTICS');

  await expectApiFigures(page, REGIONS.county);
  // Township B has 3 children: suppressed for supervision, in the API and on the page alike.
  expect(await page.textContent(`tr[data-region="${REGIONS.townshipB}"] td[data-field="children"]`)).toBe('<5');
  expect(
    await page.evaluate(
      () => Object.keys((window as unknown as { Chart: { instances: object } }).Chart.instances).length,
    ),
  ).toBe(4);

  await page.click(`a[data-drill="${REGIONS.townshipA}"]`);
  await loaded(page, REGIONS.townshipA);
  await expectApiFigures(page, REGIONS.townshipA);
  expect(await page.textContent('#error')).toBe('');

  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, 'dashboard.png');
  await page.screenshot({ path: file, fullPage: true });
  expect(fs.statSync(file).size).toBeGreaterThan(10_000);
  await page.close();
});

test('with the region left empty, the dashboard shows the persona’s own jurisdiction', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${base}/dashboard`);
  await loaded(page, REGIONS.province);
  // The persona becomes the county's civil affairs (a typed code); the next Show acts as it.
  await page.selectOption('.hub-persona select[name=dept]', 'CIVIL_AFFAIRS');
  await page.fill('.hub-persona input[name=region]', REGIONS.county);
  await page.press('.hub-persona input[name=region]', 'Enter');
  await page.waitForSelector(
    `.hub-persona output:text-is("acting as CIVIL_AFFAIRS · ${REGIONS.county} · reader · STATISTICS")`,
  );
  expect(await page.inputValue('#region')).toBe('');
  await page.click('#form button[type=submit]');
  await loaded(page, REGIONS.county);
  expect(await page.textContent('#title')).toBe(`大通回族土族自治县 — ${period}`);
  expect(await page.textContent('#error')).toBe('');
  expect(asked).not.toContain('');
  await page.close();
});

test('where the hub signs no development tokens, the dashboard takes a pasted token and shows its jurisdiction', async () => {
  const page = await browser.context.newPage();
  const token = await hub.token({ ...supervision, region: REGIONS.county });
  await page.goto(`${baseWithoutDevTokens}/dashboard#${new URLSearchParams({ token, period })}`);
  await loaded(page, REGIONS.county);
  expect(await page.$('#persona')).toBeNull();
  expect(await page.textContent('#error')).toBe('');
  await expectApiFigures(page, REGIONS.county);
  await page.close();
});

test('the dashboard, its script, chart.js and the persona bar come from this server only', () => {
  expect(browser.requested.length).toBeGreaterThan(0);
  expect(browser.elsewhere()).toEqual([]);
  expect(browser.requested).toEqual(
    expect.arrayContaining([`${base}/dashboard/chart.js`, `${base}/dev/persona.js`, `${base}/graphql`]),
  );
});
