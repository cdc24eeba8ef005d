import { DateScalar, DateTimeScalar } from '../scalars';
import { censusChanges, censusImport, censusImports, importCensus, ledgerExport } from './census.service';
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
    censusImport: (_, { id }, ctx) => censusImport(ctx, id),
    censusImports: (_, { regionCode, first }, ctx) => censusImports(ctx, regionCode, first ?? 20),
    ledgerExport: (_, { regionCode, format }, ctx) => ledgerExport(ctx, regionCode, format),
    conflictTasks: (_, { regionCode, status, first }, ctx) =>
      conflictTasks(ctx, regionCode, status ?? null, first ?? 100),
    provincialImplementation: (_, { provinceCode }, ctx) => provincialImplementation(ctx, provinceCode),
    jointMeeting: (_, { regionCode, year }, ctx) => jointMeeting(ctx, regionCode, year),
  },
  Mutation: {
    importCensus: (_, { input }, ctx) => importCensus(ctx, input),
    detectConflicts: (_, { regionCode }, ctx) => detectConflicts(ctx, regionCode),
    resolveConflictTask: (_, { id }, ctx) => resolveConflictTask(ctx, id),
    setProvincialImplementation: (_, { input }, ctx) => setProvincialImplementation(ctx, input),
    addJointMeetingUnit: (_, { input }, ctx) => addJointMeetingUnit(ctx, input),
    addWorkPoint: (_, { input }, ctx) => addWorkPoint(ctx, input),
    setWorkPointStatus: (_, { id, status }, ctx) => setWorkPointStatus(ctx, id, status),
  },
  CensusImport: {
    region: (r) => ({ code: r.regionCode }),
    noChange: (r) => r.status === 'ACCEPTED' && r.created + r.updated === 0,
    changes: (r, { first }, ctx) => censusChanges(ctx, r.id, first ?? 100),
  },
  CensusChange: {
    child: (c) => ({ id: c.childId }),
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
