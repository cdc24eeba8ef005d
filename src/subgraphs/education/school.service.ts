import type { HubContext } from '../../context';
import { flushOrConflict } from '../../db/flush';
import { badInput, forbidden } from '../../errors';
import { isWithin } from '../../regions/region-code';
import { requireRegion } from '../../regions/region.service';
import { regionInScope, requireText } from '../input';
import type { RegisterSchoolInput } from './education.generated';
import { educationLoaders } from './education.loaders';
import { SCHOOL_CODE_PATTERN, SchoolSchema, type School } from './school.entity';

/** Schools under `regionCode`, as far as that lies in the caller's jurisdiction, by code. */
export async function schoolsOfRegion(ctx: HubContext, regionCode: string): Promise<School[]> {
  const where = regionInScope('regionCode', ctx.principal.region, regionCode);
  return where ? ctx.em.find(SchoolSchema, where, { orderBy: { code: 'asc' } }) : [];
}

/** A school named in input: it must exist (it may lie outside the caller's jurisdiction). */
export async function requireSchool(ctx: HubContext, field: string, code: string): Promise<School> {
  const school = await educationLoaders(ctx).school.load(code);
  if (!school) throw badInput(field, `no school has the code "${code}"`);
  return school;
}

/** Education registers a school of its jurisdiction under its national code. */
export async function registerSchool(ctx: HubContext, input: RegisterSchoolInput): Promise<School> {
  if (!SCHOOL_CODE_PATTERN.test(input.code)) throw badInput('code', 'must be the 10-digit school identification code');
  const name = requireText('name', input.name);
  await requireRegion(ctx, 'regionCode', input.regionCode, ['COUNTY', 'TOWNSHIP', 'VILLAGE']);
  // Schools carry no jurisdiction filter, so the flush guard does not see them: check here.
  if (!isWithin(ctx.principal.region, input.regionCode)) {
    throw forbidden(`Region ${input.regionCode} is outside your jurisdiction`);
  }
  const school = ctx.em.create(SchoolSchema, {
    code: input.code,
    name,
    kind: input.kind,
    regionCode: input.regionCode,
    boarding: input.boarding ?? false,
  });
  await flushOrConflict(ctx.em, `A school with the code ${input.code} is already registered`);
  return school;
}
