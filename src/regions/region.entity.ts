import { EntitySchema } from '@mikro-orm/core';
import type { RegionLevel } from './region-code';

/**
 * Administrative divisions (GB/T 2260). Public reference data, not personal data: it lives in
 * the `reference` schema that every subgraph may read, and a split database gets its own copy.
 */
export interface Region {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
}

export const RegionSchema = new EntitySchema<Region>({
  name: 'Region',
  tableName: 'region',
  schema: 'reference',
  properties: {
    code: { type: 'string', columnType: 'varchar(12) collate "C"', primary: true },
    name: { type: 'string' },
    level: { type: 'string', length: 8 },
    parentCode: {
      type: 'string',
      columnType: 'varchar(12) collate "C"',
      nullable: true,
      index: 'region_parent_code_idx',
    },
  },
});
