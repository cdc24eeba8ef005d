import type { SubgraphDefinition } from '../subgraph';
import { AuditEventSchema } from './audit-event.entity';
import { auditResolvers } from './audit.resolvers';

/** The audit log, read by auditors, and each child's access log. */
export const audit: SubgraphDefinition = {
  name: 'audit',
  port: 4108,
  entities: [AuditEventSchema],
  resolvers: auditResolvers,
};
