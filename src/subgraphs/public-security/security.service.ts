import { perRequest, type HubContext } from '../../context';
import type { RegisterHouseholdInput } from './public-security.generated';
import { saveSingleRow } from '../../db/flush';
import { optionalText, regionInScope, regionPrefix } from '../input';
import { oneLoader } from '../../db/loaders';
import { scopedRead } from '../../db/scoped-read';
import { badInput } from '../../errors';
import { jurisdictionOfChild } from '../../peers/registry-client';
import { HOUSEHOLD_RECORDED } from '../../events/conflict-facts';
import { publish } from '../../events/feed';
import { findPage, type Connection } from '../connection';
import { HouseholdRegistrationSchema, type HouseholdRegistration } from './household-registration.entity';
import { PoliceStationSchema, type PoliceStation } from './police-station.entity';

export type HouseholdRegistrationConnection = Connection<HouseholdRegistration>;

const householdsByChild = scopedRead(HouseholdRegistrationSchema, 'childId');

export const securityLoaders = perRequest(({ em }) => ({
  householdOfChild: oneLoader(
    (ids) => householdsByChild(em, ids),
    (h) => h.childId,
  ),
  policeStation: oneLoader(
    (ids) => em.find(PoliceStationSchema, { id: { $in: ids } }),
    (s) => s.id,
  ),
}));

/** Records that a child has household registration: it leaves the list of children without hukou. */
export async function registerHousehold(
  ctx: HubContext,
  input: RegisterHouseholdInput,
): Promise<HouseholdRegistration> {
  const hukouNumber = input.hukouNumber.trim();
  if (!/^[0-9A-Z]{6,20}$/.test(hukouNumber)) throw badInput('hukouNumber', 'must be 6 to 20 digits or capital letters');
  let policeStation = optionalText('policeStation', input.policeStation, 100);
  let policeStationId: string | null = null;
  if (input.policeStationId != null) {
    const station = await securityLoaders(ctx).policeStation.load(input.policeStationId);
    if (!station) throw badInput('policeStationId', 'no police station has this id');
    policeStationId = station.id;
    policeStation ??= station.name;
  }
  if (!policeStation) throw badInput('policeStation', 'give the station, by id or by name');
  const regionCode = await jurisdictionOfChild(ctx, input.childId);
  const values = { regionCode, registered: true, hukouNumber, policeStation, policeStationId };
  const existing = await securityLoaders(ctx).householdOfChild.load(input.childId);
  // Conflict detection looks for registered children without household registration.
  publish(ctx.em, HOUSEHOLD_RECORDED, { childId: input.childId, regionCode, registered: true });
  return saveSingleRow(ctx.em, HouseholdRegistrationSchema, existing, { childId: input.childId, ...values });
}

/** Children of the caller's jurisdiction recorded without household registration, in village order. */
export function childrenWithoutHukou(
  ctx: HubContext,
  regionCode: string | null | undefined,
  first: number,
  after?: string | null,
): Promise<HouseholdRegistrationConnection> {
  const where = { registered: false, ...regionPrefix('regionCode', regionCode) };
  return findPage(ctx.em, HouseholdRegistrationSchema, where, 'childId', first, after);
}

/** Police stations under `regionCode`, as far as that lies in the caller's jurisdiction, by name. */
export async function policeStations(ctx: HubContext, regionCode: string): Promise<PoliceStation[]> {
  const where = regionInScope('regionCode', ctx.principal.region, regionCode);
  return where ? ctx.em.find(PoliceStationSchema, where, { orderBy: { regionCode: 'asc', name: 'asc' } }) : [];
}
