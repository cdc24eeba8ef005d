import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { LEDGER_COLUMNS, type LedgerColumn, type RowValues } from './census-ledger';

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

/** Checks the header and returns where each column is. */
function checkHeader(header: string[]): Record<LedgerColumn, number> {
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
  return Object.fromEntries(LEDGER_COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<LedgerColumn, number>;
}

const rowValues =
  (values: string[], at: Record<LedgerColumn, number>): RowValues =>
  (column) =>
    values[at[column]] ?? '';

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

/**
 * Cuts a byte stream only between UTF-8 characters. exceljs 4's streaming reader decodes each
 * chunk of a worksheet or the shared strings on its own, so a Chinese character split across
 * two chunks came out as two replacement characters (about one row in 2,000 of a large file).
 */
export async function* utf8Aligned(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of source) {
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let start = buf.length - 1;
    while (start > 0 && buf.length - start < 4 && (buf[start] & 0xc0) === 0x80) start--;
    const lead = buf[start] ?? 0;
    const size = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    const end = start >= 0 && buf.length - start < size ? start : buf.length;
    carry = buf.subarray(end);
    if (end > 0) yield buf.subarray(0, end);
  }
  if (carry.length) yield carry;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- exceljs' internal reader methods are untyped */
class Utf8WorkbookReader extends ExcelJS.stream.xlsx.WorkbookReader {
  _parseWorksheet(iterator: AsyncIterable<Buffer>, sheetNo: string) {
    return (ExcelJS.stream.xlsx.WorkbookReader.prototype as any)._parseWorksheet.call(
      this,
      utf8Aligned(iterator),
      sheetNo,
    );
  }
  _parseSharedStrings(entry: AsyncIterable<Buffer>) {
    return (ExcelJS.stream.xlsx.WorkbookReader.prototype as any)._parseSharedStrings.call(
      this,
      Readable.from(utf8Aligned(entry)),
    );
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */

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
  async function* csvRecords(): AsyncGenerator<RowValues> {
    // Rows as arrays (csv-parse builds no object per row); the header says where each column is.
    const parser = source.pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: true }));
    source.on('error', (err) => parser.destroy(err));
    let at: Record<LedgerColumn, number> | null = null;
    for await (const values of parser as AsyncIterable<string[]>) {
      if (!at) at = checkHeader(values);
      else yield rowValues(values, at);
    }
  }
  async function* xlsxRecords(): AsyncGenerator<RowValues> {
    const reader = new Utf8WorkbookReader(source, {
      entries: 'emit',
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      styles: 'ignore',
      worksheets: 'emit',
    });
    let at: Record<LedgerColumn, number> | null = null;
    for await (const sheet of reader) {
      // The ledger is the first worksheet; further sheets (notes, instructions) are not rows.
      if (at) break;
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const values = (row.values as ExcelJS.CellValue[]).slice(1).map(cellText);
        if (!at) {
          at = checkHeader(values);
          continue;
        }
        if (values.every((v) => v.trim() === '')) continue;
        yield rowValues(values, at);
      }
    }
    if (!at) throw new LedgerFileError('the first worksheet has no header row');
  }
  return {
    records: format === 'CSV' ? csvRecords() : xlsxRecords(),
    progress,
    digest: () => hash.digest('hex'),
  };
}
