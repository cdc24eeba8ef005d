import { migrations } from '../../../migrations/womens-federation';
import type { SubgraphDefinition } from '../subgraph';
import { ChildrensHomeSchema } from './childrens-home.entity';
import { GuidanceAttendeeSchema, GuidanceSessionSchema } from './guidance-session.entity';
import { womenResolvers } from './women.resolvers';

/** The women's federation: family-education guidance for parents and guardians, and children's homes. */
export const womensFederation: SubgraphDefinition = {
  name: 'womens-federation',
  port: 4106,
  schema: 'women',
  migrations,
  entities: [GuidanceSessionSchema, GuidanceAttendeeSchema, ChildrensHomeSchema],
  resolvers: womenResolvers,
};
