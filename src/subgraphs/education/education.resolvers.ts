import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { HubContext } from '../../context';
import { DateTimeScalar } from '../scalars';
import type { Enrolment } from './enrolment.entity';
import { enrolmentOfChild, recordEnrolment, type RecordEnrolmentInput } from './enrolment.service';

export const educationResolvers: GraphQLResolverMap<HubContext> = {
  DateTime: DateTimeScalar,
  Mutation: {
    recordEnrolment: (_, { input }: { input: RecordEnrolmentInput }, ctx: HubContext) => recordEnrolment(ctx, input),
  },
  Child: {
    __resolveReference: (c: { id: string }) => c,
    enrolment: (c: { id: string }, _, ctx: HubContext) => enrolmentOfChild(ctx).load(c.id),
  },
  Enrolment: {
    child: (e: Enrolment) => ({ id: e.childId }),
    schoolRegion: (e: Enrolment) => ({ code: e.schoolRegionCode }),
  },
};
