import { EntitySchema } from '@mikro-orm/core';
import { jurisdictionFilter, regionCodeColumn, regionCodeIndex } from '../../policy/jurisdiction';

/** A school day a child was absent from school, as the school recorded it. */
export interface Absence {
  id: string;
  childId: string;
  regionCode: string;
  schoolCode: string;
  /** YYYY-MM-DD, a school day. */
  date: string;
  explained: boolean;
  reason: string | null;
  recordedAt: Date;
}

export const AbsenceSchema = new EntitySchema<Absence>({
  name: 'Absence',
  tableName: 'absence',
  schema: 'education',
  filters: { jurisdiction: jurisdictionFilter },
  indexes: [regionCodeIndex('absence')],
  uniques: [{ name: 'absence_child_id_date_unique', properties: ['childId', 'date'] }],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    childId: { type: 'uuid' },
    regionCode: regionCodeColumn,
    schoolCode: { type: 'string', columnType: 'varchar(10)' },
    date: { type: 'date' },
    explained: { type: 'boolean' },
    reason: { type: 'string', nullable: true },
    recordedAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
