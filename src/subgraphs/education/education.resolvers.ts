import { DateTimeScalar } from '../scalars';
import type { Resolvers } from './education.generated';
import { enrolmentOfChild, recordEnrolment } from './enrolment.service';

export const educationResolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Mutation: {
    recordEnrolment: (_, { input }, ctx) => recordEnrolment(ctx, input),
  },
  Child: {
    __resolveReference: (c) => c,
    enrolment: (c, _, ctx) => enrolmentOfChild(ctx).load(c.id),
  },
  Enrolment: {
    child: (e) => ({ id: e.childId }),
    schoolRegion: (e) => ({ code: e.schoolRegionCode }),
  },
};
