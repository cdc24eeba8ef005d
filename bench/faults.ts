/**
 * The database stopped under load: `npm run bench:faults -- [--children N] [--outage S]`.
 * Loopback only, bounded in time (about a minute); not part of `npm test`.
 *
 * Serves the real hub over its own embedded PostgreSQL, keeps it busy with reads (the 360°
 * child query) and writes (addGuardian) from concurrent clients, stops the database, starts it
 * again, and checks:
 *   - /readyz answers 503 while the database is down and 200 again after, within two seconds each;
 *   - requests fail fast (well under the clients' 10 s timeout) with SERVICE_UNAVAILABLE (HTTP 503);
 *   - the hub recovers by itself: requests succeed again once the database is back;
 *   - every write the hub acknowledged is in the database afterwards.
 * Exits non-zero when a check fails.
 */
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { seededDatabase, startBenchServer } from './lib/database';
import { CHILD_QUERY, PURPOSE } from './lib/hand-written';
import { ADD_GUARDIAN, startHub } from './lib/hub';

const { values: args } = parseArgs({
  options: {
    children: { type: 'string', default: '5000' },
    outage: { type: 'string', default: '10' },
    clients: { type: 'string', default: '16' },
    county: { type: 'string', default: '630121' },
  },
});
const OUTAGE_S = Number(args.outage);
const CLIENTS = Number(args.clients);
const CLIENT_TIMEOUT_MS = 10_000;

