import { perRequest, type HubContext } from '../../context';
import type { RegisterHouseholdInput } from './public-security.generated';
import { flushOrConflict } from '../../db/flush';
import { manyLoader, oneLoader } from '../../db/loaders';
import { badInput } from '../../errors';
import { jurisdictionOfChild } from '../registry/child-directory';
import { HouseholdRegistrationSchema, type HouseholdRegistration } from './household-registration.entity';
import { ReportSchema } from './report.entity';

export const securityLoaders = (ctx: HubContext) =>
  perRequest(ctx, ({ em }) => ({
    householdOfChild: oneLoader(
      (ids) => em.find(HouseholdRegistrationSchema, { childId: { $in: ids } }),
      (h) => h.childId,
    ),
    reportsOfChild: manyLoader(
      (ids) => em.find(ReportSchema, { childId: { $in: ids } }, { orderBy: { receivedAt: 'desc' } }),
      (r) => r.childId!,
    ),
  }));

export async function registerHousehold(
  ctx: HubContext,
  input: RegisterHouseholdInput,
): Promise<HouseholdRegistration> {
  const hukouNumber = input.hukouNumber.trim();
  if (!/^[0-9A-Z]{6,20}$/.test(hukouNumber)) throw badInput('hukouNumber', 'must be 6 to 20 digits or capital letters');
  const policeStation = input.policeStation.trim();
  if (!policeStation) throw badInput('policeStation', 'must not be empty');
  if (policeStation.length > 100) throw badInput('policeStation', 'must be at most 100 characters');
  const regionCode = await jurisdictionOfChild(ctx, input.childId);
  const values = { regionCode, registered: true, hukouNumber, policeStation };
  const existing = await securityLoaders(ctx).householdOfChild.load(input.childId);
  const registration = existing
    ? ctx.em.assign(existing, values)
    : ctx.em.create(HouseholdRegistrationSchema, { childId: input.childId, ...values } as HouseholdRegistration);
  await flushOrConflict(ctx.em);
  return registration;
}
