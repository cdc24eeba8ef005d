import { EntitySchema } from '@mikro-orm/core';
import { jurisdictionFilter, regionCodeColumn, regionCodeIndex } from '../../policy/jurisdiction';

export type GuardianshipKind = 'PARENTS' | 'ENTRUSTED' | 'GOVERNMENT_TEMPORARY';

/** The child's current care arrangement: one row per child. */
export interface Guardianship {
  childId: string;
  regionCode: string;
  kind: GuardianshipKind;
  since: string;
  entrustedGuardianId: string | null;
  agreementDate: string | null;
  contactObligations: string | null;
  agency: string | null;
  updatedAt: Date;
}

/** The columns, shared with the revision table that keeps replaced versions. */
export const guardianshipProperties = {
  childId: { type: 'uuid', primary: true },
  regionCode: regionCodeColumn,
  kind: { type: 'string', length: 24 },
  since: { type: 'date' },
  entrustedGuardianId: { type: 'uuid', nullable: true },
  agreementDate: { type: 'date', nullable: true },
  contactObligations: { type: 'text', nullable: true },
  agency: { type: 'string', nullable: true },
  updatedAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date(), onUpdate: () => new Date() },
} as const;

export const GuardianshipSchema = new EntitySchema<Guardianship>({
  name: 'Guardianship',
  tableName: 'guardianship',
  schema: 'registry',
  filters: { jurisdiction: jurisdictionFilter },
  indexes: [regionCodeIndex('guardianship')],
  properties: guardianshipProperties,
});
