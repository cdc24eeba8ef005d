import path from 'node:path';
import express, { type Router } from 'express';
import { mountPersonaBar, PERSONA_SCRIPT, type PersonaBarOptions } from './persona';

/** Chart.js comes from node_modules, like GraphiQL: the page makes no request off this server. */
const CHART_JS = path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js');

/** The province's supervision account, which sees every region of it under the STATISTICS purpose. */
const PERSONA: PersonaBarOptions = {
  defaults: { dept: 'SUPERVISION', region: '63', roles: ['reader'], purpose: 'STATISTICS' },
  fixedPurpose: 'STATISTICS',
  storageKey: 'dashboard',
};

/** What the dashboard asks: a region's statistics for a month and its trend over the year up to it. */
export const DASHBOARD_QUERY = `query Dashboard($code: ID!, $period: String!, $from: String!) {
  regionStatistics(code: $code, period: $period) {
    suppressed
    region { code name level parent { code name } }
    total { ...figures }
    parts { ...figures }
    conflicts { kind owner open }
    implementation { opinionIssued opinionDate mechanismEstablished mechanismDate }
  }
  statisticsTrend(code: $code, from: $from, to: $period) {
    month children leftBehind visits { percent } assistance { amount }
  }
}
fragment figures on RegionFigures {
  region { code name }
  children
  byCategory { category children }
  byArrangement { arrangement children }
  bothParentsAway withoutHukou outOfSchool openConflicts
  visits { due visited percent }
  assistance { reports workersCovered amount }
  openProtectionCases overdueTasks referralAnswers { percent } medianMinutesToAcceptance
}`;

