import { DateScalar, DateTimeScalar } from '../scalars';
import { aggregates, listReports, totals } from './assistance-read.service';
import { reportAssistance, reportAssistanceBatch } from './assistance.service';
import type { Resolvers } from './enterprise.generated';
import { enterpriseFigures, enterpriseTrend } from './figures.service';
import { enterpriseLoaders } from './enterprise.loaders';
import { myEnterprise, registerEnterprise } from './enterprise.service';

export const enterpriseResolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Query: {
    myEnterprise: (_, __, ctx) => myEnterprise(ctx),
    assistanceReports: (_, { first, after }, ctx) => listReports(ctx, first ?? 20, after),
    assistanceTotals: (_, { from, to }, ctx) => totals(ctx, from, to),
    assistanceAggregates: (_, { regionCode, from, to }, ctx) => aggregates(ctx, regionCode, from, to),
  },
  Mutation: {
    registerEnterprise: (_, { input }, ctx) => registerEnterprise(ctx, input),
    reportAssistance: (_, { input }, ctx) => reportAssistance(ctx, input),
    reportAssistanceBatch: (_, { rows }, ctx) => reportAssistanceBatch(ctx, rows),
  },
  Child: {
    __resolveReference: (c) => c,
    familyAssistance: (c, _, ctx) => enterpriseLoaders(ctx).familyAssistanceOfChild.load(c.id),
  },
  RegionFigures: {
    __resolveReference: (f, ctx) => enterpriseFigures(ctx, f),
  },
  MonthFigures: {
    __resolveReference: (m, ctx) => enterpriseTrend(ctx, m),
  },
  Enterprise: {
    region: (e) => ({ code: e.regionCode }),
  },
  AssistanceReport: {
    workerIdNumbers: async (r, _, ctx) => {
      const workers = await Promise.all(r.workerIds.map((id) => enterpriseLoaders(ctx).worker.load(id)));
      return workers.map((w) => w!.idMasked);
    },
    workersCovered: (r) => r.workerIds.length,
  },
  AssistanceBatchResult: {
    __resolveType: (result) => ('rowErrors' in result ? 'AssistanceBatchRejected' : 'AssistanceBatchAccepted'),
  },
};
