import { EntitySchema } from '@mikro-orm/core';
import { jurisdictionFilter, regionCodeColumn, regionCodeIndex } from '../../policy/jurisdiction';

export type EnrolmentStatus = 'ENROLLED' | 'DROPPED_OUT' | 'SUSPENDED' | 'GRADUATED';

/** A child's current enrolment; scoped by the child's jurisdiction, not the school's. */
export interface Enrolment {
  childId: string;
  regionCode: string;
  schoolName: string;
  schoolRegionCode: string;
  grade: number;
  status: EnrolmentStatus;
  updatedAt: Date;
}

export const EnrolmentSchema = new EntitySchema<Enrolment>({
  name: 'Enrolment',
  tableName: 'enrolment',
  schema: 'education',
  filters: { jurisdiction: jurisdictionFilter },
  indexes: [regionCodeIndex('enrolment')],
  properties: {
    childId: { type: 'uuid', primary: true },
    regionCode: regionCodeColumn,
    schoolName: { type: 'string' },
    schoolRegionCode: { type: 'string', length: 12 },
    grade: { type: 'smallint' },
    status: { type: 'string', length: 12 },
    updatedAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