const SCRIPT = `
const QUERY = ${JSON.stringify(DASHBOARD_QUERY)};
const $ = (id) => document.getElementById(id);
const charts = {};
const show = (v) => (v === null || v === undefined ? '<5' : String(v));
const monthOf = (d) => d.toISOString().slice(0, 7);

function tokenRegion(token) {
  try { return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).region || ''; }
  catch { return ''; }
}

// The persona bar where the hub signs development tokens; a pasted token elsewhere.
const persona = $('persona') && ${mountPersonaBar(PERSONA)};
const currentToken = () => (persona ? persona.token() : $('token').value.trim());

function startState() {
  const hash = new URLSearchParams(location.hash.slice(1));
  if (!persona) {
    if (hash.get('token')) localStorage.setItem('hub-token', hash.get('token'));
    $('token').value = localStorage.getItem('hub-token') || '';
  }
  $('region').value = hash.get('region') || '';
  $('period').value = hash.get('period') || monthOf(new Date());
}

async function gql(token, query, variables) {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token, 'x-purpose': 'STATISTICS' },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors && body.errors.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data;
}

function chart(id, config) {
  if (charts[id]) charts[id].destroy();
  charts[id] = new Chart($(id), { ...config, options: { animation: false, responsive: false, ...(config.options || {}) } });
}

function row(f, link) {
  const name = f.region.name || f.region.code;
  const cell = (v, key) => '<td data-field="' + key + '">' + show(v) + '</td>';
  const cat = (c) => f.byCategory.find((x) => x.category === c).children;
  return '<tr data-region="' + f.region.code + '">' +
    '<td>' + (link ? '<a href="#" data-drill="' + f.region.code + '">' + name + '</a>' : '<b>' + name + '</b>') + '</td>' +
    cell(f.children, 'children') + cell(cat('LEFT_BEHIND'), 'leftBehind') + cell(cat('IN_DISTRESS'), 'inDistress') +
    cell(f.bothParentsAway, 'bothParentsAway') + cell(f.withoutHukou, 'withoutHukou') + cell(f.outOfSchool, 'outOfSchool') +
    '<td data-field="coverage">' + (f.visits.percent === null ? '–' : f.visits.percent + ' %') + '</td>' +
    '<td data-field="assistance">' + f.assistance.amount + '</td>' + cell(f.openConflicts, 'openConflicts') +
    cell(f.openProtectionCases, 'openProtectionCases') + cell(f.overdueTasks, 'overdueTasks') +
    '<td data-field="referralsOnTime">' + (f.referralAnswers.percent === null ? '–' : f.referralAnswers.percent + ' %') + '</td>' +
    '<td data-field="minutesToAcceptance">' + (f.medianMinutesToAcceptance === null ? '–' : f.medianMinutesToAcceptance) + '</td></tr>';
}

async function load() {
  $('error').textContent = '';
  $('status').textContent = 'Loading…';
  const typed = $('region').value.trim();
  const period = $('period').value;
  const [y, m] = period.split('-').map(Number);
  const from = monthOf(new Date(Date.UTC(y, m - 12, 1)));
  location.hash = new URLSearchParams({ region: typed, period }).toString();
  try {
    const token = await currentToken();
    if (!token) throw new Error('Paste a token first.');
    // No region typed: the caller's own jurisdiction.
    const code = typed || tokenRegion(token);
    const data = await gql(token, QUERY, { code, period, from });
    const s = data.regionStatistics;
    const parent = s.region.parent;
    $('title').textContent = (s.region.name || s.region.code) + ' — ' + period;
    $('up').innerHTML = parent ? '<a href="#" data-drill="' + parent.code + '">↑ ' + parent.name + '</a>' : '';
    $('suppressed').textContent = s.suppressed ? 'Cells of fewer than 5 children are shown as <5.' : '';
    const impl = s.implementation;
    $('implementation').textContent = impl
      ? 'Implementing opinion: ' + (impl.opinionIssued ? 'issued ' + (impl.opinionDate || '') : 'not issued') +
        ' · coordination mechanism: ' + (impl.mechanismEstablished ? 'established ' + (impl.mechanismDate || '') : 'not established')
      : 'No implementation record for this province.';
    $('rows').innerHTML = s.parts.map((p) => row(p, s.region.code.length < 12)).join('') + row(s.total, false);
    $('conflicts').innerHTML = s.conflicts.map((c) => '<li>' + c.kind + ' (' + c.owner + '): ' + c.open + '</li>').join('') || '<li>none open</li>';
    const labels = s.parts.map((p) => p.region.name || p.region.code);
    const cat = (p, c) => p.byCategory.find((x) => x.category === c).children || 0;
    chart('byRegion', { type: 'bar', data: { labels, datasets: [
      { label: 'left behind', data: s.parts.map((p) => cat(p, 'LEFT_BEHIND')), backgroundColor: '#3b82f6' },
      { label: 'in distress', data: s.parts.map((p) => cat(p, 'IN_DISTRESS')), backgroundColor: '#f59e0b' },
    ] } });
    chart('arrangements', { type: 'doughnut', data: { labels: s.total.byArrangement.map((a) => a.arrangement),
      datasets: [{ data: s.total.byArrangement.map((a) => a.children || 0),
        backgroundColor: ['#10b981', '#6366f1', '#ef4444', '#9ca3af'] }] } });
    chart('coverage', { type: 'bar', data: { labels, datasets: [
      { label: 'visited within the schedule (%)', data: s.parts.map((p) => p.visits.percent), backgroundColor: '#10b981' },
    ] }, options: { scales: { y: { min: 0, max: 100 } } } });
    chart('trend', { type: 'line', data: { labels: data.statisticsTrend.map((t) => t.month), datasets: [
      { label: 'children', data: data.statisticsTrend.map((t) => t.children), borderColor: '#3b82f6' },
      { label: 'left behind', data: data.statisticsTrend.map((t) => t.leftBehind), borderColor: '#f59e0b' },
    ] } });
    $('status').textContent = 'Loaded';
    document.body.dataset.loaded = s.region.code;
  } catch (err) {
    $('status').textContent = '';
    $('error').textContent = err.message;
  }
}

document.addEventListener('click', (e) => {
  const code = e.target && e.target.dataset && e.target.dataset.drill;
  if (!code) return;
  e.preventDefault();
  $('region').value = code;
  load();
});
$('form').addEventListener('submit', (e) => {
  e.preventDefault();
  if (!persona) localStorage.setItem('hub-token', $('token').value.trim());
  load();
});
startState();
if (persona || $('token').value) load();
`;

