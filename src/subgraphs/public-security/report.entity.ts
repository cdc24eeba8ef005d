import { EntitySchema } from '@mikro-orm/core';
import { jurisdictionFilter, regionCodeColumn, regionCodeIndex } from '../../policy/jurisdiction';

export type ConcernType =
  'UNATTENDED' | 'ABUSE' | 'ABANDONMENT' | 'INJURY' | 'MISSING' | 'SELF_HARM_RISK' | 'OUT_OF_SCHOOL';
export type Urgency = 'IMMEDIATE_DANGER' | 'URGENT' | 'ROUTINE';
export type ReportStatus =
  'RECEIVED' | 'ACCEPTED' | 'DISPATCHED' | 'CHILD_SAFE' | 'HANDED_TO_TOWNSHIP' | 'CLOSED' | 'NOT_SUBSTANTIATED';

/** A mandatory report about a child, as public security receives it. */
export interface Report {
  id: string;
  childId: string | null;
  regionCode: string;
  concernType: ConcernType;
  urgency: Urgency;
  status: ReportStatus;
  receivedAt: Date;
}

export const ReportSchema = new EntitySchema<Report>({
  name: 'Report',
  tableName: 'report',
  schema: 'security',
  filters: { jurisdiction: jurisdictionFilter },
  indexes: [regionCodeIndex('report')],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    childId: { type: 'uuid', nullable: true, index: 'report_child_id_idx' },
    regionCode: regionCodeColumn,
    concernType: { type: 'string', length: 20 },
    urgency: { type: 'string', length: 20 },
    status: { type: 'string', length: 20 },
    receivedAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
  },
});
