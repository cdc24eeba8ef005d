import fs from 'node:fs';
import path from 'node:path';
import { decodeJwt } from 'jose';
import type { Page } from 'playwright-core';
import { ARTIFACTS, openBrowser, type Browser } from './helpers/browser';
import { registerChild, startTestHub, type TestHub } from './helpers/hub';
import { REGIONS, type Persona } from './helpers/personas';

/**
 * GraphiQL in a real browser: the persona bar signs in as any department (the region picked
 * province by province), the next run carries its token and purpose, the docs and the explorer
 * plugin work, and nothing is asked of any other host.
 */
let hub: TestHub;
let browser: Browser;
let base: string;
let page: Page;
/** The GraphQL requests the page sent: what they asked, as whom and why. */
const sent: { query: string; claims: Record<string, unknown>; purpose?: string }[] = [];

const educationTownship: Persona = { dept: 'EDUCATION', region: REGIONS.townshipA, roles: ['reader', 'writer'] };
const MASKED_ID = /^\d{6}\*{8}\d{3}[\dX]$/;

beforeAll(async () => {
  hub = await startTestHub();
  // Two children in township A, one in township B (outside the township persona's jurisdiction).
  for (const village of [REGIONS.villageA, REGIONS.villageA, REGIONS.villageB]) await registerChild(hub, {}, village);
  browser = await openBrowser();
  base = await browser.serve(hub.http.app);
  page = await browser.context.newPage();
  page.on('request', (request) => {
    const auth = request.headers().authorization;
    if (!request.url().endsWith('/graphql') || request.method() !== 'POST' || !auth) return;
    const claims = decodeJwt(auth.replace(/^Bearer /, ''));
    sent.push({ query: request.postDataJSON().query, claims, purpose: request.headers()['x-purpose'] });
  });
  await page.goto(`${base}/graphql`);
  await page.waitForSelector('.hub-persona output[data-state=ready]', { timeout: 20_000 });
});

afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

const RESULT = '.result-window .CodeMirror';
const QUERY_EDITOR = '.graphiql-query-editor .CodeMirror';

/** The text of a GraphiQL editor (CodeMirror 5), once `done` holds for it. */
async function editorText(selector: string, done: (text: string) => boolean = () => true): Promise<string> {
  for (;;) {
    const text = await page.$eval(selector, (el) =>
      (el as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue(),
    );
    if (done(text)) return text;
    await page.waitForTimeout(100);
  }
}

/** Runs the operation in the editor and returns the response GraphiQL shows. */
async function run() {
  const before = await editorText(RESULT);
  await page.click('.graphiql-execute-button');
  return JSON.parse(await editorText(RESULT, (text) => text !== before && /"(data|errors)"/.test(text)));
}

const demoRuns = () => sent.filter((r) => r.query.includes('query DemoChildren'));

test('GraphiQL starts as its default persona, so the docs explorer shows the schema', async () => {
  expect(await page.textContent('.hub-persona output')).toBe(
    'acting as CIVIL_AFFAIRS · 630121 · reader+writer · CASE_WORK',
  );
  // The introspection GraphiQL sent on load carried the default persona's token.
  expect(sent.find((r) => r.query.includes('__schema'))?.claims).toMatchObject({
    dept: 'CIVIL_AFFAIRS',
    region: '630121',
  });
  await page.click('[aria-label="Show Documentation Explorer"]');
  await page.click('.graphiql-doc-explorer a:text-is("Query")');
  await page.waitForSelector('.graphiql-doc-explorer a:text-is("children")');
});

test('EDUCATION in a township, picked through the regions: the demo query shows masked identity numbers', async () => {
  await page.selectOption('.hub-persona select[name=dept]', 'EDUCATION');
  await page.click('.hub-persona summary');
  for (const [level, code] of [
    ['province', REGIONS.province],
    ['city', REGIONS.county.slice(0, 4)],
    ['county', REGIONS.county],
    ['township', REGIONS.townshipA],
  ]) {
    const select = `.hub-persona select[aria-label=${level}]`;
    await page.waitForSelector(`${select} option[value="${code}"]`, { state: 'attached' });
    await page.selectOption(select, code);
  }
  expect(await page.inputValue('.hub-persona input[name=region]')).toBe(REGIONS.townshipA);
  await page.waitForSelector(
    `.hub-persona output:text-is("acting as EDUCATION · ${REGIONS.townshipA} · reader+writer · CASE_WORK")`,
  );
  // Choosing the persona ran nothing.
  expect(demoRuns()).toEqual([]);

  const shown = await run();
  expect(demoRuns()).toHaveLength(1);
  expect(demoRuns()[0]).toMatchObject({ claims: educationTownship, purpose: 'CASE_WORK' });
  const api = await hub.gql(educationTownship, demoRuns()[0].query);
  expect(shown).toEqual({ data: api.data, ...(api.errors ? { errors: api.errors } : {}) });
  const children = shown.data.children;
  expect(children.totalCount).toBe(2);
  for (const { node } of children.edges) expect(node.idNumber).toMatch(MASKED_ID);

  // Another purpose: again nothing runs until asked, and STATISTICS never shows identity numbers.
  await page.selectOption('.hub-persona select[name=purpose]', 'STATISTICS');
  await page.waitForSelector('.hub-persona output[data-state=ready]');
  expect(demoRuns()).toHaveLength(1);
  const statistics = await run();
  expect(demoRuns()[1].purpose).toBe('STATISTICS');
  expect(statistics.errors.map((e: { path: unknown[] }) => e.path.at(-1))).toContain('idNumber');
  expect(statistics.data.children.edges.map((e: { node: { idNumber: unknown } }) => e.node.idNumber)).toEqual([
    null,
    null,
  ]);
});

test('the explorer adds a ticked field to the query', async () => {
  await page.selectOption('.hub-persona select[name=purpose]', 'CASE_WORK');
  await page.click('[aria-label="Show GraphiQL Explorer"]');
  // Under children › edges › node, expanded since the query selects them.
  await page.click('.graphiql-explorer-root [data-field-name="age"]');
  await editorText(QUERY_EDITOR, (text) => /^\s+age$/m.test(text));
  const shown = await run();
  for (const { node } of shown.data.children.edges) expect(node.age).toEqual(expect.any(Number));

  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'graphiql.png') });
});

test('the page, GraphiQL, its explorer and the persona bar come from this server only', () => {
  expect(browser.elsewhere()).toEqual([]);
  expect(browser.requested).toEqual(
    expect.arrayContaining(
      ['/graphiql/graphiql.js', '/graphiql/explorer.js', '/dev/persona.js', '/dev/token', '/graphql'].map(
        (p) => `${base}${p}`,
      ),
    ),
  );
});
