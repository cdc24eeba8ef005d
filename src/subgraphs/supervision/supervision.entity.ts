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
  schema: 'supervision',
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
  schema: 'supervision',
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
  schema: 'supervision',
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

export type ConflictKind =
  | 'DROPPED_OUT_BUT_IN_SCHOOL'
  | 'WITHOUT_HUKOU'
  | 'CUSTODIAN_AWAY_WITHOUT_ENTRUSTED_GUARDIAN'
  | 'CUSTODIAN_IN_TWO_COUNTIES';
export type ConflictStatus = 'OPEN' | 'RESOLVED';

/** A disagreement between departments' records, as a task for the unit that owns the fix. */
export interface ConflictTask {
  id: string;
  kind: ConflictKind;
  childId: string;
  regionCode: string;
  owner: string;
  detail: string;
  status: ConflictStatus;
  detectedAt: Date;
  resolvedAt: Date | null;
}

export const ConflictTaskSchema = new EntitySchema<ConflictTask>({
  name: 'ConflictTask',
  tableName: 'conflict_task',
  schema: 'supervision',
  filters: { jurisdiction: jurisdictionFilter },
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    kind: { type: 'string', length: 64 },
    childId: { type: 'uuid' },
    regionCode: regionCodeColumn,
    owner: { type: 'string', length: 24 },
    detail: { type: 'text' },
    status: { type: 'string', length: 10, default: 'OPEN' },
    detectedAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
    resolvedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
  },
});

/** A province's implementing opinion and coordination mechanism. */
export interface ProvincialImplementation {
  /** The province's 2-digit code: the row's jurisdiction. */
  regionCode: string;
  opinionIssued: boolean;
  opinionDate: string | null;
  mechanismEstablished: boolean;
  mechanismDate: string | null;
  notes: string | null;
  updatedBy: string;
  updatedAt: Date;
}

export const ProvincialImplementationSchema = new EntitySchema<ProvincialImplementation>({
  name: 'ProvincialImplementation',
  tableName: 'provincial_implementation',
  schema: 'supervision',
  filters: { jurisdiction: jurisdictionFilter },
  properties: {
    regionCode: { ...regionCodeColumn, primary: true },
    opinionIssued: { type: 'boolean', default: false },
    opinionDate: { type: 'date', nullable: true },
    mechanismEstablished: { type: 'boolean', default: false },
    mechanismDate: { type: 'date', nullable: true },
    notes: { type: 'text', nullable: true },
    updatedBy: { type: 'string', length: 200 },
    updatedAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});

/** A member unit of the joint meeting of a level of government. */
export interface JointMeetingUnit {
  id: string;
  regionCode: string;
  department: string;
  unitName: string;
  duties: string;
  convener: boolean;
  createdAt: Date;
}

export const JointMeetingUnitSchema = new EntitySchema<JointMeetingUnit>({
  name: 'JointMeetingUnit',
  tableName: 'joint_meeting_unit',
  schema: 'supervision',
  filters: { jurisdiction: jurisdictionFilter },
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    regionCode: regionCodeColumn,
    department: { type: 'string', length: 24 },
    unitName: { type: 'string', length: 200 },
    duties: { type: 'text' },
    convener: { type: 'boolean', default: false },
    createdAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
  },
});

export type WorkPointStatus = 'PLANNED' | 'IN_PROGRESS' | 'DONE';

/** One of a year's work points (要点) of a joint meeting, owned by a member unit. */
export interface WorkPoint {
  id: string;
  regionCode: string;
  year: number;
  title: string;
  unitId: string;
  deadline: string;
  status: WorkPointStatus;
  updatedAt: Date;
}

export const WorkPointSchema = new EntitySchema<WorkPoint>({
  name: 'WorkPoint',
  tableName: 'work_point',
  schema: 'supervision',
  filters: { jurisdiction: jurisdictionFilter },
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    regionCode: regionCodeColumn,
    year: { type: 'smallint' },
    title: { type: 'string', length: 500 },
    unitId: { type: 'uuid' },
    deadline: { type: 'date' },
    status: { type: 'string', length: 12 },
    updatedAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});

export const SUPERVISION_ENTITIES = [
  CensusImportSchema,
  CensusChangeSchema,
  LedgerEntrySchema,
  ConflictTaskSchema,
  ProvincialImplementationSchema,
  JointMeetingUnitSchema,
  WorkPointSchema,
];
