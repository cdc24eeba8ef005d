import { DateTimeScalar } from '../scalars';
import type { Resolvers } from './public-security.generated';
import { registerHousehold, securityLoaders } from './security.service';

export const securityResolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Mutation: {
    registerHousehold: (_, { input }, ctx) => registerHousehold(ctx, input),
  },
  Child: {
    __resolveReference: (c) => c,
    householdRegistration: (c, _, ctx) => securityLoaders(ctx).householdOfChild.load(c.id),
    reports: (c, _, ctx) => securityLoaders(ctx).reportsOfChild.load(c.id),
  },
  HouseholdRegistration: {
    child: (h) => ({ id: h.childId }),
  },
};
