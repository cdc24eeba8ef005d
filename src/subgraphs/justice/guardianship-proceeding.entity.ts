import { EntitySchema } from '@mikro-orm/core';
import { jurisdictionFilter, regionCodeColumn, regionCodeIndex } from '../../policy/jurisdiction';

export type ProceedingKind = 'REVOKE' | 'CHANGE' | 'RESTORE';
export type ProceedingStatus = 'FILED' | 'HEARING' | 'DECIDED' | 'WITHDRAWN';

/** A petition to a court to revoke, change or restore a child's guardianship. */
export interface GuardianshipProceeding {
  id: string;
  childId: string;
  /** The child's jurisdiction. */
  regionCode: string;
  kind: ProceedingKind;
  petitioner: string;
  court: string;
  status: ProceedingStatus;
  /** YYYY-MM-DD */
  filedOn: string;
  decisionDate: string | null;
  decision: string | null;
  version: number;
  updatedAt: Date;
}

export const GuardianshipProceedingSchema = new EntitySchema<GuardianshipProceeding>({
  name: 'GuardianshipProceeding',
  tableName: 'guardianship_proceeding',
  schema: 'justice',
  filters: { jurisdiction: jurisdictionFilter },
  indexes: [regionCodeIndex<GuardianshipProceeding>('guardianship_proceeding', 'filedOn')],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    childId: { type: 'uuid', index: 'guardianship_proceeding_child_id_idx' },
    regionCode: regionCodeColumn,
    kind: { type: 'string', length: 8 },
    petitioner: { type: 'string' },
    court: { type: 'string' },
    status: { type: 'string', length: 10 },
    filedOn: { type: 'date' },
    decisionDate: { type: 'date', nullable: true },
    decision: { type: 'text', nullable: true },
    version: { type: 'integer', version: true },
    updatedAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
