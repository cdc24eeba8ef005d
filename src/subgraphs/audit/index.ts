import type { SubgraphDefinition } from '../subgraph';
import { AuditEventSchema } from './audit-event.entity';
import { auditResolvers } from './audit.resolvers';
import { EmergencyGrantSchema } from './emergency-grant.entity';

/** The audit log, read by auditors; each child's access log; emergency access and its review. */
export const audit: SubgraphDefinition = {
  name: 'audit',
  port: 4108,
  entities: [AuditEventSchema, EmergencyGrantSchema],
  resolvers: auditResolvers,
};
