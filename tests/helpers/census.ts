import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { generateLedger, ledgerCsv } from '../../seeds/census-ledger';
import type { LedgerRecord } from '../../src/subgraphs/registry/census-ledger';
import type { TestHub } from './hub';
import type { Persona, PersonaName } from './personas';

export const IMPORT = `mutation($input: ImportCensusInput!) {
  importCensus(input: $input) { id status region { code } }
}`;
export const IMPORT_STATUS = `query($id: ID!) {
  censusImport(id: $id) {
    id status rowsDone percent rowsTotal created updated unchanged noChange message
    rowErrors { row column reason }
    changes(first: 1000) { child { id } op fields }
  }
}`;

export interface ImportOutcome {
  id: string;
  status: string;
  rowsDone: number;
  percent: number;
  rowsTotal: number;
  created: number;
  updated: number;
  unchanged: number;
  noChange: boolean;
  message: string | null;
  rowErrors: { row: number; column: string; reason: string }[];
  changes: { child: { id: string }; op: string; fields: string[] }[];
}

export const csvOf = (records: LedgerRecord[]) => [...ledgerCsv(records)].join('');

/** The villages of a township, from the region reference. */
export async function villagesOf(hub: TestHub, township: string): Promise<string[]> {
  const rows = await hub.sql<{ code: string }>(
    `select code from reference.region where parent_code = $1 order by code`,
    [township],
  );
  return rows.map((r) => r.code);
}

export const ledger = (villages: string[], count: number, first = 0) => [...generateLedger(villages, count, 7, first)];

/** Starts an import and waits for its outcome, asking for its progress like a client would. */
export async function importAndWait(
  hub: TestHub,
  who: PersonaName | Persona,
  input: Record<string, unknown>,
): Promise<ImportOutcome> {
  const started = await hub.gql<{ importCensus: { id: string; status: string } }>(who, IMPORT, { input });
  if (!started.data?.importCensus) throw new Error(`import refused: ${JSON.stringify(started.errors)}`);
  const { id } = started.data.importCensus;
  for (;;) {
    const res = await hub.gql<{ censusImport: ImportOutcome }>(who, IMPORT_STATUS, { id });
    const outcome = res.data?.censusImport;
    if (!outcome) throw new Error(`no import ${id}: ${JSON.stringify(res.errors)}`);
    if (outcome.status !== 'RUNNING') return outcome;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Downloads a ledger export through the link the query gives, as `who` with `purpose`. */
export async function download(hub: TestHub, who: PersonaName | Persona, url: string, purpose = 'CASE_WORK') {
  return request(hub.http.app)
    .get(url)
    .set('authorization', `Bearer ${await hub.token(who)}`)
    .set('x-purpose', purpose)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
}

export const parseCsv = (body: Buffer): LedgerRecord[] =>
  parse(body.toString('utf8'), { bom: true, columns: true, skip_empty_lines: true });

/**
 * Plants a ledger row with both parents working away and nobody entrusted with the child (a
 * conflict for civil affairs); the child is then left behind, as the rules say (its distress,
 * if any, stays).
 */
export function bothParentsAwayWithoutEntrusted(row: LedgerRecord): LedgerRecord {
  return Object.assign(row, {
    father_working_away: 'Y',
    father_work_region: '3205',
    mother_working_away: 'Y',
    mother_work_region: '3205',
    guardianship: 'PARENTS',
    entrusted_name: '',
    entrusted_relation: '',
    entrusted_phone: '',
    categories: ['LEFT_BEHIND', ...(row.distress_reasons ? ['IN_DISTRESS'] : [])].join(';'),
  });
}
