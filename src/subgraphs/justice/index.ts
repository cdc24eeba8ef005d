import type { SubgraphDefinition } from '../subgraph';
import { AccountabilityRecordSchema } from './accountability-record.entity';
import { GuardianshipProceedingSchema } from './guardianship-proceeding.entity';
import { justiceResolvers } from './justice.resolvers';
import { LegalAidCaseSchema } from './legal-aid-case.entity';
import { OpenCaseSchema } from './open-case.entity';

/** Justice: legal aid for children, guardianship proceedings and guardian accountability. */
export const justice: SubgraphDefinition = {
  name: 'justice',
  port: 4104,
  entities: [LegalAidCaseSchema, GuardianshipProceedingSchema, AccountabilityRecordSchema, OpenCaseSchema],
  resolvers: justiceResolvers,
};
