import { BigIntType, EntitySchema } from '@mikro-orm/core';
import { jurisdictionFilter, regionCodeColumn } from '../../policy/jurisdiction';

/**
 * A row of the append-only audit log (migration ...Audit), read-only here: events are appended
 * by src/audit. Scoped by the acting account's region, so an auditor sees the accounts of
 * their jurisdiction.
 */
export interface AuditEvent {
  id: string;
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
