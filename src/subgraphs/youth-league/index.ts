import { migrations } from '../../../migrations/youth-league';
import type { SubgraphDefinition } from '../subgraph';
import { ActivityChildSchema, ActivitySchema } from './activity.entity';
import { CarePairingSchema } from './care-pairing.entity';
import { VolunteerSchema } from './volunteer.entity';
import { youthResolvers } from './youth.resolvers';

/** The youth league: volunteers, their care pairings with children, and activities with children. */
export const youthLeague: SubgraphDefinition = {
  name: 'youth-league',
  port: 4105,
  schema: 'youth',
  migrations,
  entities: [VolunteerSchema, CarePairingSchema, ActivitySchema, ActivityChildSchema],
  resolvers: youthResolvers,
};
