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
  /** Civil affairs judges the arrangement inadequate (the child's care is not assured). */
  inadequate: boolean;
  inadequateReason: string | null;
  flaggedAt: Date | null;
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
  inadequate: { type: 'boolean', default: false },
  inadequateReason: { type: 'text', nullable: true },
  flaggedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
  updatedAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date(), onUpdate: () => new Date() },
} as const;

export const GuardianshipSchema = new EntitySchema<Guardianship>({
  name: 'Guardianship',
  tableName: 'guardianship',
  schema: 'registry',
  filters: { jurisdiction: jurisdictionFilter },
  indexes: [
    regionCodeIndex('guardianship'),
    {
      name: 'guardianship_inadequate_idx',
      expression:
        'create index "guardianship_inadequate_idx" on "registry"."guardianship" ("region_code", "child_id") where "inadequate"',
    },
  ],
  properties: guardianshipProperties,
});
