/**
 * Memory of the running hub: `npm run bench:memory -- [--split] [--seconds 20] [--connections 32]`.
 * Linux only (reads /proc); loopback only; not part of `npm test`.
 *
 * Starts the hub as a user does (`npm start`, or `npm start -- --split`: every subgraph its own
 * process), on the demo data in a data directory of its own, and reports the memory of its
 * process tree when idle and under the benchmark's two loads in turn (the 360° read of a child,
 * then the county page of 50): resident (RSS, shared pages counted in every process) and
 * proportional (PSS, shared pages divided among the processes sharing them), Node and
 * PostgreSQL apart. Then stops it with SIGTERM.
 *
 * With DATABASE_URL set, the hub serves that database as `npm start` would (PostgreSQL is then
 * not in the process tree): e.g. the data set `npm run bench -- --data DIR` keeps, to measure the
 * hub at 1,000,000 children.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CHILD_QUERY, PAGE_QUERY, PURPOSE } from './lib/hand-written';
import { failures, runLoad } from './lib/load';

const { values: args } = parseArgs({
  options: {
    split: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '20' },
    connections: { type: 'string', default: '32' },
    port: { type: 'string', default: '4300' },
  },
});
const ROOT = path.join(__dirname, '..');
const BASE = `http://127.0.0.1:${args.port}`;
const PERSONA = { dept: 'CIVIL_AFFAIRS', region: '630121', roles: ['reader'] };
const PAGE_SIZE = 50;

interface Usage {
  processes: number;
  rssKiB: number;
  pssKiB: number;
}

const pssOf = (pid: string) => {
  try {
    return Number(/^Pss:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0; // ended meanwhile
  }
};

/** The memory of `root`'s descendants, Node (named MainThread from Node 24) and PostgreSQL apart; npm itself left out. */
function usageOf(root: number): { node: Usage; postgres: Usage } {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,comm='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/));
  const children = new Map<string, string[]>();
  for (const [pid, ppid] of rows) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const byPid = new Map(rows.map(([pid, , rss, comm]) => [pid, { rss: Number(rss), comm }]));
  const node: Usage = { processes: 0, rssKiB: 0, pssKiB: 0 };
  const postgres: Usage = { processes: 0, rssKiB: 0, pssKiB: 0 };
  const visit = (pid: string) => {
    for (const child of children.get(pid) ?? []) {
      const row = byPid.get(child)!;
      const usage = row.comm.startsWith('postgres')
        ? postgres
        : ['node', 'MainThread'].includes(row.comm)
          ? node
          : undefined;
      if (usage) {
        usage.processes++;
        usage.rssKiB += row.rss;
        usage.pssKiB += pssOf(child);
      }
      visit(child);
    }
  };
  visit(String(root));
  return { node, postgres };
}

const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
const show = ({ node, postgres }: ReturnType<typeof usageOf>) =>
  `Node ${node.processes} processes, RSS ${mib(node.rssKiB)}, PSS ${mib(node.pssKiB)}; ` +
  `PostgreSQL ${postgres.processes} processes, RSS ${mib(postgres.rssKiB)}, PSS ${mib(postgres.pssKiB)}`;

async function graphql(token: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${BASE}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-purpose': PURPOSE },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}

async function main() {
  if (os.platform() !== 'linux') throw new Error('bench:memory reads /proc: Linux only');
  const dataDir = process.env.DATABASE_URL ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'hub-memory-'));
  const hub = spawn('npm', ['start', ...(args.split ? ['--', '--split'] : [])], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...(dataDir ? { HUB_DATA_DIR: dataDir, EMBEDDED_PG_PORT: '54400' } : {}),
      PORT: args.port,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  try {
    const started = Date.now();
    for (;;) {
      if (hub.exitCode !== null) throw new Error(`npm start ended with ${hub.exitCode}`);
      if (
        await fetch(`${BASE}/readyz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (Date.now() - started > 300_000) throw new Error('the hub was not ready within 5 minutes');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    console.log(
      `${args.split ? 'split topology' : 'one process'}: ready after ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    console.log(`idle:       ${show(usageOf(hub.pid!))}`);

    const { token } = (await (
      await fetch(`${BASE}/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(PERSONA),
      })
    ).json()) as { token: string };
    const page = (await graphql(token, '{ children(first: 100) { edges { node { id } } } }')) as {
      children: { edges: { node: { id: string } }[] };
    };
    const childBodies = page.children.edges.map(({ node }) =>
      JSON.stringify({ query: CHILD_QUERY, variables: { id: node.id } }),
    );
    // The first pages of the county, each asked for by its cursor.
    const pageBodies: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      pageBodies.push(JSON.stringify({ query: PAGE_QUERY, variables: { first: PAGE_SIZE, after } }));
      const { children } = (await graphql(token, PAGE_QUERY, { first: PAGE_SIZE, after })) as {
        children: { pageInfo: { hasNextPage: boolean; endCursor: string | null } };
      };
      if (!children.pageInfo.hasNextPage) break;
      after = children.pageInfo.endCursor;
    }
    let peak = usageOf(hub.pid!);
    const sampler = setInterval(() => {
      const now = usageOf(hub.pid!);
      if (now.node.pssKiB + now.postgres.pssKiB > peak.node.pssKiB + peak.postgres.pssKiB) peak = now;
    }, 1000);
    for (const [label, bodies] of [
      ['child 360°', childBodies],
      [`county page of ${PAGE_SIZE}`, pageBodies],
    ] as const) {
      const result = await runLoad({
        url: `${BASE}/graphql`,
        token,
        bodies,
        duration: Number(args.seconds),
        connections: Number(args.connections),
      });
      if (failures(result)) throw new Error(`${label}: ${failures(result)} requests failed: ${result.firstError}`);
      console.log(`load:       ${label}, ${result.rps.toFixed(0)} rps, p50 ${result.p50} ms, p99 ${result.p99} ms`);
    }
    clearInterval(sampler);
    console.log(`under load: ${show(peak)} (the sample with the most PSS)`);
  } finally {
    process.kill(-hub.pid!, 'SIGTERM');
    await new Promise((resolve) => hub.once('exit', resolve));
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
