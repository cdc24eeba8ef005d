import { migrations } from '../../../migrations/registry';
import type { SubgraphDefinition } from '../subgraph';
import { recordEmergencyGrant, recordJusticeCase } from './access-facts';
import { CENSUS_ENTITIES } from './census.entity';
import { REGISTRY_RETENTION } from './retention';
import { ChildSchema } from './child.entity';
import { GuardianSchema } from './guardian.entity';
import { GuardianshipSchema } from './guardianship.entity';
import { registryResolvers } from './registry.resolvers';
import { ChildRevisionSchema, GuardianshipRevisionSchema } from './revision.entity';

/**
 * Civil affairs: the child registry, guardians and guardianship, and the census ledger it keeps
 * them by (import and export). Publishes moves, new guardians and the facts conflict detection needs.
 */
export const registry: SubgraphDefinition = {
  name: 'registry',
  port: 4101,
  schema: 'registry',
  migrations,
  entities: [
    ChildSchema,
    GuardianSchema,
    GuardianshipSchema,
    ChildRevisionSchema,
    GuardianshipRevisionSchema,
    ...CENSUS_ENTITIES,
  ],
  resolvers: registryResolvers,
  retention: REGISTRY_RETENTION,
  events: {
    justice: { JusticeCase: recordJusticeCase },
    audit: { EmergencyAccessGranted: recordEmergencyGrant },
  },
};
