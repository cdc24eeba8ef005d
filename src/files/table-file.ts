import type { Hash } from 'node:crypto';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { parse } from 'csv-parse';
import type ExcelJS from 'exceljs';

/** The spreadsheet files the hub takes in and gives out: CSV with a header row, or XLSX. */
export type TableFormat = 'CSV' | 'XLSX';

export function formatOf(fileName: string): TableFormat | null {
  const ext = path.extname(fileName).toLowerCase();
  return ext === '.csv' ? 'CSV' : ext === '.xlsx' ? 'XLSX' : null;
}

/** Bytes read so far and the file's size (0 when unknown), for progress and the time left. */
export interface ReadProgress {
  bytesRead: number;
  bytesTotal: number;
}

/** A problem with the file as a whole (not a row): no header, unknown or missing columns. */
export class TableFileError extends Error {}

/** Counts (and, given a hash, hashes) the bytes passing through, without holding them. */
export function meter(progress: ReadProgress, hash?: Hash) {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      progress.bytesRead += chunk.length;
      hash?.update(chunk);
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

/**
 * exceljs, loaded where a spreadsheet is read or written rather than with this module: with what
 * it needs it is some 600 modules, which every process of the hub would otherwise hold whether
 * it ever sees a spreadsheet or not (tests/lean-processes.test.ts).
 */
export async function excel(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}

type WorkbookReader = typeof ExcelJS.stream.xlsx.WorkbookReader;
let utf8WorkbookReader: Promise<WorkbookReader> | undefined;

/** exceljs' streaming reader, fed whole UTF-8 characters (`utf8Aligned`). */
function utf8Reader(): Promise<WorkbookReader> {
  utf8WorkbookReader ??= excel().then(({ stream }) => {
    const Reader = stream.xlsx.WorkbookReader;
    /* eslint-disable @typescript-eslint/no-explicit-any -- exceljs' internal reader methods are untyped */
    return class Utf8WorkbookReader extends Reader {
      _parseWorksheet(iterator: AsyncIterable<Buffer>, sheetNo: string) {
        return (Reader.prototype as any)._parseWorksheet.call(this, utf8Aligned(iterator), sheetNo);
      }
      _parseSharedStrings(entry: AsyncIterable<Buffer>) {
        return (Reader.prototype as any)._parseSharedStrings.call(this, Readable.from(utf8Aligned(entry)));
      }
    };
    /* eslint-enable @typescript-eslint/no-explicit-any */
  });
  return utf8WorkbookReader;
}

/** A cell as the text a person sees in it; dates as YYYY-MM-DD. */
export function cellText(value: ExcelJS.CellValue): string {
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

/** One row of a table file: its number as a spreadsheet shows it (the header is row 1) and its cells. */
export interface TableRow {
  row: number;
  values: string[];
}

/**
 * The rows of a CSV file or of an XLSX file's first worksheet, streamed (csv-parse; exceljs'
 * streaming workbook reader): a file is never held in memory as a whole. The header row comes
 * first; rows whose cells are all empty are skipped.
 */
export async function* readTable(source: Readable, format: TableFormat): AsyncGenerator<TableRow> {
  if (format === 'CSV') {
    // Rows as arrays (csv-parse builds no object per row).
    const parser = source.pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: true }));
    source.on('error', (err) => parser.destroy(err));
    let row = 0;
    for await (const values of parser as AsyncIterable<string[]>) yield { row: ++row, values };
    return;
  }
  const Utf8WorkbookReader = await utf8Reader();
  const reader = new Utf8WorkbookReader(source, {
    entries: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    // A date is a number in a cell with a date format: without the styles it reads as 46037.
    styles: 'cache',
    worksheets: 'emit',
  });
  let rows = 0;
  for await (const sheet of reader) {
    // The table is the first worksheet; further sheets (notes, instructions) are not rows.
    if (rows) break;
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      const values = (row.values as ExcelJS.CellValue[]).slice(1).map(cellText);
      if (values.every((v) => v.trim() === '')) continue;
      rows += 1;
      yield { row: row.number, values };
    }
  }
  if (!rows) throw new TableFileError('the first worksheet has no header row');
}
