import type { SubgraphDefinition } from '../subgraph';
import { educationResolvers } from './education.resolvers';
import { EnrolmentSchema } from './enrolment.entity';

/** Education: enrolment of registered children. */
export const education: SubgraphDefinition = {
  name: 'education',
  port: 4102,
  entities: [EnrolmentSchema],
  resolvers: educationResolvers,
};
