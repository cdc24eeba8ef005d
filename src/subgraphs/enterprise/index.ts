import { migrations } from '../../../migrations/enterprise';
import type { SubgraphDefinition } from '../subgraph';
import { linkWorkersToGuardian } from './worker-directory';
import { AssistanceReportSchema } from './assistance-report.entity';
import { EnterpriseSchema } from './enterprise.entity';
import { enterpriseResolvers } from './enterprise.resolvers';
import { WorkerLinkSchema, WorkerSchema } from './worker.entity';

/** Enterprises: their workers and the assistance they report giving them as parents. */
export const enterprise: SubgraphDefinition = {
  name: 'enterprise',
  port: 4107,
  schema: 'enterprise',
  migrations,
  entities: [EnterpriseSchema, WorkerSchema, WorkerLinkSchema, AssistanceReportSchema],
  resolvers: enterpriseResolvers,
  events: { registry: { GuardianAdded: linkWorkersToGuardian } },
};