const page = (personas: boolean) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Child Care Data Hub — dashboard</title>
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <style>
    body { font: 14px/1.4 system-ui, sans-serif; margin: 16px 24px; color: #111; }
    form { display: flex; gap: 8px; flex-wrap: wrap; align-items: end; }
    label { display: flex; flex-direction: column; font-size: 12px; color: #555; }
    input { font: inherit; padding: 4px 6px; }
    table { border-collapse: collapse; margin: 12px 0; }
    th, td { border-bottom: 1px solid #ddd; padding: 4px 10px; text-align: right; }
    th:first-child, td:first-child { text-align: left; }
    tr:last-child td { border-top: 2px solid #999; }
    .charts { display: grid; grid-template-columns: repeat(2, 480px); gap: 16px; }
    #error { color: #b91c1c; }
    .note { color: #555; font-size: 12px; }
  </style>
</head>
<body>
  ${personas ? '<div id="persona"></div>' : ''}
  <form id="form">
    ${personas ? '' : '<label>Token <input id="token" size="40" placeholder="npm run token -- --dept SUPERVISION --region 63" /></label>'}
    <label>Show region <input id="region" size="14" placeholder="own jurisdiction" /></label>
    <label>Month <input id="period" type="month" /></label>
    <button type="submit">Show</button>
    <span id="status" class="note"></span>
  </form>
  <h1 id="title">Statistics</h1>
  <div id="up"></div>
  <p id="error"></p>
  <p id="implementation" class="note"></p>
  <p id="suppressed" class="note"></p>
  <table>
    <thead><tr><th>Region</th><th>Children</th><th>Left behind</th><th>In distress</th><th>Both parents away</th>
      <th>Without hukou</th><th>Out of school</th><th>Visited on schedule</th><th>Enterprise assistance (yuan)</th><th>Open conflicts</th>
      <th>Open protection cases</th><th>Overdue steps</th><th>Referrals answered on time</th><th>Median minutes to acceptance</th></tr></thead>
    <tbody id="rows"></tbody>
  </table>
  <h2>Open conflicts</h2>
  <ul id="conflicts"></ul>
  <div class="charts">
    <canvas id="byRegion" width="480" height="260"></canvas>
    <canvas id="arrangements" width="480" height="260"></canvas>
    <canvas id="coverage" width="480" height="260"></canvas>
    <canvas id="trend" width="480" height="260"></canvas>
  </div>
  <script src="/dashboard/chart.js"></script>
  ${personas ? `<script src="${PERSONA_SCRIPT}"></script>` : ''}
  <script src="/dashboard/dashboard.js"></script>
</body>
</html>`;

/**
 * The statistics dashboard: one static page and its script, from this server only. The browser
 * calls /graphql as the persona chosen in the persona bar (with `personas`, where the hub signs
 * development tokens) or with the token the user pastes (kept in the browser's local storage),
 * declaring the STATISTICS purpose, so it sees exactly what the API gives that account.
 */
export function dashboardRouter(personas: boolean): Router {
  const router = express.Router();
  const html = page(personas);
  router.get('/dashboard', (_req, res) => {
    res.type('html').send(html);
  });
  router.get('/dashboard/chart.js', (_req, res) => res.sendFile(CHART_JS, { maxAge: '1d' }));
  router.get('/dashboard/dashboard.js', (_req, res) => res.type('js').send(SCRIPT));
  return router;
}
