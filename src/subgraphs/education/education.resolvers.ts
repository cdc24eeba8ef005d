import type { HubContext } from '../../context';
import { DateScalar, DateTimeScalar } from '../scalars';
import { dropoutAlerts, recordAbsence, resolveDropoutAlert } from './dropout.service';
import type { Resolvers } from './education.generated';
import { educationFigures } from './figures.service';
import { educationLoaders } from './education.loaders';
import { enrolmentHistory, isPastEnrolment, recordEnrolment } from './enrolment.service';
import { registerSchool, schoolsOfRegion } from './school.service';

/** The school of a row that names one; it exists (a foreign key), whatever region it is in. */
const schoolOf = async (row: { schoolCode: string }, ctx: HubContext) =>
  (await educationLoaders(ctx).school.load(row.schoolCode))!;

export const educationResolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Query: {
    schoolsOfRegion: (_, { regionCode }, ctx) => schoolsOfRegion(ctx, regionCode),
    dropoutAlerts: (_, { regionCode, status, first, after }, ctx) =>
      dropoutAlerts(ctx, regionCode, status, first ?? 20, after),
  },
  Mutation: {
    registerSchool: (_, { input }, ctx) => registerSchool(ctx, input),
    recordEnrolment: (_, { input }, ctx) => recordEnrolment(ctx, input),
    recordAbsence: (_, { input }, ctx) => recordAbsence(ctx, input),
    resolveDropoutAlert: (_, { input }, ctx) => resolveDropoutAlert(ctx, input),
  },
  Child: {
    __resolveReference: (c) => c,
    enrolment: (c, _, ctx) => educationLoaders(ctx).enrolmentOfChild.load(c.id),
    enrolmentHistory: (c, _, ctx) => enrolmentHistory(ctx, c.id),
  },
  RegionFigures: {
    __resolveReference: (f, ctx) => educationFigures(ctx, f),
  },
  School: {
    region: (s) => ({ code: s.regionCode }),
  },
  Enrolment: {
    child: (e) => ({ id: e.childId }),
    school: (e, _, ctx) => schoolOf(e, ctx),
    schoolName: async (e, _, ctx) => (await schoolOf(e, ctx)).name,
    schoolRegion: async (e, _, ctx) => ({ code: (await schoolOf(e, ctx)).regionCode }),
    until: (e) => (isPastEnrolment(e) ? e.until : null),
    updatedAt: (e) => (isPastEnrolment(e) ? e.recordedAt : e.updatedAt),
  },
  Absence: {
    child: (a) => ({ id: a.childId }),
    school: (a, _, ctx) => schoolOf(a, ctx),
  },
  DropoutAlert: {
    child: (a) => ({ id: a.childId }),
    school: (a, _, ctx) => (a.schoolCode ? educationLoaders(ctx).school.load(a.schoolCode) : null),
  },
};
