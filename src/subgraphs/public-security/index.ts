import type { SubgraphDefinition } from '../subgraph';
import { HouseholdRegistrationSchema } from './household-registration.entity';
import { PoliceStationSchema } from './police-station.entity';
import { ReportSchema } from './report.entity';
import { securityResolvers } from './security.resolvers';

/** Public security: household registration, police stations and the mandatory reports it receives. */
export const publicSecurity: SubgraphDefinition = {
  name: 'public-security',
  port: 4103,
  entities: [HouseholdRegistrationSchema, PoliceStationSchema, ReportSchema],
  resolvers: securityResolvers,
};
