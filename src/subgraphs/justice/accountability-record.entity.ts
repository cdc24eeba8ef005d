import { EntitySchema } from '@mikro-orm/core';
import { jurisdictionFilter, regionCodeColumn, regionCodeIndex } from '../../policy/jurisdiction';

export type AccountabilityMeasure = 'WARNING' | 'EDUCATION_ORDER' | 'FINE' | 'DETENTION';
export type IssuingDepartment =
  'PUBLIC_SECURITY' | 'JUSTICE' | 'CIVIL_AFFAIRS' | 'EDUCATION' | 'PROCURATORATE' | 'COURT';

/** A measure taken against a guardian who failed their duties towards the child. */
export interface AccountabilityRecord {
  id: string;
  childId: string;
  /** The child's jurisdiction. */
  regionCode: string;
  /** A guardian of the child in the registry. */
  guardianId: string;
  measure: AccountabilityMeasure;
  issuingDepartment: IssuingDepartment;
  /** YYYY-MM-DD */
  issuedOn: string;
  notes: string | null;
  recordedAt: Date;
}

export const AccountabilityRecordSchema = new EntitySchema<AccountabilityRecord>({
  name: 'AccountabilityRecord',
  tableName: 'accountability_record',
  schema: 'justice',
  filters: { jurisdiction: jurisdictionFilter },
  indexes: [regionCodeIndex('accountability_record')],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    childId: { type: 'uuid', index: 'accountability_record_child_id_idx' },
    regionCode: regionCodeColumn,
    guardianId: { type: 'uuid' },
    measure: { type: 'string', length: 16 },
    issuingDepartment: { type: 'string', length: 16 },
    issuedOn: { type: 'date' },
    notes: { type: 'text', nullable: true },
    recordedAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
  },
});
