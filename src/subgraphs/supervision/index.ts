import { migrations } from '../../../migrations/supervision';
import type { SubgraphDefinition } from '../subgraph';
import { CONFLICT_FACT_EVENTS } from './conflict-facts';
import { CONFLICT_FACT_ENTITIES } from './conflict-facts.entity';
import { SUPERVISION_ENTITIES } from './supervision.entity';
import { supervisionResolvers } from './supervision.resolvers';

/**
 * Statistics and supervision: figures per region for every level, cross-department conflicts as
 * tasks (found in the facts the departments publish to it), provincial implementation and the
 * joint meeting. Statistics read the departments' schemas as a reporting read model (aggregates only).
 */
export const supervision: SubgraphDefinition = {
  name: 'supervision',
  port: 4110,
  schema: 'supervision',
  migrations,
  entities: [...SUPERVISION_ENTITIES, ...CONFLICT_FACT_ENTITIES],
  resolvers: supervisionResolvers,
  events: CONFLICT_FACT_EVENTS,
};
