import { DateTimeScalar } from '../scalars';
import { securityFigures } from './figures.service';
import type { Resolvers } from './public-security.generated';
import { childrenWithoutHukou, policeStations, registerHousehold, securityLoaders } from './security.service';

export const securityResolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    childrenWithoutHukou: (_, { regionCode, first, after }, ctx) =>
      childrenWithoutHukou(ctx, regionCode, first ?? 20, after),
    policeStations: (_, { regionCode }, ctx) => policeStations(ctx, regionCode),
  },
  Mutation: {
    registerHousehold: (_, { input }, ctx) => registerHousehold(ctx, input),
  },
  Child: {
    __resolveReference: (c) => c,
    householdRegistration: (c, _, ctx) => securityLoaders(ctx).householdOfChild.load(c.id),
  },
  RegionFigures: {
    __resolveReference: (f, ctx) => securityFigures(ctx, f),
  },
  HouseholdRegistration: {
    child: (h) => ({ id: h.childId }),
    station: (h, _, ctx) => (h.policeStationId ? securityLoaders(ctx).policeStation.load(h.policeStationId) : null),
  },
  PoliceStation: {
    region: (s) => ({ code: s.regionCode }),
  },
};
