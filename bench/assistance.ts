/**
 * Batch import of assistance reports: rows per second of a 5,000-row `reportAssistanceBatch`
 * through the real HTTP server and gateway. Each round is a new enterprise (registered by civil
 * affairs through the API) with fresh client keys and workers, a tenth of them parents of demo
 * children, so its first batch takes the whole path: checks, keyed hashes, new workers, registry
 * lookup, links, reports. The same batch is then sent again, as after a dropped connection, and
 * a next batch (new keys, the same workers) as a month later.
 */
import { randomInt } from 'node:crypto';
import type { Pool } from 'pg';
import type { SigningKey } from '../src/auth/keys';
import { signToken } from '../src/auth/token';
import { DEV_AUDIENCE, DEV_ISSUER } from '../src/config';
import { makeCreditCode } from '../src/subgraphs/enterprise/credit-code';
import { makeIdNumber } from '../src/domain/id-number';

const REGION = '320505';
const KINDS = ['PARENT_SCHOOL', 'SITE_LECTURE', 'REUNION_TRAVEL', 'HARDSHIP_AID', 'FLEXIBLE_LEAVE'] as const;

const REGISTER = `mutation($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { creditCode } }`;
const BATCH = `mutation($rows: [AssistanceReportInput!]!) {
  reportAssistanceBatch(rows: $rows) {
    __typename
    ... on AssistanceBatchAccepted { written duplicates receipts { clientKey reportId duplicate } }
    ... on AssistanceBatchRejected { rowErrors { row field reason } }
  }
}`;

interface BatchAnswer {
  __typename: string;
  written?: number;
  duplicates?: number;
}

export interface AssistanceBenchOptions {
  /** The hub's /graphql URL. */
  url: string;
  key: SigningKey;
  /** The benchmark's database, for identity numbers of demo parents. */
  pool: Pool;
  rows?: number;
  rounds?: number;
}

export interface AssistanceBenchResult {
  rows: number;
  /** Median over the rounds of a first import: every worker new to the enterprise. */
  rowsPerSecond: number;
  rounds: number[];
  /** Median over the rounds of a second batch with new keys and the same workers. */
  knownWorkersRowsPerSecond: number;
  /** Median over the rounds of the same batch sent again (all rows already recorded). */
  replayRowsPerSecond: number;
  requestBytes: number;
}

async function post(url: string, token: string, query: string, variables: unknown) {
  const body = JSON.stringify({ query, variables });
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'x-purpose': 'ASSISTANCE_REPORTING',
    },
    body,
  });
  const json = (await res.json()) as { data?: Record<string, BatchAnswer>; errors?: unknown[] };
  const seconds = (performance.now() - started) / 1000;
  if (json.errors || !json.data) throw new Error(`${res.status}: ${JSON.stringify(json.errors ?? json).slice(0, 500)}`);
  return { data: json.data, seconds, bytes: body.length };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

export async function benchAssistanceBatch(options: AssistanceBenchOptions): Promise<AssistanceBenchResult> {
  const { url, key, pool, rows = 5_000, rounds = 3 } = options;
  const civil = await signToken(key, DEV_ISSUER, DEV_AUDIENCE, {
    dept: 'CIVIL_AFFAIRS',
    region: REGION,
    roles: ['reader', 'writer'],
  });
  const parents = (
    await pool.query<{ id_number: string }>(
      `select distinct id_number from registry.guardian where working_away and id_number is not null limit $1`,
      [Math.ceil(rows / 10)],
    )
  ).rows.map((r) => r.id_number);
  const workerOf = (i: number) =>
    i % 10 === 0 && parents.length
      ? parents[(i / 10) % parents.length]
      : makeIdNumber('411302', `19${70 + (i % 30)}-0${1 + (i % 9)}-1${i % 10}`, i >> 4, i % 2 ? 'MALE' : 'FEMALE');
  const run = randomInt(1_000_000);
  const batchOf = (prefix: string) =>
    Array.from({ length: rows }, (_, i) => {
      const kind = KINDS[i % KINDS.length];
      return {
        clientKey: `${prefix}-${i}`,
        kind,
        date: '2026-05-01',
        workerIdNumbers: [workerOf(i)],
        amount: kind === 'HARDSHIP_AID' ? `${500 + (i % 50) * 10}.00` : null,
        notes: kind === 'SITE_LECTURE' ? '工地讲堂' : null,
      };
    });
  const send = async (token: string, batch: unknown[], expect: 'written' | 'duplicates') => {
    const { data, seconds, bytes } = await post(url, token, BATCH, { rows: batch });
    const result = data.reportAssistanceBatch;
    if (result.__typename !== 'AssistanceBatchAccepted' || result[expect] !== rows) {
      throw new Error(`batch not ${expect} in full: ${JSON.stringify(result).slice(0, 500)}`);
    }
    return { perSecond: rows / seconds, seconds, bytes };
  };

  const firstImports: number[] = [];
  const replays: number[] = [];
  const knownWorkers: number[] = [];
  let bytes = 0;
  for (let round = 1; round <= rounds; round++) {
    const creditCode = makeCreditCode(REGION, run * 100 + round);
    await post(url, civil, REGISTER, {
      input: {
        creditCode,
        name: `基准测试电子厂${run}-${round}`,
        regionCode: REGION,
        labourIntensive: true,
        contactName: '王经理',
        contactPhone: '0512-66668888',
      },
    });
    const token = await signToken(key, DEV_ISSUER, DEV_AUDIENCE, {
      dept: 'ENTERPRISE',
      region: REGION,
      roles: ['reader', 'writer'],
      enterprise: creditCode,
    });
    const batch = batchOf(`bench-${run}-${round}`);
    const first = await send(token, batch, 'written');
    const replay = await send(token, batch, 'duplicates');
    const known = await send(token, batchOf(`bench-${run}-${round}-next`), 'written');
    firstImports.push(first.perSecond);
    replays.push(replay.perSecond);
    knownWorkers.push(known.perSecond);
    bytes = first.bytes;
    console.log(
      `  round ${round}: ${rows} rows of new workers in ${first.seconds.toFixed(2)} s = ${first.perSecond.toFixed(0)} rows/s; ` +
        `replayed in ${replay.seconds.toFixed(2)} s; of known workers in ${known.seconds.toFixed(2)} s`,
    );
  }
  const result = {
    rows,
    rowsPerSecond: median(firstImports),
    rounds: firstImports,
    knownWorkersRowsPerSecond: median(knownWorkers),
    replayRowsPerSecond: median(replays),
    requestBytes: bytes,
  };
  console.log(
    `assistance batch import (${rows} rows, ${(bytes / 1024).toFixed(0)} KiB, median of ${rounds}): ` +
      `${result.rowsPerSecond.toFixed(0)} rows/s with every worker new, ` +
      `${result.knownWorkersRowsPerSecond.toFixed(0)} rows/s with known workers, ` +
      `${result.replayRowsPerSecond.toFixed(0)} rows/s replaying a recorded batch`,
  );
  return result;
}
