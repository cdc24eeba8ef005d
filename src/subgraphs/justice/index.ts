import { migrations } from '../../../migrations/justice';
import type { SubgraphDefinition } from '../subgraph';
import { recordGuardianFailure } from './casework-events';
import { AccountabilityRecordSchema } from './accountability-record.entity';
import { GuardianshipProceedingSchema } from './guardianship-proceeding.entity';
import { justiceResolvers } from './justice.resolvers';
import { LegalAidCaseSchema } from './legal-aid-case.entity';

/** Justice: legal aid for children, guardianship proceedings and guardian accountability. */
export const justice: SubgraphDefinition = {
  name: 'justice',
  port: 4104,
  schema: 'justice',
  migrations,
  entities: [LegalAidCaseSchema, GuardianshipProceedingSchema, AccountabilityRecordSchema],
  resolvers: justiceResolvers,
  events: { casework: { GuardianFailureFound: recordGuardianFailure } },
};
