import { randomUUID } from 'node:crypto';
import { perRequest, type HubContext } from '../../context';
import { flushOrConflict } from '../../db/flush';
import { manyLoader, oneLoader } from '../../db/loaders';
import { badInput, conflict, notFound } from '../../errors';
import { isWithin, REGION_CODE_PATTERN } from '../../regions/region-code';
import { requireRegion } from '../../regions/region.service';
import { isIsoDate } from '../scalars';
import { listFilter, pageOf, type Connection } from '../connection';
import { requireDistinct, requirePastDate, requirePhone, requireText } from '../input';
import { jurisdictionOfChild } from '../../peers/registry-client';
import { ActivityChildSchema, ActivitySchema, type Activity, type ActivityChild } from './activity.entity';
import { CarePairingSchema, type CarePairing } from './care-pairing.entity';
import { VolunteerSchema, type Volunteer } from './volunteer.entity';
import type {
  EndPairingInput,
  PairVolunteerInput,
  QueryActivitiesArgs,
  QueryVolunteersArgs,
  RecordActivityInput,
  RegisterVolunteerInput,
} from './youth-league.generated';

const SERVICE_LEVELS = ['COUNTY', 'TOWNSHIP', 'VILLAGE'] as const;
const MAX_ATTENDANCE = 500;

/** Current pairings first, then the most recent. */
const pairingOrder = { endDate: 'desc nulls first', startDate: 'desc', id: 'asc' } as const;

export const youthLoaders = perRequest(({ em }) => ({
  volunteer: oneLoader(
    (ids) => em.find(VolunteerSchema, { id: { $in: ids } }),
    (v) => v.id,
  ),
  activity: oneLoader(
    (ids) => em.find(ActivitySchema, { id: { $in: ids } }),
    (a) => a.id,
  ),
  pairing: oneLoader(
    (ids) => em.find(CarePairingSchema, { id: { $in: ids } }),
    (p) => p.id,
  ),
  pairingsOfChild: manyLoader(
    (ids) => em.find(CarePairingSchema, { childId: { $in: ids } }, { orderBy: pairingOrder }),
    (p) => p.childId,
  ),
  pairingsOfVolunteer: manyLoader(
    (ids) => em.find(CarePairingSchema, { volunteerId: { $in: ids } }, { orderBy: pairingOrder }),
    (p) => p.volunteerId,
  ),
  attendanceOfChild: manyLoader(
    (ids) => em.find(ActivityChildSchema, { childId: { $in: ids } }),
    (a) => a.childId,
  ),
  attendanceOfActivity: manyLoader(
    (ids) => em.find(ActivityChildSchema, { activityId: { $in: ids } }, { orderBy: { childId: 'asc' } }),
    (a) => a.activityId,
  ),
}));

/** The activities a child attended that the caller may see (held inside its jurisdiction), newest first. */
export async function activitiesOfChild(ctx: HubContext, childId: string): Promise<Activity[]> {
  const loaders = youthLoaders(ctx);
  const attended = await loaders.attendanceOfChild.load(childId);
  const activities = await loaders.activity.loadMany(attended.map((a) => a.activityId));
  return activities
    .filter((a): a is Activity => a !== null && !(a instanceof Error))
    .sort((a, b) => b.date.localeCompare(a.date) || a.id.localeCompare(b.id));
}

export type VolunteerConnection = Connection<Volunteer>;
export type ActivityConnection = Connection<Activity>;

export function listVolunteers(ctx: HubContext, args: QueryVolunteersArgs): Promise<VolunteerConnection> {
  return pageOf(
    ctx,
    VolunteerSchema,
    listFilter({ regionCode: args.regionCode }),
    { key: 'regionCode', direction: 'asc', valid: (code) => REGION_CODE_PATTERN.test(code) },
    args.first ?? 20,
    args.after,
  );
}

export function listActivities(ctx: HubContext, args: QueryActivitiesArgs): Promise<ActivityConnection> {
  return pageOf(
    ctx,
    ActivitySchema,
    listFilter(args),
    { key: 'date', direction: 'desc', valid: isIsoDate },
    args.first ?? 20,
    args.after,
  );
}

export async function registerVolunteer(ctx: HubContext, input: RegisterVolunteerInput): Promise<Volunteer> {
  const values = {
    name: requireText('name', input.name, 50),
    phone: requirePhone('phone', input.phone),
    organisation: requireText('organisation', input.organisation),
    regionCode: (await requireRegion(ctx, 'regionCode', input.regionCode, [...SERVICE_LEVELS])).code,
  };
  const volunteer = ctx.em.create(VolunteerSchema, values as Volunteer);
  await flushOrConflict(ctx.em, 'A volunteer with this phone number is already registered');
  return volunteer;
}

export async function pairVolunteer(ctx: HubContext, input: PairVolunteerInput): Promise<CarePairing> {
  const startDate = requirePastDate('startDate', input.startDate);
  const volunteer = await youthLoaders(ctx).volunteer.load(input.volunteerId);
  if (!volunteer) throw notFound('Volunteer');
  const regionCode = await jurisdictionOfChild(ctx, input.childId);
  if (!isWithin(volunteer.regionCode, regionCode)) {
    throw badInput('childId', 'the child lives outside the region the volunteer serves');
  }
  const pairing = ctx.em.create(CarePairingSchema, {
    volunteerId: volunteer.id,
    childId: input.childId,
    regionCode,
    startDate,
    endDate: null,
    visitFrequency: input.visitFrequency,
  } as CarePairing);
  await flushOrConflict(ctx.em, 'The volunteer is already paired with this child; end that pairing first');
  return pairing;
}

export async function endPairing(ctx: HubContext, input: EndPairingInput): Promise<CarePairing> {
  const pairing = await youthLoaders(ctx).pairing.load(input.id);
  if (!pairing) throw notFound('CarePairing');
  if (pairing.endDate) throw conflict(`The pairing already ended on ${pairing.endDate}`);
  const endDate = requirePastDate('endDate', input.endDate);
  if (endDate < pairing.startDate) throw badInput('endDate', `must not be before the start (${pairing.startDate})`);
  ctx.em.assign(pairing, { endDate });
  await flushOrConflict(ctx.em);
  return pairing;
}

export async function recordActivity(ctx: HubContext, input: RecordActivityInput): Promise<Activity> {
  const date = requirePastDate('date', input.date);
  const place = requireText('place', input.place, 200);
  const region = await requireRegion(ctx, 'regionCode', input.regionCode, [...SERVICE_LEVELS]);
  if (input.childIds.length === 0) throw badInput('childIds', 'at least one child must have attended');
  if (input.childIds.length > MAX_ATTENDANCE) throw badInput('childIds', `at most ${MAX_ATTENDANCE} children`);
  const childIds = requireDistinct('childIds', input.childIds, 'a child');
  // Each child must exist in the caller's jurisdiction; the registry answers for all of them at once.
  const regions = await Promise.all(childIds.map((id) => jurisdictionOfChild(ctx, id)));
  const activity = ctx.em.create(ActivitySchema, {
    id: randomUUID(),
    regionCode: region.code,
    kind: input.kind,
    date,
    place,
  } as Activity);
  childIds.forEach((childId, i) =>
    ctx.em.create(ActivityChildSchema, { activityId: activity.id, childId, regionCode: regions[i] } as ActivityChild),
  );
  await flushOrConflict(ctx.em);
  return activity;
}
