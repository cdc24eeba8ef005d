import { ArrayType, EntitySchema } from '@mikro-orm/core';
import { enterpriseFilter } from '../../policy/enterprise-scope';
import { jurisdictionFilter, regionCodeColumn, regionCodeIndex } from '../../policy/jurisdiction';

export type AssistanceKind =
  'PARENT_SCHOOL' | 'SITE_LECTURE' | 'REUNION_TRAVEL' | 'HARDSHIP_AID' | 'LONG_TERM_ASSISTANCE' | 'FLEXIBLE_LEAVE';

/** What an enterprise did for its workers as parents, as it reported it. */
export interface AssistanceReport {
  id: string;
  enterpriseCode: string;
  /** The enterprise's region. */
  regionCode: string;
  /** The enterprise's own key for the report: a retry with it is recognised, not recorded twice. */
  clientKey: string;
  /** SHA-256 of the report's content, to tell a retry from a different report under a used key. */
  contentHash: string;
  kind: AssistanceKind;
  date: string;
  /** The workers covered; a GIN index finds the reports covering a worker. */
  workerIds: string[];
  /** Yuan, two decimals, as PostgreSQL's numeric gives it. */
  amount: string | null;
  notes: string | null;
  receivedAt: Date;
}

export const AssistanceReportSchema = new EntitySchema<AssistanceReport>({
  name: 'AssistanceReport',
  tableName: 'assistance_report',
  schema: 'enterprise',
  filters: { jurisdiction: jurisdictionFilter, enterprise: enterpriseFilter('enterpriseCode') },
  indexes: [
    regionCodeIndex<AssistanceReport>('assistance_report', 'date'),
    { name: 'assistance_report_enterprise_date_idx', properties: ['enterpriseCode', 'date', 'id'] },
  ],
  uniques: [{ name: 'assistance_report_client_key_unique', properties: ['enterpriseCode', 'clientKey'] }],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    enterpriseCode: { type: 'string', columnType: 'varchar(18) collate "C"' },
    regionCode: regionCodeColumn,
    clientKey: { type: 'string', length: 64 },
    contentHash: { type: 'string', length: 64 },
    kind: { type: 'string', length: 24 },
    date: { type: 'date' },
    workerIds: { type: ArrayType, columnType: 'uuid[]' },
    amount: { type: 'decimal', precision: 12, scale: 2, nullable: true },
    notes: { type: 'string', length: 500, nullable: true },
    receivedAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
  },
});
