import { DateScalar, DateTimeScalar } from '../scalars';
import * as women from './women.service';
import type { Resolvers } from './womens-federation.generated';

export const womenResolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Query: {
    guidanceSessions: (_, args, ctx) => women.listGuidanceSessions(ctx, args),
    childrensHomes: (_, args, ctx) => women.listChildrensHomes(ctx, args),
  },
  Mutation: {
    recordGuidanceSession: (_, { input }, ctx) => women.recordGuidanceSession(ctx, input),
    registerChildrensHome: (_, { input }, ctx) => women.registerChildrensHome(ctx, input),
    updateChildrensHome: (_, { input }, ctx) => women.updateChildrensHome(ctx, input),
  },
  GuidanceSession: {
    region: (s) => ({ code: s.regionCode }),
    guardians: (s, _, ctx) => women.womenLoaders(ctx).attendeesOfSession.load(s.id),
  },
  ChildrensHome: {
    region: (h) => ({ code: h.regionCode }),
  },
};
