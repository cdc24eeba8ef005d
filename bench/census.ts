/**
 * The census ledger in and out: rows per second of `hub import census` (the same service the
 * command and the mutation run) on a generated county ledger of 100,000 rows, as CSV and as
 * XLSX, first into an empty registry, then the same file again (nothing to change), and of
 * `hub export ledger` back out in both formats. Its own database, migrated and with regions.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { Client, Pool } from 'pg';
import { generateLedger, ledgerCsv } from '../seeds/census-ledger';
import { ensureDatabase, withDatabase } from '../src/db/database';
import { systemClock } from '../src/clock';
import { startRuntimes } from '../src/hub';
import { importCensus, type CensusImportResult } from '../src/subgraphs/registry/census-import.service';
import { LEDGER_COLUMNS } from '../src/subgraphs/registry/census-ledger';
import { exportLedger } from '../src/subgraphs/registry/ledger-export.service';
import { BENCH_IDENTITY_HASH, openBenchSubgraphs, seconds, silent } from './lib/database';

const COUNTY = '630121';
const ACTOR = { actor: { sub: 'bench', dept: 'CIVIL_AFFAIRS', region: '' }, purpose: 'CASE_WORK', requestId: 'bench' };
const CIVIL = { sub: 'bench', dept: 'CIVIL_AFFAIRS' as const, region: COUNTY, roles: ['reader' as const] };

export interface CensusBenchResult {
  rows: number;
  importCsvRowsPerSecond: number;
  importCsvAgainRowsPerSecond: number;
  importXlsxRowsPerSecond: number;
  exportCsvRowsPerSecond: number;
  exportXlsxRowsPerSecond: number;
  csvBytes: number;
  xlsxBytes: number;
}

async function writeXlsx(file: string, records: Iterable<Record<string, string | undefined>>) {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useStyles: false,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('ledger');
  sheet.addRow([...LEDGER_COLUMNS]).commit();
  for (const r of records) sheet.addRow(LEDGER_COLUMNS.map((c) => r[c] ?? '')).commit();
  sheet.commit();
  await workbook.commit();
}

/** Counts lines (CSV) or bytes written, without keeping them. */
function counter() {
  let lines = 0;
  let bytes = 0;
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      done();
    },
  });
  return { stream, lines: () => lines, bytes: () => bytes };
}

export async function benchCensus(serverUrl: string, rows = 100_000): Promise<CensusBenchResult> {
  const name = 'bench_census';
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
  await ensureDatabase(serverUrl, name);
  const url = withDatabase(serverUrl, name);
  const subgraphs = await openBenchSubgraphs(url, {}, true);
  const { orm } = subgraphs.get('registry')!;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-census-bench-'));
  try {
    const pool = new Pool({ connectionString: url, max: 1 });
    const villages = (
      await pool.query<{ code: string }>(
        `select code from reference.region where length(code) = 12 and code like $1 order by code`,
        [`${COUNTY}%`],
      )
    ).rows.map((r) => r.code);
    await pool.end();

    const t = performance.now();
    const csv = path.join(dir, 'ledger.csv');
    await pipeline(Readable.from(ledgerCsv(generateLedger(villages, rows))), fs.createWriteStream(csv));
    const xlsx = path.join(dir, 'ledger.xlsx');
    await writeXlsx(xlsx, generateLedger(villages, rows));
    console.log(
      `census: generated a ${rows.toLocaleString('en-US')}-row ledger of county ${COUNTY} (${villages.length} villages) as CSV and XLSX in ${seconds(t).toFixed(1)} s`,
    );

    const run = async (file: string, format: 'CSV' | 'XLSX', label: string) => {
      const start = performance.now();
      const result: CensusImportResult = await importCensus(orm.em.fork(), ACTOR, {
        regionCode: COUNTY,
        source: {
          stream: fs.createReadStream(file, { highWaterMark: 1 << 20 }),
          bytes: fs.statSync(file).size,
          format,
        },
        fileName: path.basename(file),
        identityHash: BENCH_IDENTITY_HASH,
      });
      const s = seconds(start);
      if (result.status !== 'ACCEPTED')
        throw new Error(`${label}: ${result.status} ${JSON.stringify(result.rowErrors.slice(0, 5))}`);
      const rate = result.rowsTotal / s;
      console.log(
        `census import, ${label}: ${result.rowsTotal.toLocaleString('en-US')} rows in ${s.toFixed(1)} s = ${Math.round(rate).toLocaleString('en-US')} rows/s (created ${result.created}, updated ${result.updated}, unchanged ${result.unchanged})`,
      );
      return { rate, result };
    };
    const first = await run(csv, 'CSV', 'CSV into an empty registry');
    if (first.result.created !== rows) throw new Error(`created ${first.result.created}, not ${rows}`);
    const again = await run(csv, 'CSV', 'the same CSV again');
    if (again.result.created + again.result.updated !== 0) throw new Error('the same file changed something');
    const fromXlsx = await run(xlsx, 'XLSX', 'the same ledger as XLSX');
    if (fromXlsx.result.created + fromXlsx.result.updated !== 0)
      throw new Error('the XLSX ledger differs from the CSV');

    // The registry asks education for the enrolments the ledger does not hold: both run here.
    const running = await startRuntimes(subgraphs, {
      identityHash: BENCH_IDENTITY_HASH,
      clock: systemClock,
      logger: silent,
      urlOf: (name) => `http://127.0.0.1/subgraphs/${name}`, // never asked: every subgraph runs here
    });
    const exported = async (format: 'CSV' | 'XLSX') => {
      const out = counter();
      const start = performance.now();
      const ctx = running.runtimes
        .get('registry')!
        .contextFor({ principal: CIVIL, purpose: 'CASE_WORK', requestId: 'bench', token: '' });
      await exportLedger(ctx, COUNTY, format, out.stream);
      const s = seconds(start);
      if (format === 'CSV' && out.lines() !== rows + 1)
        throw new Error(`exported ${out.lines() - 1} rows, not ${rows}`);
      console.log(
        `census export, ${format}: ${rows.toLocaleString('en-US')} rows (${(out.bytes() / 1e6).toFixed(1)} MB) in ${s.toFixed(1)} s = ${Math.round(rows / s).toLocaleString('en-US')} rows/s`,
      );
      return rows / s;
    };
    const exportCsv = await exported('CSV');
    const exportXlsx = await exported('XLSX');
    await running.stop();
    return {
      rows,
      importCsvRowsPerSecond: first.rate,
      importCsvAgainRowsPerSecond: again.rate,
      importXlsxRowsPerSecond: fromXlsx.rate,
      exportCsvRowsPerSecond: exportCsv,
      exportXlsxRowsPerSecond: exportXlsx,
      csvBytes: fs.statSync(csv).size,
      xlsxBytes: fs.statSync(xlsx).size,
    };
  } finally {
    await Promise.all([...subgraphs.values()].map((s) => s.orm.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
