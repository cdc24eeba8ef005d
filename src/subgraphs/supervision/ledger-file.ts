import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { LEDGER_COLUMNS, type LedgerRecord } from './census-ledger';

export type LedgerFormat = 'CSV' | 'XLSX';

export function formatOf(fileName: string): LedgerFormat | null {
  const ext = path.extname(fileName).toLowerCase();
  return ext === '.csv' ? 'CSV' : ext === '.xlsx' ? 'XLSX' : null;
}

/** Bytes read so far and the file's size, for progress and the time left. */
export interface ReadProgress {
  bytesRead: number;
  bytesTotal: number;
}

/** A problem with the file as a whole (not a row): no header, unknown or missing columns. */
export class LedgerFileError extends Error {}

function checkHeader(header: string[]): void {
  const names = header.map((h) => h.trim());
  const missing = LEDGER_COLUMNS.filter((c) => !names.includes(c));
  const unknown = names.filter((n) => n && !(LEDGER_COLUMNS as readonly string[]).includes(n));
  if (missing.length || unknown.length) {
    throw new LedgerFileError(
      [
        missing.length ? `missing columns: ${missing.join(', ')}` : '',
        unknown.length ? `unknown columns: ${unknown.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; '),
    );
  }
}

/** Counts and hashes the bytes passing through, without holding them. */
function meter(progress: ReadProgress, hash: ReturnType<typeof createHash>) {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      progress.bytesRead += chunk.length;
      hash.update(chunk);
      done(null, chunk);
    },
  });
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value) return String(value.text);
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    return '';
  }
  return String(value);
}

/**
 * The rows of a ledger file, streamed (csv-parse; exceljs' streaming workbook reader): a county's
 * file is never held in memory as a whole. Yields records keyed by column; `digest()` is the
 * file's SHA-256 once it has been read to the end.
 */
export function readLedger(file: string, format: LedgerFormat) {
  const progress: ReadProgress = { bytesRead: 0, bytesTotal: fs.statSync(file).size };
  const hash = createHash('sha256');
  const source = fs.createReadStream(file, { highWaterMark: 1 << 20 }).pipe(meter(progress, hash));
  async function* csvRecords(): AsyncGenerator<LedgerRecord> {
    const parser = source.pipe(
      parse({
        bom: true,
        columns: (header: string[]) => {
          checkHeader(header);
          return header.map((h) => h.trim());
        },
        skip_empty_lines: true,
        relax_column_count: true,
      }),
    );
    source.on('error', (err) => parser.destroy(err));
    for await (const record of parser) yield record as LedgerRecord;
  }
  async function* xlsxRecords(): AsyncGenerator<LedgerRecord> {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, {
      entries: 'emit',
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      styles: 'ignore',
      worksheets: 'emit',
    });
    let header: string[] | null = null;
    for await (const sheet of reader) {
      // The ledger is the first worksheet; further sheets (notes, instructions) are not rows.
      if (header) break;
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const values = (row.values as ExcelJS.CellValue[]).slice(1).map(cellText);
        if (!header) {
          checkHeader(values);
          header = values.map((v) => v.trim());
          continue;
        }
        if (values.every((v) => v.trim() === '')) continue;
        const record: Record<string, string> = {};
        header.forEach((name, i) => (record[name] = values[i] ?? ''));
        yield record as LedgerRecord;
      }
    }
    if (!header) throw new LedgerFileError('the first worksheet has no header row');
  }
  return {
    records: format === 'CSV' ? csvRecords() : xlsxRecords(),
    progress,
    digest: () => hash.digest('hex'),
  };
}
