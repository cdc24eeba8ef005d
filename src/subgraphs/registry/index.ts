import { RegionSchema } from '../../regions/region.entity';
import type { SubgraphDefinition } from '../subgraph';
import { ChildSchema } from './child.entity';
import { GuardianSchema } from './guardian.entity';
import { GuardianshipSchema } from './guardianship.entity';
import { registryResolvers } from './registry.resolvers';
import { ChildRevisionSchema, GuardianshipRevisionSchema } from './revision.entity';

/** Civil affairs: the child registry, guardians and guardianship, and the region reference. */
export const registry: SubgraphDefinition = {
  name: 'registry',
  port: 4101,
  entities: [
    ChildSchema,
    GuardianSchema,
    GuardianshipSchema,
    RegionSchema,
    ChildRevisionSchema,
    GuardianshipRevisionSchema,
  ],
  resolvers: registryResolvers,
};
