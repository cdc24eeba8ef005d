import type { SubgraphDefinition } from '../subgraph';
import { AssessmentSchema, ReferralSchema, TaskSchema, VisitSchema } from './casework-records.entity';
import { caseworkResolvers } from './casework.resolvers';
import { CaseEventSchema, ProtectionCaseSchema } from './protection-case.entity';

/**
 * Casework: protection cases from the mandatory report through the police response to the
 * township's assessment, referrals and follow-up, on statutory clocks, with notifications.
 */
export const casework: SubgraphDefinition = {
  name: 'casework',
  port: 4109,
  entities: [ProtectionCaseSchema, CaseEventSchema, AssessmentSchema, ReferralSchema, VisitSchema, TaskSchema],
  resolvers: caseworkResolvers,
};
