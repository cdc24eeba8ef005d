import { DateScalar, DateTimeScalar } from '../scalars';
import type { Resolvers } from './justice.generated';
import * as justice from './justice.service';

const childOf = (row: { childId: string }) => ({ id: row.childId });

export const justiceResolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Query: {
    legalAidCases: (_, args, ctx) => justice.listLegalAidCases(ctx, args),
    guardianshipProceedings: (_, args, ctx) => justice.listGuardianshipProceedings(ctx, args),
  },
  Mutation: {
    openLegalAidCase: (_, { input }, ctx) => justice.openLegalAidCase(ctx, input),
    updateLegalAidCase: (_, { input }, ctx) => justice.updateLegalAidCase(ctx, input),
    fileGuardianshipProceeding: (_, { input }, ctx) => justice.fileGuardianshipProceeding(ctx, input),
    recordProceedingDecision: (_, { input }, ctx) => justice.recordProceedingDecision(ctx, input),
    recordAccountability: (_, { input }, ctx) => justice.recordAccountability(ctx, input),
  },
  Child: {
    __resolveReference: (c) => c,
    legalAidCases: (c, _, ctx) => justice.justiceLoaders(ctx).legalAidCasesOfChild.load(c.id),
    guardianshipProceedings: (c, _, ctx) => justice.justiceLoaders(ctx).proceedingsOfChild.load(c.id),
    accountabilityRecords: (c, _, ctx) => justice.justiceLoaders(ctx).accountabilityOfChild.load(c.id),
  },
  LegalAidCase: { child: childOf },
  GuardianshipProceeding: { child: childOf },
  AccountabilityRecord: {
    child: childOf,
    guardian: (r) => ({ id: r.guardianId }),
  },
};
