import { migrations } from '../../../migrations/supervision';
import type { SubgraphDefinition } from '../subgraph';
import { SUPERVISION_ENTITIES } from './supervision.entity';
import { supervisionResolvers } from './supervision.resolvers';

/**
 * Census, statistics and supervision: the census ledger in and out, figures per region for
 * every level, cross-department conflicts as tasks, provincial implementation and the joint
 * meeting. Statistics lay out the view; each department adds its own figures through the graph.
 */
export const supervision: SubgraphDefinition = {
  name: 'supervision',
  port: 4110,
  schema: 'supervision',
  migrations,
  entities: SUPERVISION_ENTITIES,
  resolvers: supervisionResolvers,
};
