import { BigIntType, EntitySchema } from '@mikro-orm/core';
import { jurisdictionFilter, regionCodeColumn } from '../../policy/jurisdiction';

/**
 * A row of the audit service's copy of the subgraphs' audit chains (migrations/audit), read-only
 * here: events are appended by each subgraph to its own chain and copied by audit-copy.ts.
 * Scoped by the acting account's region, so an auditor sees the accounts of their jurisdiction.
 */
export interface AuditEvent {
  id: string;
  /** The subgraph whose chain holds the event. */
  source: string;
  at: Date;
  kind: 'READ' | 'WRITE';
  account: string;
  dept: string;
  regionCode: string;
  purpose: string | null;
  requestId: string;
  operation: string | null;
  childIds: string[];
  payload: string;
  hash: string;
}

export const AuditEventSchema = new EntitySchema<AuditEvent>({
  name: 'AuditEvent',
  tableName: 'event',
  schema: 'audit',
  readonly: true,
  filters: { jurisdiction: jurisdictionFilter },
  properties: {
    id: { type: new BigIntType('string'), primary: true },
    source: { type: 'string', length: 32 },
    at: { type: 'Date', columnType: 'timestamptz' },
    kind: { type: 'string', length: 5 },
    account: { type: 'string' },
    dept: { type: 'string', length: 20 },
    regionCode: regionCodeColumn,
    purpose: { type: 'string', length: 32, nullable: true },
    requestId: { type: 'string', length: 128 },
    operation: { type: 'string', nullable: true },
    childIds: { type: 'uuid[]', columnType: 'uuid[]' },
    payload: { type: 'text', lazy: false },
    hash: { type: 'string', columnType: 'char(64)' },
  },
});
