import { createHash } from 'node:crypto';
import type { IdentityHash } from '../../auth/identity-hash';
import { MASKS } from '../../policy/masks';
import { parseIdNumber } from '../../domain/id-number';
import { today } from '../input';
import { isIsoDate } from '../scalars';
import type { AssistanceKind } from './assistance-report.entity';
import type { AssistanceReportInput } from './enterprise.generated';

export const MAX_BATCH = 5_000;
export const MAX_WORKERS_PER_REPORT = 500;
const CLIENT_KEY = /^[A-Za-z0-9._:-]{1,64}$/;
const AMOUNT = /^(\d{1,10})(?:\.(\d{1,2}))?$/;

/** Whether a kind takes an amount: required, optional, or not at all. */
const AMOUNT_RULE: Record<AssistanceKind, 'required' | 'optional' | 'none'> = {
  PARENT_SCHOOL: 'none',
  SITE_LECTURE: 'none',
  REUNION_TRAVEL: 'optional',
  HARDSHIP_AID: 'required',
  LONG_TERM_ASSISTANCE: 'optional',
  FLEXIBLE_LEAVE: 'none',
};

export interface WorkerId {
  /** The full number: used only while the request runs, to find registered guardians. */
  idNumber: string;
  hash: string;
  masked: string;
}

/** A report that passed every check, in the form it is stored. */
export interface CheckedReport {
  clientKey: string;
  kind: AssistanceKind;
  date: string;
  amount: string | null;
  notes: string | null;
  workers: WorkerId[];
  contentHash: string;
}

export interface RowError {
  /** 1 for the first row. */
  row: number;
  field: string;
  reason: string;
}

/** What a retry must repeat exactly: everything but the client key, which names the report. */
export function contentHash(
  report: Pick<CheckedReport, 'kind' | 'date' | 'amount' | 'notes'>,
  workers: Pick<WorkerId, 'hash'>[],
): string {
  const content = [report.kind, report.date, report.amount, report.notes, workers.map((w) => w.hash).sort()];
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/** "1200.5" → "1200.50"; null when it is not a positive amount of yuan with at most two decimals. */
function normaliseAmount(value: string): string | null {
  const match = AMOUNT.exec(value.trim());
  if (!match) return null;
  const yuan = match[1].replace(/^0+(?=\d)/, '');
  const fen = (match[2] ?? '').padEnd(2, '0');
  return yuan === '0' && fen === '00' ? null : `${yuan}.${fen}`;
}

/**
 * Checks every row and reports every problem (row, field, reason), so that a client fixes a
 * rejected batch in one pass. Identity numbers become keyed hashes and masked forms here.
 */
export function checkReports(
  inputs: readonly AssistanceReportInput[],
  hash: IdentityHash,
): { reports: CheckedReport[]; errors: RowError[] } {
  const reports: CheckedReport[] = [];
  const errors: RowError[] = [];
  const rowOfKey = new Map<string, number>();
  const now = today();
  inputs.forEach((input, i) => {
    const row = i + 1;
    const fail = (field: string, reason: string) => errors.push({ row, field, reason });
    const before = errors.length;

    if (!CLIENT_KEY.test(input.clientKey)) fail('clientKey', 'must be 1 to 64 letters, digits, ".", "_", ":" or "-"');
    else if (rowOfKey.has(input.clientKey))
      fail('clientKey', `repeats the key of row ${rowOfKey.get(input.clientKey)}`);
    else rowOfKey.set(input.clientKey, row);

    if (!isIsoDate(input.date)) fail('date', `"${input.date}" is not a date (YYYY-MM-DD)`);
    else if (input.date > now) fail('date', 'must not be in the future');

    const rule = AMOUNT_RULE[input.kind];
    const given = input.amount != null && input.amount.trim() !== '';
    const amount = given ? normaliseAmount(input.amount!) : null;
    if (given && rule === 'none') fail('amount', `does not apply to ${input.kind}`);
    else if (given && amount === null) fail('amount', 'must be a positive amount of yuan with at most two decimals');
    else if (!given && rule === 'required') fail('amount', `is required for ${input.kind}`);

    const notes = input.notes?.trim() || null;
    if (notes && notes.length > 500) fail('notes', 'must be at most 500 characters');

    const numbers = input.workerIdNumbers.map((n) => n.trim().toUpperCase());
    if (numbers.length === 0) fail('workerIdNumbers', 'at least one worker is required');
    if (numbers.length > MAX_WORKERS_PER_REPORT) {
      fail('workerIdNumbers', `at most ${MAX_WORKERS_PER_REPORT} workers per report`);
    }
    const seen = new Map<string, number>();
    numbers.slice(0, MAX_WORKERS_PER_REPORT).forEach((n, w) => {
      const facts = parseIdNumber(n);
      if ('error' in facts) fail(`workerIdNumbers[${w}]`, facts.error);
      else if (seen.has(n)) fail(`workerIdNumbers[${w}]`, `repeats workerIdNumbers[${seen.get(n)}]`);
      else seen.set(n, w);
    });

    if (errors.length > before) return;
    const workers = numbers.map((idNumber) => ({
      idNumber,
      hash: hash(idNumber),
      masked: MASKS.idNumber(idNumber) as string,
    }));
    const report = { clientKey: input.clientKey, kind: input.kind, date: input.date, amount, notes };
    reports.push({ ...report, workers, contentHash: contentHash(report, workers) });
  });
  return { reports, errors };
}
