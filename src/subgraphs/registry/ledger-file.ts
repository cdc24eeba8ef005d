import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { meter, readTable, TableFileError, type ReadProgress, type TableFormat } from '../../files/table-file';
import { LEDGER_COLUMNS, OPTIONAL_LEDGER_COLUMNS, type LedgerColumn, type RowValues } from './census-ledger';

export type LedgerFormat = TableFormat;

/** A problem with the file as a whole (not a row): no header, unknown or missing columns. */
export const LedgerFileError = TableFileError;

/** Checks the header and returns where each column is. */
function checkHeader(header: string[]): Record<LedgerColumn, number> {
  const names = header.map((h) => h.trim());
  const missing = LEDGER_COLUMNS.filter((c) => !names.includes(c) && !OPTIONAL_LEDGER_COLUMNS.includes(c));
  const unknown = names.filter((n) => n && !(LEDGER_COLUMNS as readonly string[]).includes(n));
  if (missing.length || unknown.length) {
    throw new TableFileError(
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

/** A ledger file as the import reads it: its bytes, their number, and its format. */
export interface LedgerSource {
  stream: Readable;
  bytes: number;
  format: LedgerFormat;
}

/**
 * The rows of a ledger file, streamed: a county's file is never held in memory as a whole.
 * Yields records keyed by column; `digest()` is the file's SHA-256 once it has been read to the end.
 */
export function readLedger({ stream, bytes, format }: LedgerSource) {
  const progress: ReadProgress = { bytesRead: 0, bytesTotal: bytes };
  const hash = createHash('sha256');
  const source = stream.pipe(meter(progress, hash));
  stream.on('error', (err) => source.destroy(err));
  async function* records(): AsyncGenerator<RowValues> {
    let at: Record<LedgerColumn, number> | null = null;
    for await (const { values } of readTable(source, format)) {
      if (!at) at = checkHeader(values);
      else yield rowValues(values, at);
    }
  }
  return { records: records(), progress, digest: () => hash.digest('hex') };
}
