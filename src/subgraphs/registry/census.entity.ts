import { EntitySchema } from '@mikro-orm/core';
import { jurisdictionFilter, regionCodeColumn } from '../../policy/jurisdiction';

export type ImportStatus = 'RUNNING' | 'ACCEPTED' | 'REJECTED' | 'FAILED';

export interface RowError {
  /** 1 for the first data row (the header is row 0). */
  row: number;
  column: string;
  reason: string;
}

/** One census file taken in: its progress while it runs, then its outcome. */
export interface CensusImport {
  id: string;
  /** The region the file is for: the row's jurisdiction. */
  regionCode: string;
  account: string;
  dept: string;
  fileName: string;
  fileHash: string | null;
  status: ImportStatus;
  rowsTotal: number;
  rowsDone: number;
  created: number;
  updated: number;
  unchanged: number;
  rowErrors: RowError[];
  message: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

export const CensusImportSchema = new EntitySchema<CensusImport>({
  name: 'CensusImport',
  tableName: 'census_import',
  schema: 'registry',
  filters: { jurisdiction: jurisdictionFilter },
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    regionCode: regionCodeColumn,
    account: { type: 'string', length: 200 },
    dept: { type: 'string', length: 24 },
    fileName: { type: 'string', length: 255 },
    fileHash: { type: 'string', length: 64, nullable: true },
    status: { type: 'string', length: 12 },
    rowsTotal: { type: 'integer', default: 0 },
    rowsDone: { type: 'integer', default: 0 },
    created: { type: 'integer', default: 0 },
    updated: { type: 'integer', default: 0 },
    unchanged: { type: 'integer', default: 0 },
    rowErrors: { type: 'json', default: '[]' },
    message: { type: 'text', nullable: true },
    startedAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
    finishedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
  },
});

/** What one import changed of one child's record (the registry's triggers keep the old rows). */
export interface CensusChange {
  importId: string;
  childId: string;
  regionCode: string;
  op: 'CREATE' | 'UPDATE';
  fields: string[];
}

export const CensusChangeSchema = new EntitySchema<CensusChange>({
  name: 'CensusChange',
  tableName: 'census_change',
  schema: 'registry',
  filters: { jurisdiction: jurisdictionFilter },
  properties: {
    importId: { type: 'uuid', primary: true },
    childId: { type: 'uuid', primary: true },
    regionCode: regionCodeColumn,
    op: { type: 'string', length: 8 },
    fields: { type: 'string[]', columnType: 'text[]' },
  },
});

export type Schooling = 'IN_SCHOOL' | 'NOT_IN_SCHOOL' | 'PRESCHOOL';

/** The census ledger's own facts about a child that no department's record holds. */
export interface LedgerEntry {
  childId: string;
  regionCode: string;
  schooling: Schooling;
  schoolName: string | null;
  importId: string;
  updatedAt: Date;
}

export const LedgerEntrySchema = new EntitySchema<LedgerEntry>({
  name: 'LedgerEntry',
  tableName: 'ledger_entry',
  schema: 'registry',
  filters: { jurisdiction: jurisdictionFilter },
  properties: {
    childId: { type: 'uuid', primary: true },
    regionCode: regionCodeColumn,
    schooling: { type: 'string', length: 16 },
    schoolName: { type: 'string', length: 200, nullable: true },
    importId: { type: 'uuid' },
    updatedAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});

export const CENSUS_ENTITIES = [CensusImportSchema, CensusChangeSchema, LedgerEntrySchema];
