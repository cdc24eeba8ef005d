import type { HubContext } from '../../context';
import { flushOrConflict } from '../../db/flush';
import { badInput, notFound } from '../../errors';
import { requireRegion } from '../../regions/region.service';
import { requirePhone, requireText } from '../input';
import { creditCodeError } from './credit-code';
import type { RegisterEnterpriseInput } from './enterprise.generated';
import { EnterpriseSchema, type Enterprise } from './enterprise.entity';

/**
 * Civil affairs registers an enterprise of its jurisdiction (the flush guard refuses any other
 * region). A duplicate credit code is a CONFLICT that does not say where the enterprise is.
 */
export async function registerEnterprise(ctx: HubContext, input: RegisterEnterpriseInput): Promise<Enterprise> {
  const creditCode = input.creditCode.trim().toUpperCase();
  const problem = creditCodeError(creditCode);
  if (problem) throw badInput('creditCode', problem);
  const name = requireText('name', input.name, 200);
  await requireRegion(ctx, 'regionCode', input.regionCode, ['COUNTY', 'TOWNSHIP', 'VILLAGE']);
  const contactName = requireText('contactName', input.contactName, 100);
  const contactPhone = requirePhone('contactPhone', input.contactPhone);
  const enterprise = ctx.em.create(EnterpriseSchema, {
    creditCode,
    name,
    regionCode: input.regionCode,
    labourIntensive: input.labourIntensive,
    contactName,
    contactPhone,
  } as Enterprise);
  await flushOrConflict(ctx.em, 'An enterprise with this credit code is already registered');
  return enterprise;
}

/** The caller's own enterprise, through both row rules; null for anyone else or when unregistered. */
export function myEnterprise(ctx: HubContext): Promise<Enterprise | null> {
  const creditCode = ctx.principal.enterprise;
  return creditCode ? ctx.em.findOne(EnterpriseSchema, { creditCode }) : Promise.resolve(null);
}

export async function ownEnterprise(ctx: HubContext): Promise<Enterprise> {
  const enterprise = await myEnterprise(ctx);
  if (!enterprise) throw notFound('Enterprise');
  return enterprise;
}
