import { DateTimeScalar } from '../scalars';
import {
  caseworkLoaders,
  acceptReport,
  answerReferral,
  assessCase,
  closeCase,
  concernReceipt,
  dispatchResponse,
  handToTownship,
  markNotSubstantiated,
  objectToFinding,
  recordChildSafe,
  recordGuardianFailure,
  recordVisit,
  referCase,
  reportConcern,
  resendReferral,
  reviewCase,
} from './casework.service';
import {
  deadlinePolicy,
  escalatedTo,
  overdueTasks,
  protectionCases,
  referralsToAnswer,
  setDeadline,
} from './casework-read.service';
import type { Resolvers } from './casework.generated';
import { caseworkFigures } from './figures.service';
import { markRead, notifications } from './notifications';
import { deliveriesOf, registerWebhook, removeWebhook, webhooksOf } from './webhooks';

export const caseworkResolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    protectionCase: (_, { id }, ctx) => caseworkLoaders(ctx).protectionCase.load(id),
    protectionCases: (_, { regionCode, status, first, after }, ctx) =>
      protectionCases(ctx, { regionCode, status, first: first ?? 20, after }),
    concernReceipt: (_, { receiptNumber }, ctx) => concernReceipt(ctx, receiptNumber),
    overdueTasks: (_, { regionCode, first, after }, ctx) => overdueTasks(ctx, regionCode, first ?? 20, after),
    referralsToAnswer: (_, { status, first, after }, ctx) =>
      referralsToAnswer(ctx, { status, first: first ?? 20, after }),
    deadlinePolicy: (_, { regionCode }, ctx) => deadlinePolicy(ctx, regionCode),
    notifications: (_, { unreadOnly, first, after }, ctx) =>
      notifications(ctx, unreadOnly ?? false, first ?? 20, after),
    webhooks: (_, __, ctx) => webhooksOf(ctx),
  },
  Mutation: {
    reportConcern: (_, { input }, ctx) => reportConcern(ctx, input),
    acceptReport: (_, { input }, ctx) => acceptReport(ctx, input),
    dispatchResponse: (_, { input }, ctx) => dispatchResponse(ctx, input),
    recordChildSafe: (_, { input }, ctx) => recordChildSafe(ctx, input),
    handToTownship: (_, { input }, ctx) => handToTownship(ctx, input),
    markNotSubstantiated: (_, { input }, ctx) => markNotSubstantiated(ctx, input),
    objectToFinding: (_, { input }, ctx) => objectToFinding(ctx, input),
    recordGuardianFailure: (_, { input }, ctx) => recordGuardianFailure(ctx, input),
    assessCase: (_, { input }, ctx) => assessCase(ctx, input),
    referCase: (_, { input }, ctx) => referCase(ctx, input),
    answerReferral: (_, { input }, ctx) => answerReferral(ctx, input),
    resendReferral: (_, { input }, ctx) => resendReferral(ctx, input),
    recordVisit: (_, { input }, ctx) => recordVisit(ctx, input),
    reviewCase: (_, { input }, ctx) => reviewCase(ctx, input),
    closeCase: (_, { input }, ctx) => closeCase(ctx, input),
    setDeadline: (_, { input }, ctx) => setDeadline(ctx, input),
    markRead: (_, { ids }, ctx) => markRead(ctx, ids),
    registerWebhook: (_, { input }, ctx) => registerWebhook(ctx, input),
    removeWebhook: (_, { id }, ctx) => removeWebhook(ctx, id),
  },
  Child: {
    __resolveReference: (c) => c,
    protectionCases: (c, _, ctx) => caseworkLoaders(ctx).casesOfChild.load(c.id),
  },
  RegionFigures: {
    __resolveReference: (f, ctx) => caseworkFigures(ctx, f),
  },
  ProtectionCase: {
    child: (c) => (c.childId ? { id: c.childId } : null),
    place: (c) => ({ code: c.regionCode }),
    placement: (c) =>
      c.placementKind ? { kind: c.placementKind, address: c.placementAddress, since: c.placementSince! } : null,
    assessment: (c, _, ctx) => caseworkLoaders(ctx).assessment.load(c.id),
    referrals: (c, _, ctx) => caseworkLoaders(ctx).referrals.load(c.id),
    visits: (c, _, ctx) => caseworkLoaders(ctx).visits.load(c.id),
    tasks: (c, _, ctx) => caseworkLoaders(ctx).tasks.load(c.id),
    timeline: (c, _, ctx) => caseworkLoaders(ctx).timeline.load(c.id),
  },
  CaseEvent: {
    department: (e) => e.actorDept,
  },
  Referral: {
    case: (r, _, ctx) => caseworkLoaders(ctx).protectionCase.load(r.caseId),
  },
  Task: {
    case: (t, _, ctx) => caseworkLoaders(ctx).protectionCase.load(t.caseId),
    overdue: (t, _, ctx) => !t.doneAt && new Date(t.dueAt) < ctx.clock.now(),
    escalatedTo: (t, _, ctx) => escalatedTo(t, ctx.clock.now()),
  },
  Deadline: {
    variant: (d) => d.variant || null,
  },
  Notification: {
    region: (n) => ({ code: n.regionCode }),
  },
  Webhook: {
    deliveries: (w, { first }, ctx) => deliveriesOf(ctx, w.id, first ?? 20),
  },
};
