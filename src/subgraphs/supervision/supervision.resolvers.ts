import { DateScalar, DateTimeScalar } from '../scalars';
import { regionStatistics, statisticsTrend, supervisionFigures } from './statistics.service';
import type { Resolvers } from './supervision.generated';
import {
  addJointMeetingUnit,
  addWorkPoint,
  conflictTasks,
  detectConflicts,
  isOverdue,
  jointMeeting,
  provincialImplementation,
  resolveConflictTask,
  setProvincialImplementation,
  setWorkPointStatus,
} from './supervision.service';
import { supervisionLoaders } from './supervision.loaders';

export const supervisionResolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Query: {
    regionStatistics: (_, { code, period }, ctx) => regionStatistics(ctx, code, period),
    statisticsTrend: (_, { code, from, to }, ctx) => statisticsTrend(ctx, code, from, to),
    conflictTasks: (_, { regionCode, status, first }, ctx) =>
      conflictTasks(ctx, regionCode, status ?? null, first ?? 100),
    provincialImplementation: (_, { provinceCode }, ctx) => provincialImplementation(ctx, provinceCode),
    jointMeeting: (_, { regionCode, year }, ctx) => jointMeeting(ctx, regionCode, year),
  },
  Mutation: {
    detectConflicts: (_, { regionCode }, ctx) => detectConflicts(ctx, regionCode),
    resolveConflictTask: (_, { id }, ctx) => resolveConflictTask(ctx, id),
    setProvincialImplementation: (_, { input }, ctx) => setProvincialImplementation(ctx, input),
    addJointMeetingUnit: (_, { input }, ctx) => addJointMeetingUnit(ctx, input),
    addWorkPoint: (_, { input }, ctx) => addWorkPoint(ctx, input),
    setWorkPointStatus: (_, { id, status }, ctx) => setWorkPointStatus(ctx, id, status),
  },
  RegionFigures: {
    region: (f) => ({ code: f.code }),
    openConflicts: async (f, _, ctx) => (await supervisionFigures(ctx, f)).openConflicts,
  },
  ConflictTask: {
    child: (t) => ({ id: t.childId }),
    region: (t) => ({ code: t.regionCode }),
  },
  ProvincialImplementation: {
    province: (p) => ({ code: p.regionCode }),
  },
  JointMeetingUnit: {
    region: (u) => ({ code: u.regionCode }),
  },
  WorkPoint: {
    unit: async (w, _, ctx) => (await supervisionLoaders(ctx).unit.load(w.unitId))!,
    overdue: (w) => isOverdue(w),
  },
};
