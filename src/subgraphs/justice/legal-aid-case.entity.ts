import { EntitySchema } from '@mikro-orm/core';
import { jurisdictionFilter, regionCodeColumn, regionCodeIndex } from '../../policy/jurisdiction';

export type LegalAidCaseType = 'CRIMINAL_VICTIM' | 'CIVIL_CLAIM' | 'GUARDIANSHIP' | 'MAINTENANCE' | 'OTHER';
export type LegalAidStatus = 'OPEN' | 'IN_PROGRESS' | 'CLOSED';

/** Legal aid for a child: who represents the child, in what kind of matter, and how it ended. */
export interface LegalAidCase {
  id: string;
  childId: string;
  /** The child's jurisdiction. */
  regionCode: string;
  caseType: LegalAidCaseType;
  /** The lawyer or legal-aid centre handling the case. */
  provider: string;
  status: LegalAidStatus;
  outcome: string | null;
  openedAt: Date;
  closedAt: Date | null;
  version: number;
}

export const LegalAidCaseSchema = new EntitySchema<LegalAidCase>({
  name: 'LegalAidCase',
  tableName: 'legal_aid_case',
  schema: 'justice',
  filters: { jurisdiction: jurisdictionFilter },
  indexes: [regionCodeIndex<LegalAidCase>('legal_aid_case', 'openedAt')],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    childId: { type: 'uuid', index: 'legal_aid_case_child_id_idx' },
    regionCode: regionCodeColumn,
    caseType: { type: 'string', length: 16 },
    provider: { type: 'string' },
    status: { type: 'string', length: 12 },
    outcome: { type: 'text', nullable: true },
    openedAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
    closedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    version: { type: 'integer', version: true },
  },
});
