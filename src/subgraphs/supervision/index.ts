import { migrations } from '../../../migrations/supervision';
import type { SubgraphDefinition } from '../subgraph';
import { CONFLICT_FACT_EVENTS } from './conflict-facts';
import { CONFLICT_FACT_ENTITIES } from './conflict-facts.entity';
import { SUPERVISION_ENTITIES } from './supervision.entity';
import { supervisionResolvers } from './supervision.resolvers';

/**
 * Supervision: figures per region for every level (each department adds its own through the
 * graph), cross-department conflicts as tasks (found in the facts the departments publish to
 * it), provincial implementation and the joint meeting.
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
