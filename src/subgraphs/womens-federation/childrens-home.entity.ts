import { ArrayType, EntitySchema } from '@mikro-orm/core';
import { jurisdictionFilter, regionCodeColumn } from '../../policy/jurisdiction';

/** A village's children's home (儿童之家); `regionCode` is the village. */
export interface ChildrensHome {
  id: string;
  regionCode: string;
  name: string;
  address: string;
  openingHours: string;
  childrenServed: number;
  activities: string[];
  createdAt: Date;
  updatedAt: Date;
}

export const ChildrensHomeSchema = new EntitySchema<ChildrensHome>({
  name: 'ChildrensHome',
  tableName: 'childrens_home',
  schema: 'women',
  filters: { jurisdiction: jurisdictionFilter },
  // Its leading column serves the jurisdiction filter too.
  uniques: [{ name: 'childrens_home_name_unique', properties: ['regionCode', 'name'] }],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    regionCode: regionCodeColumn,
    name: { type: 'string', length: 100 },
    address: { type: 'string', length: 200 },
    openingHours: { type: 'string', length: 200 },
    childrenServed: { type: 'integer' },
    activities: { type: ArrayType, columnType: 'text[]' },
    createdAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
    updatedAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
