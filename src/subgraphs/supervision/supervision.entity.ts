import { EntitySchema } from '@mikro-orm/core';
import { jurisdictionFilter, regionCodeColumn } from '../../policy/jurisdiction';

export type ConflictKind =
  | 'DROPPED_OUT_BUT_IN_SCHOOL'
  | 'WITHOUT_HUKOU'
  | 'CUSTODIAN_AWAY_WITHOUT_ENTRUSTED_GUARDIAN'
  | 'CUSTODIAN_IN_TWO_COUNTIES'
  | 'CATEGORY_CONTRADICTS_RULES';
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
  ConflictTaskSchema,
  ProvincialImplementationSchema,
  JointMeetingUnitSchema,
  WorkPointSchema,
];
