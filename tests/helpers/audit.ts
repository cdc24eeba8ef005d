import type { AuditEvent } from '../../src/audit/audit-log';

/** A READ event of a test account, as a subgraph appends one to its chain. */
export const readEvent = (requestId: string): AuditEvent => ({
  at: new Date().toISOString(),
  kind: 'READ',
  actor: { sub: 'test', dept: 'CIVIL_AFFAIRS', region: '630121' },
  purpose: 'CASE_WORK',
  requestId,
  operation: null,
  children: [],
  fields: ['Child.name'],
  changes: [],
});
