import { EntitySchema } from '@mikro-orm/core';
import { jurisdictionFilter, regionCodeColumn, regionCodeIndex } from '../../policy/jurisdiction';

export type EnrolmentStatus = 'ENROLLED' | 'DROPPED_OUT' | 'SUSPENDED' | 'GRADUATED';

/** A child's current enrolment; scoped by the child's jurisdiction, not the school's. */
export interface Enrolment {
  childId: string;
  regionCode: string;
  schoolCode: string;
  grade: number;
  status: EnrolmentStatus;
  boarding: boolean;
  /** YYYY-MM-DD: the day this record took effect. */
  since: string;
  updatedAt: Date;
}

/** An enrolment a later record replaced: the child's history, one row per replaced record. */
export interface PastEnrolment extends Omit<Enrolment, 'updatedAt'> {
  id: string;
  /** YYYY-MM-DD: the day the next record took effect. */
  until: string;
  recordedAt: Date;
}

/** Either, as the GraphQL `Enrolment` shows it. */
export type EnrolmentRecord = Enrolment | PastEnrolment;

const shared = {
  regionCode: regionCodeColumn,
  schoolCode: { type: 'string', columnType: 'varchar(10)' },
  grade: { type: 'smallint' },
  status: { type: 'string', length: 12 },
  boarding: { type: 'boolean' },
  since: { type: 'date' },
} as const;

export const EnrolmentSchema = new EntitySchema<Enrolment>({
  name: 'Enrolment',
  tableName: 'enrolment',
  schema: 'education',
  filters: { jurisdiction: jurisdictionFilter },
  indexes: [regionCodeIndex('enrolment')],
  properties: {
    childId: { type: 'uuid', primary: true },
    ...shared,
    updatedAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});

export const PastEnrolmentSchema = new EntitySchema<PastEnrolment>({
  name: 'PastEnrolment',
  tableName: 'enrolment_history',
  schema: 'education',
  filters: { jurisdiction: jurisdictionFilter },
  indexes: [regionCodeIndex('enrolment_history')],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    childId: { type: 'uuid', index: 'enrolment_history_child_id_idx' },
    ...shared,
    until: { type: 'date' },
    recordedAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
  },
});
