import { EntitySchema } from '@mikro-orm/core';
import { jurisdictionFilter, regionCodeColumn, regionCodeIndex } from '../../policy/jurisdiction';

/** Household registration (hukou) of a child; `registered: false` is a child without hukou. */
export interface HouseholdRegistration {
  childId: string;
  regionCode: string;
  registered: boolean;
  hukouNumber: string | null;
  policeStation: string | null;
  updatedAt: Date;
}

export const HouseholdRegistrationSchema = new EntitySchema<HouseholdRegistration>({
  name: 'HouseholdRegistration',
  tableName: 'household_registration',
  schema: 'security',
  filters: { jurisdiction: jurisdictionFilter },
  indexes: [regionCodeIndex('household_registration')],
  properties: {
    childId: { type: 'uuid', primary: true },
    regionCode: regionCodeColumn,
    registered: { type: 'boolean' },
    hukouNumber: { type: 'string', length: 32, nullable: true },
    policeStation: { type: 'string', nullable: true },
    updatedAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
