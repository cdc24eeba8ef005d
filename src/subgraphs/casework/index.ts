import { migrations } from '../../../migrations/casework';
import type { SubgraphDefinition } from '../subgraph';
import { CASEWORK_RETENTION } from './retention';
import { AssessmentSchema, ReferralSchema, TaskSchema, VisitSchema } from './casework-records.entity';
import { caseworkResolvers } from './casework.resolvers';
import { followChildWithCases } from './follow-moves';
import { startCaseworkJobs } from './jobs';
import { CaseEventSchema, ProtectionCaseSchema } from './protection-case.entity';

/**
 * Casework: protection cases from the mandatory report through the police response to the
 * township's assessment, referrals and follow-up, on statutory clocks, with notifications.
 */
export const casework: SubgraphDefinition = {
  name: 'casework',
  port: 4109,
  schema: 'casework',
  extraSchemas: ['pgboss'],
  migrations,
  entities: [ProtectionCaseSchema, CaseEventSchema, AssessmentSchema, ReferralSchema, VisitSchema, TaskSchema],
  resolvers: caseworkResolvers,
  retention: CASEWORK_RETENTION,
  events: { registry: { ChildMoved: followChildWithCases } },
  // The job queue runs where the casework subgraph does: in the hub, or on its own.
  start: (runtime, clock, logger) =>
    startCaseworkJobs(runtime.data.db.url, runtime.orm, clock, logger, { webhooks: runtime.webhooks }),
};
