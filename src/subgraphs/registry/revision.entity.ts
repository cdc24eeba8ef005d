import { EntitySchema } from '@mikro-orm/core';
import { jurisdictionFilter } from '../../policy/jurisdiction';
import { childProperties, type Child } from './child.entity';
import { guardianshipProperties, type Guardianship } from './guardianship.entity';

/** When a revision was the current record: [validFrom, validTo). */
export interface Interval {
  validFrom: Date;
  validTo: Date;
}

export type ChildRevision = Child & Interval;
export type GuardianshipRevision = Guardianship & Interval;

const interval = {
  validFrom: { type: 'Date', columnType: 'timestamptz' },
  validTo: { type: 'Date', columnType: 'timestamptz', primary: true },
} as const;

/**
 * Replaced versions of a child's record and guardianship, kept by database triggers
 * (migration ...History) and read only. Same jurisdiction rule as the live rows.
 */
export const ChildRevisionSchema = new EntitySchema<ChildRevision>({
  name: 'ChildRevision',
  tableName: 'child_revision',
  schema: 'registry',
  readonly: true,
  filters: { jurisdiction: jurisdictionFilter },
  properties: {
    ...childProperties,
    id: { type: 'uuid', primary: true },
    idNumber: { type: 'string', length: 18 },
    version: { type: 'integer' },
    ...interval,
  },
});

export const GuardianshipRevisionSchema = new EntitySchema<GuardianshipRevision>({
  name: 'GuardianshipRevision',
  tableName: 'guardianship_revision',
  schema: 'registry',
  readonly: true,
  filters: { jurisdiction: jurisdictionFilter },
  properties: { ...guardianshipProperties, ...interval },
});