interface Outcome {
  at: number;
  ms: number;
  kind: 'read' | 'write';
  ok: boolean;
  status: number;
  code?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const server = await startBenchServer();
  let hub: Awaited<ReturnType<typeof startHub>> | undefined;
  const checks: { name: string; ok: boolean; detail: string }[] = [];
  const check = (name: string, ok: boolean, detail: string) => {
    checks.push({ name, ok, detail });
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${detail}`);
  };
  try {
    const set = await seededDatabase(server.url, Number(args.children));
    console.log(set.report);
    const pool = new Pool({ connectionString: set.url, max: 2 });
    pool.on('error', () => {}); // its idle clients lose the server during the outage
    const ids = (
      await pool.query<{ id: string }>(`select id from registry.child where region_code like $1 limit 500`, [
        `${args.county}%`,
      ])
    ).rows.map((r) => r.id);
    hub = await startHub(set.url, args.county);
    const { graphql, base, token } = hub;

    // The clients: each loops read, read, write, ... until told to stop.
    const outcomes: Outcome[] = [];
    const acknowledged: string[] = [];
    let running = true;
    const started = performance.now();
    const now = () => performance.now() - started;
    let sequence = 0;
    const client = async (n: number) => {
      for (let i = 0; running; i++) {
        const write = i % 3 === 2;
        const childId = ids[(n * 31 + i) % ids.length];
        const body = write
          ? { query: ADD_GUARDIAN, variables: { childId, name: `故障测试${++sequence}` } }
          : { query: CHILD_QUERY, variables: { id: childId } };
        const t = now();
        const outcome: Outcome = { at: t, ms: 0, kind: write ? 'write' : 'read', ok: false, status: 0 };
        try {
          const res = await fetch(graphql, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-purpose': PURPOSE },
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
          });
          outcome.status = res.status;
          const json = (await res.json()) as {
            data?: { addGuardian?: { id: string } | null; child?: unknown };
            errors?: { extensions?: { code?: string } }[];
          };
          outcome.code = json.errors?.[0]?.extensions?.code;
          outcome.ok = res.status === 200 && !json.errors;
          if (outcome.ok && write && json.data?.addGuardian?.id) acknowledged.push(json.data.addGuardian.id);
        } catch (err) {
          outcome.code = (err as Error).name === 'TimeoutError' ? 'CLIENT_TIMEOUT' : 'SOCKET_ERROR';
        }
        outcome.ms = now() - t;
        outcomes.push(outcome);
        if (!outcome.ok) await sleep(50); // a failing client retries, but does not spin
      }
    };
    const ready = async () => {
      const t = performance.now();
      const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) }).catch(() => null);
      return { status: res?.status ?? 0, ms: performance.now() - t };
    };
    const clients = Array.from({ length: CLIENTS }, (_, n) => client(n));

    // 1. Database up.
    await sleep(5_000);
    const before = outcomes.length;
    check(
      'healthy: requests succeed',
      outcomes.every((o) => o.ok),
      `${before} requests, ${outcomes.filter((o) => !o.ok).length} failed`,
    );
    check('healthy: /readyz 200', (await ready()).status === 200, 'ready');

    // 2. Database stopped under load.
    const stopAt = now();
    await server.stop();
    console.log(`database stopped at ${(stopAt / 1000).toFixed(1)} s`);
    let readyDown: { status: number; ms: number } | undefined;
    for (let s = 0; s < OUTAGE_S; s++) {
      await sleep(1_000);
      const r = await ready();
      readyDown ??= r.status === 503 ? r : undefined;
      if (s === OUTAGE_S - 1) readyDown ??= r;
    }
    const startAt = now();
    const during = outcomes.filter((o) => o.at > stopAt + 1_000 && o.at + o.ms < startAt);
    const failed = during.filter((o) => !o.ok);
    const codes = [...new Set(failed.map((o) => `${o.status} ${o.code}`))].join(', ');
    const slowest = Math.max(0, ...failed.map((o) => o.ms));
    check(
      'down: /readyz 503',
      readyDown?.status === 503,
      `status ${readyDown?.status} in ${readyDown?.ms.toFixed(0)} ms`,
    );
    check(
      'down: requests fail',
      during.length > 0 && failed.length === during.length,
      `${failed.length} of ${during.length} failed`,
    );
    check(
      'down: with a clear code',
      failed.length > 0 && failed.every((o) => o.status === 503 && o.code === 'SERVICE_UNAVAILABLE'),
      codes || '-',
    );
    check(
      'down: fast (slowest failure under 6 s, no client timeout)',
      slowest < 6_000,
      `slowest ${slowest.toFixed(0)} ms, median ${median(failed.map((o) => o.ms)).toFixed(0)} ms`,
    );

    // 3. Database back.
    await server.start();
    console.log(`database started again at ${(startAt / 1000).toFixed(1)} s`);
    let recoveredAt: number | undefined;
    for (let waited = 0; waited < 30_000 && recoveredAt === undefined; waited += 250) {
      await sleep(250);
      if ((await ready()).status === 200) recoveredAt = now();
    }
    check(
      'back: /readyz 200 by itself',
      recoveredAt !== undefined,
      `after ${((recoveredAt ?? now()) - startAt).toFixed(0)} ms`,
    );
    await sleep(5_000);
    const settled = outcomes.filter((o) => o.at > now() - 3_000);
    check(
      'back: requests succeed again',
      settled.length > 0 && settled.every((o) => o.ok),
      `${settled.filter((o) => o.ok).length} of ${settled.length} in the last 3 s`,
    );

    running = false;
    await Promise.all(clients);

    // 4. Every acknowledged write is there.
    const { rows } = await pool.query<{ n: number }>(
      `select count(*)::int as n from registry.guardian where id = any($1::uuid[])`,
      [acknowledged],
    );
    check(
      'acknowledged writes all present',
      rows[0].n === acknowledged.length,
      `${rows[0].n} of ${acknowledged.length} acknowledged guardians found`,
    );
    const writes = outcomes.filter((o) => o.kind === 'write');
    console.log(
      `\n${outcomes.length} requests (${writes.length} writes, ${writes.filter((o) => o.ok).length} acknowledged)`,
    );
    await pool.end();
  } finally {
    await hub?.stop();
    await server.dispose();
  }
  const failedChecks = checks.filter((c) => !c.ok);
  console.log(failedChecks.length ? `\n${failedChecks.length} checks FAILED` : `\nall ${checks.length} checks passed`);
  process.exit(failedChecks.length ? 1 : 0);
}

const median = (xs: number[]) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
