import { ArrayType, EntitySchema } from '@mikro-orm/core';
import { jurisdictionFilter, regionCodeColumn } from '../../policy/jurisdiction';

/**
 * What conflict detection knows of children, as the departments that own the records publish
 * it (src/events/conflict-facts.ts): flags and statuses, custodians by keyed hash, no names and
 * no identity numbers. Each row carries the child's village, so it follows the child's moves
 * (src/events/follow-child.ts) and the caller's jurisdiction applies to it.
 */

/** The registry's facts of a child. */
export interface ChildFact {
  childId: string;
  regionCode: string;
  active: boolean;
  awayWithoutEntrusted: boolean;
  schooling: string | null;
  /** The category rules (src/domain/categories.ts) the registry's record breaks. */
  categoryBreaches: string[];
  updatedAt: Date;
}

export const ChildFactSchema = new EntitySchema<ChildFact>({
  name: 'ChildFact',
  tableName: 'child_fact',
  schema: 'supervision',
  filters: { jurisdiction: jurisdictionFilter },
  properties: {
    childId: { type: 'uuid', primary: true },
    regionCode: regionCodeColumn,
    active: { type: 'boolean' },
    awayWithoutEntrusted: { type: 'boolean' },
    schooling: { type: 'string', length: 16, nullable: true },
    categoryBreaches: { type: ArrayType, columnType: 'text[]', defaultRaw: `'{}'` },
    updatedAt: { type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' },
  },
});

/** One custodian of a child, by the keyed hash of their identity number. */
export interface CustodianFact {
  childId: string;
  idHash: string;
  regionCode: string;
}

export const CustodianFactSchema = new EntitySchema<CustodianFact>({
  name: 'CustodianFact',
  tableName: 'custodian_fact',
  schema: 'supervision',
  filters: { jurisdiction: jurisdictionFilter },
  properties: {
    childId: { type: 'uuid', primary: true },
    idHash: { type: 'string', columnType: 'char(64)', primary: true },
    regionCode: regionCodeColumn,
  },
});

/** Education's current enrolment status of a child. */
export interface EnrolmentFact {
  childId: string;
  regionCode: string;
  status: string;
  updatedAt: Date;
}

export const EnrolmentFactSchema = new EntitySchema<EnrolmentFact>({
  name: 'EnrolmentFact',
  tableName: 'enrolment_fact',
  schema: 'supervision',
  filters: { jurisdiction: jurisdictionFilter },
  properties: {
    childId: { type: 'uuid', primary: true },
    regionCode: regionCodeColumn,
    status: { type: 'string', length: 16 },
    updatedAt: { type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' },
  },
});

/** Whether public security has the child's household registration. */
export interface HouseholdFact {
  childId: string;
  regionCode: string;
  registered: boolean;
  updatedAt: Date;
}

export const HouseholdFactSchema = new EntitySchema<HouseholdFact>({
  name: 'HouseholdFact',
  tableName: 'household_fact',
  schema: 'supervision',
  filters: { jurisdiction: jurisdictionFilter },
  properties: {
    childId: { type: 'uuid', primary: true },
    regionCode: regionCodeColumn,
    registered: { type: 'boolean' },
    updatedAt: { type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' },
  },
});

export const CONFLICT_FACT_ENTITIES = [ChildFactSchema, CustodianFactSchema, EnrolmentFactSchema, HouseholdFactSchema];
