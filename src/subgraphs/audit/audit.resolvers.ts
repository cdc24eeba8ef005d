import { DateTimeScalar } from '../scalars';
import type { Resolvers } from './audit.generated';
import { accessLog, auditEvents, payloadOf } from './audit.service';

export const auditResolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    auditEvents: (_, { filter, first, after }, ctx) => auditEvents(ctx, filter, first ?? 50, after),
    accessLog: (_, { childId }, ctx) => accessLog(ctx, childId),
  },
  AuditEvent: {
    department: (e) => e.dept,
    unit: (e) => ({ code: e.regionCode }),
    fields: (e) => payloadOf(e).fields,
    changes: (e) => (e.kind === 'WRITE' ? JSON.stringify(payloadOf(e).changes) : null),
  },
};
