import { EntitySchema } from '@mikro-orm/core';
import { jurisdictionFilter, regionCodeColumn, regionCodeIndex } from '../../policy/jurisdiction';

/** A youth-league volunteer; `regionCode` is the county, township or village they serve. */
export interface Volunteer {
  id: string;
  regionCode: string;
  name: string;
  phone: string;
  organisation: string;
  createdAt: Date;
}

export const VolunteerSchema = new EntitySchema<Volunteer>({
  name: 'Volunteer',
  tableName: 'volunteer',
  schema: 'youth',
  filters: { jurisdiction: jurisdictionFilter },
  indexes: [regionCodeIndex<Volunteer>('volunteer', 'id')],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    regionCode: regionCodeColumn,
    name: { type: 'string', length: 50 },
    phone: { type: 'string', length: 20, unique: 'volunteer_phone_unique' },
    organisation: { type: 'string', length: 100 },
    createdAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
  },
});
