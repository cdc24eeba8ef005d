import type { HubContext } from '../../context';
import { isUuid } from '../../db/loaders';
import { badInput, conflict, forbidden, notFound } from '../../errors';
import { publish } from '../../events/feed';
import { jurisdictionOfChild } from '../../peers/registry-client';
import { regionPrefix, requireText } from '../input';
import type { RequestEmergencyAccessInput, ReviewEmergencyAccessInput } from './audit.generated';
import { EmergencyGrantSchema, MAX_EMERGENCY_HOURS, REVIEW_DAYS, type EmergencyGrant } from './emergency-grant.entity';

const HOUR = 3_600_000;

export async function requestEmergencyAccess(ctx: HubContext, input: RequestEmergencyAccessInput) {
  if (!isUuid(input.childId)) throw badInput('childId', 'must be a child id');
  const reason = requireText('reason', input.reason, 1000);
  if (reason.length < 10) throw badInput('reason', 'must say why, in at least 10 characters');
  const hours = input.hours ?? MAX_EMERGENCY_HOURS;
  if (!Number.isInteger(hours) || hours < 1 || hours > MAX_EMERGENCY_HOURS) {
    throw badInput('hours', `must be 1 to ${MAX_EMERGENCY_HOURS}`);
  }
  const regionCode = await jurisdictionOfChild(ctx, input.childId);
  const grantedAt = new Date();
  const grant = ctx.em.create(EmergencyGrantSchema, {
    id: crypto.randomUUID(),
    childId: input.childId,
    regionCode,
    account: ctx.principal.sub,
    dept: ctx.principal.dept,
    accountRegion: ctx.principal.region,
    reason,
    grantedAt,
    expiresAt: new Date(grantedAt.getTime() + hours * HOUR),
    reviewedAt: null,
    reviewer: null,
    justified: null,
    reviewNote: null,
  });
  // The registry widens what the account sees of the child once it has the grant (access-facts.ts there).
  publish(ctx.em, 'EmergencyAccessGranted', {
    grantId: grant.id,
    childId: grant.childId,
    account: grant.account,
    expiresAt: grant.expiresAt.toISOString(),
  });
  await ctx.em.flush();
  return grant;
}

export async function reviewEmergencyAccess(ctx: HubContext, input: ReviewEmergencyAccessInput) {
  if (!isUuid(input.id)) throw badInput('id', 'must be a grant id');
  const note = requireText('note', input.note, 1000);
  const grant = await ctx.em.findOne(EmergencyGrantSchema, { id: input.id });
  if (!grant) throw notFound('Emergency grant');
  if (grant.reviewedAt) throw conflict('This grant has already been reviewed');
  if (grant.account === ctx.principal.sub) throw forbidden('A grant is reviewed by another person than its holder');
  Object.assign(grant, {
    reviewedAt: new Date(),
    reviewer: ctx.principal.sub,
    justified: input.justified,
    reviewNote: note,
  });
  await ctx.em.flush();
  return grant;
}

export function emergencyAccessGrants(ctx: HubContext, regionCode: string | null | undefined, unreviewedOnly: boolean) {
  return ctx.em.find(
    EmergencyGrantSchema,
    { ...regionPrefix('regionCode', regionCode), ...(unreviewedOnly ? { reviewedAt: null } : {}) },
    { orderBy: { grantedAt: 'asc', id: 'asc' } },
  );
}

export const reviewDue = (grant: EmergencyGrant) => new Date(grant.expiresAt.getTime() + REVIEW_DAYS * 24 * HOUR);
export const isActive = (grant: EmergencyGrant) => grant.expiresAt.getTime() > Date.now();
export const isOverdue = (grant: EmergencyGrant) => !grant.reviewedAt && reviewDue(grant).getTime() < Date.now();
