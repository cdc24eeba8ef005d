import { migrations } from '../../../migrations/audit';
import type { SubgraphDefinition } from '../subgraph';
import { copyAuditChain } from './audit-copy';
import { AuditEventSchema } from './audit-event.entity';
import { auditResolvers } from './audit.resolvers';
import { EmergencyGrantSchema } from './emergency-grant.entity';

/** The audit log, read by auditors; each child's access log; emergency access and its review. */
export const audit: SubgraphDefinition = {
  name: 'audit',
  port: 4108,
  schema: 'audit',
  migrations,
  entities: [AuditEventSchema, EmergencyGrantSchema],
  resolvers: auditResolvers,
  // Every subgraph's chain, its own included.
  subscriptions: (subgraphs) => subgraphs.map(copyAuditChain),
};
