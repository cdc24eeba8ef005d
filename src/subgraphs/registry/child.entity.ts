import { ArrayType, EntitySchema } from '@mikro-orm/core';
import { jurisdictionFilter, regionCodeColumn, regionCodeIndex } from '../../policy/jurisdiction';
import type { Category, DistressReason, HouseholdType } from '../../domain/categories';

export type ChildCategory = Category;
export type ChildStatus = 'ACTIVE' | 'CLOSED' | 'ARCHIVED';
export type Gender = 'MALE' | 'FEMALE';
export type CareNeed =
  'COMPANIONSHIP' | 'TUTORING' | 'PSYCHOLOGICAL_SUPPORT' | 'HEALTH_CARE' | 'FAMILY_CONTACT' | 'SAFETY_EDUCATION';

export interface Child {
  id: string;
  name: string;
  gender: Gender;
  /** YYYY-MM-DD */
  birthDate: string;
  idNumber: string;
  categories: ChildCategory[];
  /** Why the child is in distress (src/domain/categories.ts); empty unless IN_DISTRESS. */
  distressReasons: DistressReason[];
  careNeeds: CareNeed[];
  householdRegionCode: string;
  householdType: HouseholdType;
  /** Village of residence; it is also the row's jurisdiction. */
  regionCode: string;
  status: ChildStatus;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The columns, shared with the revision table that keeps replaced versions. */
export const childProperties = {
  id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
  name: { type: 'string' },
  gender: { type: 'string', length: 6 },
  birthDate: { type: 'date' },
  idNumber: { type: 'string', length: 18, unique: 'child_id_number_unique' },
  categories: { type: ArrayType, columnType: 'text[]' },
  distressReasons: { type: ArrayType, columnType: 'text[]', defaultRaw: `'{}'` },
  careNeeds: { type: ArrayType, columnType: 'text[]', defaultRaw: `'{}'` },
  householdRegionCode: { type: 'string', length: 12 },
  householdType: { type: 'string', length: 5, default: 'RURAL' },
  regionCode: regionCodeColumn,
  status: { type: 'string', length: 10, default: 'ACTIVE' },
  version: { type: 'integer', version: true },
  createdAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
  updatedAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date(), onUpdate: () => new Date() },
} as const;

export const ChildSchema = new EntitySchema<Child>({
  name: 'Child',
  tableName: 'child',
  schema: 'registry',
  filters: { jurisdiction: jurisdictionFilter },
  indexes: [regionCodeIndex<Child>('child', 'id')],
  properties: childProperties,
});
