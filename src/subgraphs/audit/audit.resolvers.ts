import { DateTimeScalar } from '../scalars';
import type { Resolvers } from './audit.generated';
import { accessLog, auditEvents, payloadOf } from './audit.service';
import * as emergency from './emergency.service';

export const auditResolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    auditEvents: (_, { filter, first, after }, ctx) => auditEvents(ctx, filter, first ?? 50, after),
    accessLog: (_, { childId }, ctx) => accessLog(ctx, childId),
    emergencyAccessGrants: (_, { regionCode, unreviewedOnly }, ctx) =>
      emergency.emergencyAccessGrants(ctx, regionCode, unreviewedOnly ?? true),
  },
  Mutation: {
    requestEmergencyAccess: (_, { input }, ctx) => emergency.requestEmergencyAccess(ctx, input),
    reviewEmergencyAccess: (_, { input }, ctx) => emergency.reviewEmergencyAccess(ctx, input),
  },
  EmergencyGrant: {
    department: (g) => g.dept,
    unit: (g) => ({ code: g.accountRegion }),
    active: (g) => emergency.isActive(g),
    reviewDue: (g) => emergency.reviewDue(g),
    overdue: (g) => emergency.isOverdue(g),
  },
  AuditEvent: {
    department: (e) => e.dept,
    unit: (e) => ({ code: e.regionCode }),
    fields: (e) => payloadOf(e).fields,
    changes: (e) => (e.kind === 'WRITE' ? JSON.stringify(payloadOf(e).changes) : null),
  },
};
