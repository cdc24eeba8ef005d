import { EntitySchema } from '@mikro-orm/core';
import { jurisdictionFilter, regionCodeColumn, regionCodeIndex } from '../../policy/jurisdiction';

/** Household registration (hukou) of a child; `registered: false` is a child without hukou. */
export interface HouseholdRegistration {
  childId: string;
  regionCode: string;
  registered: boolean;
  hukouNumber: string | null;
  /** The station's name as recorded. */
  policeStation: string | null;
  policeStationId: string | null;
  updatedAt: Date;
}

export const HouseholdRegistrationSchema = new EntitySchema<HouseholdRegistration>({
  name: 'HouseholdRegistration',
  tableName: 'household_registration',
  schema: 'security',
  filters: { jurisdiction: jurisdictionFilter },
  indexes: [
    regionCodeIndex('household_registration'),
    {
      name: 'household_registration_unregistered_idx',
      expression:
        'create index "household_registration_unregistered_idx" on "security"."household_registration" ("region_code", "child_id") where not "registered"',
    },
  ],
  properties: {
    childId: { type: 'uuid', primary: true },
    regionCode: regionCodeColumn,
    registered: { type: 'boolean' },
    hukouNumber: { type: 'string', length: 32, nullable: true },
    policeStation: { type: 'string', nullable: true },
    policeStationId: { type: 'uuid', nullable: true },
    updatedAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
