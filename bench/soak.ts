/**
 * Soak: `npm run bench:soak -- [--minutes 10] [--children N] [--connections N]`.
 * Loopback only, bounded by --minutes; not part of `npm test`.
 *
 * Serves the real hub over its own embedded PostgreSQL and keeps it under mixed load (360°
 * reads, county pages, guardians added) in slices of 30 s, printing throughput, errors and the
 * process's resident memory after each. Fails on any error, or when memory grows by more than
 * --max-growth between the end of the first slice (warm: code compiled, pools and caches
 * filled) and the end.
 */
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { seededDatabase, startBenchServer } from './lib/database';
import { CHILD_QUERY, PAGE_QUERY } from './lib/hand-written';
import { ADD_GUARDIAN, startHub } from './lib/hub';
import { failures, runLoad } from './lib/load';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    children: { type: 'string', default: '10000' },
    connections: { type: 'string', default: '16' },
    county: { type: 'string', default: '630121' },
    /** Allowed growth of resident memory from the first slice to the end, in percent. */
    'max-growth': { type: 'string', default: '20' },
  },
});
const SLICE_S = 30;
const MINUTES = Number(args.minutes);
if (!(MINUTES > 0)) throw new Error('--minutes must be a positive number');

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

async function main() {
  const server = await startBenchServer();
  let hub: Awaited<ReturnType<typeof startHub>> | undefined;
  let ok = true;
  try {
    const set = await seededDatabase(server.url, Number(args.children));
    console.log(set.report);
    const pool = new Pool({ connectionString: set.url, max: 1 });
    const rows = (
      await pool.query<{ id: string; region_code: string }>(
        `select id, region_code from registry.child where region_code like $1 order by random() limit 2000`,
        [`${args.county}%`],
      )
    ).rows;
    await pool.end();
    hub = await startHub(set.url, args.county);

    // 7 reads of one child, 2 pages, 1 write in 10 requests.
    let names = 0;
    const bodies = rows.flatMap(({ id, region_code }, i) => {
      const after = Buffer.from(`${region_code}:${id}`).toString('base64url');
      return [
        ...Array.from({ length: 7 }, () => JSON.stringify({ query: CHILD_QUERY, variables: { id } })),
        JSON.stringify({ query: PAGE_QUERY, variables: { first: 20, after } }),
        JSON.stringify({ query: PAGE_QUERY, variables: { first: 50, after } }),
        JSON.stringify({
          query: ADD_GUARDIAN,
          variables: { childId: rows[(i * 7) % rows.length].id, name: `浸泡${names++}` },
        }),
      ];
    });

    const slices = Math.max(1, Math.round((MINUTES * 60) / SLICE_S));
    const rssAtStart = process.memoryUsage().rss;
    let rssWarm = 0;
    let errors = 0;
    let requests = 0;
    console.log(`soak: ${slices} × ${SLICE_S} s, ${args.connections} connections; RSS at start ${mib(rssAtStart)} MiB`);
    for (let slice = 1; slice <= slices; slice++) {
      const r = await runLoad({
        url: hub.graphql,
        token: hub.token,
        bodies,
        duration: SLICE_S,
        connections: Number(args.connections),
      });
      const failed = failures(r);
      errors += failed;
      requests += r.total;
      const rss = process.memoryUsage().rss;
      if (slice === 1) rssWarm = rss;
      console.log(
        `  ${String(slice * SLICE_S).padStart(4)} s: ${r.rps.toFixed(0)} rps, p99 ${r.p99} ms, ${failed} errors` +
          `${r.firstError ? ` (first: ${r.firstError.slice(0, 200)})` : ''}; RSS ${mib(rss)} MiB, ` +
          `heap ${mib(process.memoryUsage().heapUsed)} MiB`,
      );
    }
    global.gc?.();
    const rssEnd = process.memoryUsage().rss;
    const growth = ((rssEnd - rssWarm) / rssWarm) * 100;
    console.log(
      `\n${requests} requests in ${slices * SLICE_S} s, ${errors} errors; RSS ${mib(rssAtStart)} MiB at start, ` +
        `${mib(rssWarm)} MiB after the first slice, ${mib(rssEnd)} MiB at the end (${growth >= 0 ? '+' : ''}${growth.toFixed(1)} %)`,
    );
    if (errors) {
      console.log('FAIL: errors under load');
      ok = false;
    }
    if (growth > Number(args['max-growth'])) {
      console.log(`FAIL: memory grew more than ${args['max-growth']} %`);
      ok = false;
    }
  } finally {
    await hub?.stop();
    await server.dispose();
  }
  console.log(ok ? 'soak passed' : 'soak FAILED');
  process.exit(ok ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
