import { EntitySchema } from '@mikro-orm/core';
import { jurisdictionFilter, regionCodeColumn, regionCodeIndex } from '../../policy/jurisdiction';

import type { GuardianRelation } from '../../domain/guardian-relation';
import type { GuardianshipCapacity, IncapacityReason } from '../../domain/categories';

export type { GuardianRelation };

export interface Guardian {
  id: string;
  childId: string;
  /** The child's jurisdiction. */
  regionCode: string;
  relation: GuardianRelation;
  name: string;
  idNumber: string | null;
  phone: string | null;
  custodian: boolean;
  workingAway: boolean;
  workRegionCode: string | null;
  awaySince: string | null;
  employer: string | null;
  guardianshipCapacity: GuardianshipCapacity;
  incapacityReason: IncapacityReason | null;
  createdAt: Date;
}

export const GuardianSchema = new EntitySchema<Guardian>({
  name: 'Guardian',
  tableName: 'guardian',
  schema: 'registry',
  filters: { jurisdiction: jurisdictionFilter },
  indexes: [regionCodeIndex('guardian')],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    childId: { type: 'uuid', index: 'guardian_child_id_idx' },
    regionCode: regionCodeColumn,
    relation: { type: 'string', length: 20 },
    name: { type: 'string' },
    idNumber: { type: 'string', length: 18, nullable: true, index: 'guardian_id_number_idx' },
    phone: { type: 'string', length: 20, nullable: true },
    custodian: { type: 'boolean', default: false },
    workingAway: { type: 'boolean', default: false },
    workRegionCode: { type: 'string', length: 12, nullable: true },
    awaySince: { type: 'date', nullable: true },
    employer: { type: 'string', nullable: true },
    guardianshipCapacity: { type: 'string', length: 7, default: 'FULL' },
    incapacityReason: { type: 'string', length: 20, nullable: true },
    createdAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
  },
});
