import { EntitySchema } from '@mikro-orm/core';
import { jurisdictionFilter, regionCodeColumn, regionCodeIndex } from '../../policy/jurisdiction';

export type VisitFrequency = 'WEEKLY' | 'FORTNIGHTLY' | 'MONTHLY';

/** A volunteer's care for one child; scoped by the child's village. Current while `endDate` is null. */
export interface CarePairing {
  id: string;
  volunteerId: string;
  childId: string;
  regionCode: string;
  /** YYYY-MM-DD */
  startDate: string;
  endDate: string | null;
  visitFrequency: VisitFrequency;
  createdAt: Date;
}

export const CarePairingSchema = new EntitySchema<CarePairing>({
  name: 'CarePairing',
  tableName: 'care_pairing',
  schema: 'youth',
  filters: { jurisdiction: jurisdictionFilter },
  indexes: [regionCodeIndex('care_pairing')],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    volunteerId: { type: 'uuid', index: 'care_pairing_volunteer_id_idx' },
    childId: { type: 'uuid', index: 'care_pairing_child_id_idx' },
    regionCode: regionCodeColumn,
    startDate: { type: 'date' },
    endDate: { type: 'date', nullable: true },
    visitFrequency: { type: 'string', length: 12 },
    createdAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
  },
});
