import { randomUUID } from 'node:crypto';
import { perRequest, type HubContext } from '../../context';
import { flushOrConflict } from '../../db/flush';
import { manyLoader, oneLoader } from '../../db/loaders';
import { badInput, notFound } from '../../errors';
import { requireRegion } from '../../regions/region.service';
import { listFilter, pageOf, type Connection } from '../connection';
import { requireDistinct, requirePastDate, requireText } from '../input';
import { guardianInJurisdiction } from '../../peers/registry-client';
import { isIsoDate } from '../scalars';
import { ChildrensHomeSchema, type ChildrensHome } from './childrens-home.entity';
import {
  GuidanceAttendeeSchema,
  GuidanceSessionSchema,
  type GuidanceAttendee,
  type GuidanceSession,
} from './guidance-session.entity';
import type {
  QueryChildrensHomesArgs,
  QueryGuidanceSessionsArgs,
  RecordGuidanceSessionInput,
  RegisterChildrensHomeInput,
  UpdateChildrensHomeInput,
} from './womens-federation.generated';

const MAX_ATTENDEES = 10_000;
const MAX_ACTIVITIES = 20;

export const womenLoaders = perRequest(({ em }) => ({
  childrensHome: oneLoader(
    (ids) => em.find(ChildrensHomeSchema, { id: { $in: ids } }),
    (h) => h.id,
  ),
  attendeesOfSession: manyLoader(
    (ids) => em.find(GuidanceAttendeeSchema, { sessionId: { $in: ids } }, { orderBy: { guardianId: 'asc' } }),
    (a) => a.sessionId,
  ),
}));

export type GuidanceSessionConnection = Connection<GuidanceSession>;

export function listGuidanceSessions(
  ctx: HubContext,
  args: QueryGuidanceSessionsArgs,
): Promise<GuidanceSessionConnection> {
  return pageOf(
    ctx,
    GuidanceSessionSchema,
    listFilter(args),
    { key: 'date', direction: 'desc', valid: isIsoDate },
    args.first ?? 20,
    args.after,
  );
}

export function listChildrensHomes(ctx: HubContext, args: QueryChildrensHomesArgs): Promise<ChildrensHome[]> {
  return ctx.em.find(ChildrensHomeSchema, listFilter({ regionCode: args.regionCode }), {
    orderBy: { regionCode: 'asc', name: 'asc' },
  });
}

function requireCount(field: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 0 || value > max) throw badInput(field, `must be 0 to ${max}`);
  return value;
}

export async function recordGuidanceSession(
  ctx: HubContext,
  input: RecordGuidanceSessionInput,
): Promise<GuidanceSession> {
  const date = requirePastDate('date', input.date);
  if (input.topics.length === 0) throw badInput('topics', 'at least one topic is required');
  const topics = requireDistinct('topics', input.topics, 'a topic');
  const place = requireText('place', input.place, 200);
  const host = requireText('host', input.host, 100);
  const region = await requireRegion(ctx, 'regionCode', input.regionCode, ['COUNTY', 'TOWNSHIP', 'VILLAGE']);
  const attendeeCount = requireCount('attendeeCount', input.attendeeCount, MAX_ATTENDEES);
  const guardianIds = requireDistinct('guardianIds', input.guardianIds ?? [], 'a guardian');
  if (attendeeCount === 0) throw badInput('attendeeCount', 'a session has at least one attendee');
  if (guardianIds.length > attendeeCount) throw badInput('guardianIds', 'more guardians than attendees');
  // Each guardian must exist in the caller's jurisdiction; the registry answers for all of them at once.
  const guardians = await Promise.all(guardianIds.map((id) => guardianInJurisdiction(ctx, id)));
  const session = ctx.em.create(GuidanceSessionSchema, {
    id: randomUUID(),
    regionCode: region.code,
    date,
    topics,
    place,
    host,
    attendeeCount,
  } as GuidanceSession);
  guardianIds.forEach((guardianId, i) =>
    ctx.em.create(GuidanceAttendeeSchema, {
      sessionId: session.id,
      guardianId,
      regionCode: guardians[i].regionCode,
      relation: guardians[i].relation,
    } as GuidanceAttendee),
  );
  await flushOrConflict(ctx.em);
  return session;
}

/** The checked values of the fields given; a field left out (or null) is not in the result. */
function homeDetails(input: Omit<UpdateChildrensHomeInput, 'id'>): Partial<ChildrensHome> {
  const details: Partial<ChildrensHome> = {};
  if (input.name != null) details.name = requireText('name', input.name, 100);
  if (input.address != null) details.address = requireText('address', input.address, 200);
  if (input.openingHours != null) details.openingHours = requireText('openingHours', input.openingHours, 200);
  if (input.childrenServed != null) {
    details.childrenServed = requireCount('childrenServed', input.childrenServed, MAX_ATTENDEES);
  }
  if (input.activities != null) {
    if (input.activities.length > MAX_ACTIVITIES) throw badInput('activities', `at most ${MAX_ACTIVITIES}`);
    const activities = input.activities.map((a, i) => requireText(`activities[${i}]`, a, 100));
    details.activities = requireDistinct('activities', activities, 'an activity');
  }
  return details;
}

const DUPLICATE_HOME = 'The village already has a children’s home of this name';

export async function registerChildrensHome(
  ctx: HubContext,
  input: RegisterChildrensHomeInput,
): Promise<ChildrensHome> {
  const details = homeDetails({ ...input, activities: input.activities ?? [] });
  const village = await requireRegion(ctx, 'villageCode', input.villageCode, ['VILLAGE']);
  const home = ctx.em.create(ChildrensHomeSchema, { ...details, regionCode: village.code } as ChildrensHome);
  await flushOrConflict(ctx.em, DUPLICATE_HOME);
  return home;
}

export async function updateChildrensHome(ctx: HubContext, input: UpdateChildrensHomeInput): Promise<ChildrensHome> {
  const home = await womenLoaders(ctx).childrensHome.load(input.id);
  if (!home) throw notFound('ChildrensHome');
  ctx.em.assign(home, homeDetails(input));
  await flushOrConflict(ctx.em, DUPLICATE_HOME);
  return home;
}
