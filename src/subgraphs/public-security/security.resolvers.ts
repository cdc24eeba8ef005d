import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { HubContext } from '../../context';
import { DateTimeScalar } from '../scalars';
import type { HouseholdRegistration } from './household-registration.entity';
import { registerHousehold, securityLoaders, type RegisterHouseholdInput } from './security.service';

export const securityResolvers: GraphQLResolverMap<HubContext> = {
  DateTime: DateTimeScalar,
  Mutation: {
    registerHousehold: (_, { input }: { input: RegisterHouseholdInput }, ctx: HubContext) =>
      registerHousehold(ctx, input),
  },
  Child: {
    __resolveReference: (c: { id: string }) => c,
    householdRegistration: (c: { id: string }, _, ctx: HubContext) => securityLoaders(ctx).householdOfChild.load(c.id),
    reports: (c: { id: string }, _, ctx: HubContext) => securityLoaders(ctx).reportsOfChild.load(c.id),
  },
  HouseholdRegistration: {
    child: (h: HouseholdRegistration) => ({ id: h.childId }),
  },
};
