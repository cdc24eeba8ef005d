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
import { Client, Pool, type PoolClient } from 'pg';
import { generateLedger, ledgerCsv } from '../seeds/census-ledger';
import { ensureDatabase, withDatabase } from '../src/db/database';
import { importCensus, type CensusImportResult } from '../src/subgraphs/supervision/census-import.service';
import { LEDGER_COLUMNS } from '../src/subgraphs/supervision/census-ledger';
import { detectConflicts } from '../src/subgraphs/supervision/conflict.service';
import { exportLedger } from '../src/subgraphs/supervision/ledger-export.service';
import { openBenchSubgraphs, seconds } from './lib/database';

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
  const { orm } = subgraphs.get('supervision')!;
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

    let t = performance.now();
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
        file,
        fileName: path.basename(file),
        format,
        detectConflicts: false,
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
    t = performance.now();
    const client = new Client({ connectionString: url });
    await client.connect();
    const found = await detectConflicts(client as unknown as PoolClient, COUNTY);
    await client.end();
    console.log(
      `census: conflict detection over the county (run after an import): ${seconds(t).toFixed(1)} s, ${found.opened} tasks`,
    );
    const fromXlsx = await run(xlsx, 'XLSX', 'the same ledger as XLSX');
    if (fromXlsx.result.created + fromXlsx.result.updated !== 0)
      throw new Error('the XLSX ledger differs from the CSV');

    const exported = async (format: 'CSV' | 'XLSX') => {
      const out = counter();
      const start = performance.now();
      await exportLedger(orm.em.fork(), CIVIL, 'CASE_WORK', COUNTY, format, out.stream, 'bench');
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
