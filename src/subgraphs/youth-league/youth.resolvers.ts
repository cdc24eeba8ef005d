import { DateScalar } from '../scalars';
import { youthFigures, youthTrend } from './figures.service';
import * as youth from './youth.service';
import type { Resolvers } from './youth-league.generated';

export const youthResolvers: Resolvers = {
  Date: DateScalar,
  Query: {
    volunteers: (_, args, ctx) => youth.listVolunteers(ctx, args),
    activities: (_, args, ctx) => youth.listActivities(ctx, args),
  },
  Mutation: {
    registerVolunteer: (_, { input }, ctx) => youth.registerVolunteer(ctx, input),
    pairVolunteer: (_, { input }, ctx) => youth.pairVolunteer(ctx, input),
    endPairing: (_, { input }, ctx) => youth.endPairing(ctx, input),
    recordActivity: (_, { input }, ctx) => youth.recordActivity(ctx, input),
  },
  Child: {
    __resolveReference: (c) => c,
    carePairings: (c, _, ctx) => youth.youthLoaders(ctx).pairingsOfChild.load(c.id),
    activities: (c, _, ctx) => youth.activitiesOfChild(ctx, c.id),
  },
  RegionFigures: {
    __resolveReference: (f, ctx) => youthFigures(ctx, f),
  },
  MonthFigures: {
    __resolveReference: (m, ctx) => youthTrend(ctx, m),
  },
  Volunteer: {
    region: (v) => ({ code: v.regionCode }),
    pairings: (v, _, ctx) => youth.youthLoaders(ctx).pairingsOfVolunteer.load(v.id),
  },
  CarePairing: {
    volunteer: (p, _, ctx) => youth.youthLoaders(ctx).volunteer.load(p.volunteerId),
    child: (p) => ({ id: p.childId }),
  },
  Activity: {
    region: (a) => ({ code: a.regionCode }),
    children: async (a, _, ctx) =>
      (await youth.youthLoaders(ctx).attendanceOfActivity.load(a.id)).map((row) => ({ id: row.childId })),
  },
};
