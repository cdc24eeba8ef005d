import { perRequest, type HubContext } from '../../context';
import type { RegisterHouseholdInput } from './public-security.generated';
import { saveSingleRow } from '../../db/flush';
import { requireText } from '../input';
import { manyLoader, oneLoader } from '../../db/loaders';
import { badInput } from '../../errors';
import { jurisdictionOfChild } from '../registry/child-directory';
import { HouseholdRegistrationSchema, type HouseholdRegistration } from './household-registration.entity';
import { ReportSchema } from './report.entity';

export const securityLoaders = perRequest(({ em }) => ({
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
  const policeStation = requireText('policeStation', input.policeStation);
  const regionCode = await jurisdictionOfChild(ctx, input.childId);
  const values = { regionCode, registered: true, hukouNumber, policeStation };
  const existing = await securityLoaders(ctx).householdOfChild.load(input.childId);
  return saveSingleRow(ctx.em, HouseholdRegistrationSchema, existing, { childId: input.childId, ...values });
}
