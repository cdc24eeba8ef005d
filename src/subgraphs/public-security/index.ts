import { migrations } from '../../../migrations/public-security';
import type { SubgraphDefinition } from '../subgraph';
import { HouseholdRegistrationSchema } from './household-registration.entity';
import { PoliceStationSchema } from './police-station.entity';
import { securityResolvers } from './security.resolvers';

/** Public security: household registration and police stations. */
export const publicSecurity: SubgraphDefinition = {
  name: 'public-security',
  port: 4103,
  schema: 'security',
  migrations,
  entities: [HouseholdRegistrationSchema, PoliceStationSchema],
  resolvers: securityResolvers,
};
