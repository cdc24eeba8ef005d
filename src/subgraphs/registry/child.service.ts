import { randomUUID } from 'node:crypto';
import { accessOf, FIELD_ACCESS } from '../../policy/field-access';
import type { HubContext } from '../../context';
import { checkVersion, flushOrConflict, saveSingleRow } from '../../db/flush';
import { badInput, conflict, ErrorCode, forbidden, HubError, notFound } from '../../errors';
import { isWithin } from '../../regions/region-code';
import { regionLoader, requireRegion } from '../../regions/region.service';
import { publish } from '../../events/feed';
import { findPage, type Connection } from '../connection';
import {
  optionalText,
  regionPrefix,
  requireDistinct,
  requirePastDate,
  requirePhone,
  requireText,
  today,
} from '../input';
import { ChildSchema, type Child, type ChildCategory, type Gender } from './child.entity';
import { GuardianSchema, type Guardian } from './guardian.entity';
import { GuardianshipSchema, type Guardianship, type GuardianshipKind } from './guardianship.entity';
import type {
  AddGuardianInput,
  ChildFilter,
  GuardianInput,
  RegisterChildInput,
  SetGuardianshipInput,
  UpdateChildInput,
  UpdateGuardianInput,
} from './registry.generated';
import {
  ageOn,
  capacityBreach,
  categoryBreaches,
  isLeftBehind,
  type Breach,
  type CategoryFacts,
  type GuardianFacts,
} from '../../domain/categories';
import { parseIdNumber } from '../../domain/id-number';
import { isCompulsorySchoolAge } from '../../domain/school-age';
import { registryLoaders } from './registry.loaders';
import { checkRegionFilter } from '../../policy/region-filter';
import { publishChildFacts } from './conflict-facts';
import { LedgerEntrySchema } from './census.entity';

/** A minor's identity number: valid, issued in an existing region, and consistent with the record. */
async function checkChildIdentity(ctx: HubContext, idNumber: string, birthDate: string, gender: Gender) {
  const facts = parseIdNumber(idNumber);
  if ('error' in facts) throw badInput('idNumber', facts.error);
  if (!(await regionLoader(ctx).load(facts.regionCode))) {
    throw badInput('idNumber', `issuing region ${facts.regionCode} does not exist`);
  }
  if (facts.birthDate !== birthDate)
    throw badInput('birthDate', `does not match the identity number (${facts.birthDate})`);
  if (facts.gender !== gender) throw badInput('gender', 'does not match the identity number');
  const adult = new Date(birthDate);
  adult.setFullYear(adult.getFullYear() + 18);
  if (adult.toISOString().slice(0, 10) <= today()) throw badInput('birthDate', 'the registry holds minors only');
}

function checkCategories(categories: ChildCategory[]) {
  if (new Set(categories).size !== categories.length) throw badInput('categories', 'must not repeat a category');
}

/** BAD_USER_INPUT naming the rule of src/domain/categories.ts that the input breaks. */
const ruleRefusal = (field: string, breach: Breach) =>
  new HubError(ErrorCode.BAD_USER_INPUT, `${field}: ${breach.rule}: ${breach.message}`, {
    field,
    reason: breach.message,
    rule: breach.rule,
  });

const categoryFacts = (
  child: Pick<Child, 'birthDate' | 'householdType' | 'distressReasons'>,
  guardians: readonly GuardianFacts[],
): CategoryFacts => ({
  birthDate: child.birthDate,
  householdType: child.householdType,
  distressReasons: child.distressReasons,
  guardians,
});

/** Categories a caller gives must be what the facts make them. */
function checkCategoriesAgainstFacts(categories: ChildCategory[], facts: CategoryFacts) {
  const [breach] = categoryBreaches(categories, facts, today());
  if (breach) throw ruleRefusal('categories', breach);
}

/**
 * LEFT_BEHIND follows the facts when they change (a parent comes home, leaves, loses capacity):
 * the child's record changes, and its history keeps what it was.
 */
function followFacts(ctx: HubContext, child: Child, guardians: readonly GuardianFacts[]): Child {
  const leftBehind = isLeftBehind(categoryFacts(child, guardians), today());
  if (child.categories.includes('LEFT_BEHIND') === leftBehind) return child;
  const merged = ctx.em.merge(ChildSchema, child);
  registryLoaders(ctx).child.clear(merged.id).prime(merged.id, merged);
  merged.categories = leftBehind
    ? ['LEFT_BEHIND', ...child.categories]
    : child.categories.filter((c) => c !== 'LEFT_BEHIND');
  return merged;
}

/** A CONFLICT naming the existing record, if the caller may see it; the registry is national. */
async function assertIdNumberFree(ctx: HubContext, idNumber: string, exceptId?: string) {
  const existing = await ctx.em.findOne(
    ChildSchema,
    { idNumber },
    { fields: ['id', 'regionCode'], filters: { jurisdiction: false } },
  );
  if (!existing || existing.id === exceptId) return;
  const visible = isWithin(ctx.principal.region, existing.regionCode);
  throw conflict(
    visible
      ? `A child with this identity number is already registered (${existing.id})`
      : 'A child with this identity number is already registered in another jurisdiction',
    visible ? { field: 'idNumber', existingId: existing.id } : { field: 'idNumber' },
  );
}

export async function registerChild(ctx: HubContext, input: RegisterChildInput): Promise<Child> {
  const name = requireText('name', input.name, 50);
  const birthDate = requirePastDate('birthDate', input.birthDate);
  if (input.categories.length === 0) throw badInput('categories', 'at least one category is required');
  checkCategories(input.categories);
  const careNeeds = requireDistinct('careNeeds', input.careNeeds ?? [], 'a need');
  const distressReasons = requireDistinct('distressReasons', input.distressReasons ?? [], 'a reason');
  const householdType = input.householdType ?? 'RURAL';
  const guardianValues = [];
  for (const [i, g] of (input.guardians ?? []).entries()) {
    guardianValues.push(await checkGuardian(ctx, g, `guardians.${i}.`));
  }
  await checkChildIdentity(ctx, input.idNumber, birthDate, input.gender);
  await requireRegion(ctx, 'householdRegionCode', input.householdRegionCode);
  await requireRegion(ctx, 'residenceRegionCode', input.residenceRegionCode, ['VILLAGE']);
  checkCategoriesAgainstFacts(
    input.categories,
    categoryFacts({ birthDate, householdType, distressReasons }, guardianValues),
  );
  await assertIdNumberFree(ctx, input.idNumber);
  const child = ctx.em.create(ChildSchema, {
    // Its id now, not at the flush: the facts published with it name it.
    id: randomUUID(),
    name,
    gender: input.gender,
    birthDate,
    idNumber: input.idNumber,
    categories: input.categories,
    distressReasons,
    careNeeds,
    householdRegionCode: input.householdRegionCode,
    householdType,
    regionCode: input.residenceRegionCode,
    status: 'ACTIVE',
  } as Child);
  const guardians = guardianValues.map((values) => createGuardian(ctx, child, values));
  await publishChildFacts(ctx, child, { guardians, guardianship: null, schooling: null });
  await flushOrConflict(ctx.em, 'A child with this identity number is already registered');
  return child;
}

export async function updateChild(ctx: HubContext, input: UpdateChildInput): Promise<Child> {
  const loader = registryLoaders(ctx).child;
  const read = await loader.load(input.id);
  if (!read) throw notFound('Child');
  const child = ctx.em.merge(ChildSchema, read);
  loader.clear(child.id).prime(child.id, child);
  checkVersion(child, input.version);
  const next = {
    name: input.name != null ? requireText('name', input.name, 50) : child.name,
    gender: input.gender ?? child.gender,
    birthDate: input.birthDate != null ? requirePastDate('birthDate', input.birthDate) : child.birthDate,
    idNumber: input.idNumber ?? child.idNumber,
    categories: input.categories ?? child.categories,
    distressReasons:
      input.distressReasons != null
        ? requireDistinct('distressReasons', input.distressReasons, 'a reason')
        : child.distressReasons,
    careNeeds: input.careNeeds != null ? requireDistinct('careNeeds', input.careNeeds, 'a need') : child.careNeeds,
    householdRegionCode: input.householdRegionCode ?? child.householdRegionCode,
    householdType: input.householdType ?? child.householdType,
    regionCode: input.residenceRegionCode ?? child.regionCode,
    status: input.status ?? child.status,
  };
  checkCategories(next.categories);
  const guardians = await registryLoaders(ctx).guardiansOfChild.load(child.id);
  const facts = categoryFacts(next, guardians);
  if (input.categories != null) checkCategoriesAgainstFacts(next.categories, facts);
  else if (input.birthDate != null || input.householdType != null || input.distressReasons != null) {
    // Facts changed, categories not given: LEFT_BEHIND follows them; IN_DISTRESS must be given with its reasons.
    next.categories = next.categories.filter((c) => c !== 'LEFT_BEHIND');
    if (isLeftBehind(facts, today())) next.categories.unshift('LEFT_BEHIND');
    checkCategoriesAgainstFacts(next.categories, facts);
  }
  if (input.idNumber != null || input.birthDate != null || input.gender != null) {
    await checkChildIdentity(ctx, next.idNumber, next.birthDate, next.gender);
  }
  if (input.householdRegionCode != null) await requireRegion(ctx, 'householdRegionCode', next.householdRegionCode);
  if (input.residenceRegionCode != null) {
    await requireRegion(ctx, 'residenceRegionCode', next.regionCode, ['VILLAGE']);
  }
  if (next.idNumber !== child.idNumber) await assertIdNumberFree(ctx, next.idNumber, child.id);
  const moved = next.regionCode !== child.regionCode;
  if (moved) await move(ctx, child, next.regionCode);
  await publishChildFacts(ctx, { ...child, ...next }, { guardians });
  ctx.em.assign(child, next);
  await flushOrConflict(ctx.em, 'A child with this identity number is already registered');
  return child;
}

/**
 * A child moves village: the guardians, guardianship and ledger row recorded with it follow in
 * the same flush, and `ChildMoved` tells every other department, whose records of the child follow too
 * (src/events/follow-child.ts).
 */
async function move(ctx: HubContext, child: Child, to: string) {
  const loaders = registryLoaders(ctx);
  const guardians = (await loaders.guardiansOfChild.load(child.id)).map((g) => ctx.em.merge(GuardianSchema, g));
  const guardianship = await loaders.guardianshipOfChild.load(child.id);
  const ledgerEntry = await loaders.ledgerEntryOfChild.load(child.id);
  for (const row of [
    ...guardians,
    ...(guardianship ? [ctx.em.merge(GuardianshipSchema, guardianship)] : []),
    ...(ledgerEntry ? [ctx.em.merge(LedgerEntrySchema, ledgerEntry)] : []),
  ]) {
    row.regionCode = to;
  }
  publish(ctx.em, 'ChildMoved', {
    childId: child.id,
    from: child.regionCode,
    to,
    guardianIds: guardians.map((g) => g.id),
  });
}

async function requireChild(ctx: HubContext, childId: string): Promise<Child> {
  const child = await registryLoaders(ctx).child.load(childId);
  if (!child) throw notFound('Child');
  return child;
}

type GuardianValues = Omit<Guardian, 'id' | 'childId' | 'regionCode' | 'createdAt'>;

/** A guardian's details as given (`prefix` names where, for a guardian given with a registration). */
async function checkGuardian(ctx: HubContext, input: GuardianInput, prefix = ''): Promise<GuardianValues> {
  const name = requireText(`${prefix}name`, input.name, 100);
  const idNumber = optionalText(`${prefix}idNumber`, input.idNumber, 18);
  if (idNumber) {
    const facts = parseIdNumber(idNumber);
    if ('error' in facts) throw badInput(`${prefix}idNumber`, facts.error);
  }
  const phone = input.phone?.trim() ? requirePhone(`${prefix}phone`, input.phone) : null;
  const values = {
    relation: input.relation,
    name,
    idNumber,
    phone,
    custodian: input.custodian ?? false,
    ...(await checkSituation(ctx, input, prefix)),
  };
  return values;
}

type Situation = Pick<
  Guardian,
  'workingAway' | 'workRegionCode' | 'awaySince' | 'employer' | 'guardianshipCapacity' | 'incapacityReason'
>;

/** Where a guardian is and whether they can care for the child. */
async function checkSituation(
  ctx: HubContext,
  input: { [K in keyof Situation]?: Situation[K] | null },
  prefix = '',
): Promise<Situation> {
  const workingAway = input.workingAway ?? false;
  const workRegionCode = optionalText(`${prefix}workRegionCode`, input.workRegionCode, 12);
  if (workRegionCode) await requireRegion(ctx, `${prefix}workRegionCode`, workRegionCode);
  const awaySince = input.awaySince ? requirePastDate(`${prefix}awaySince`, input.awaySince) : null;
  const employer = optionalText(`${prefix}employer`, input.employer);
  if (!workingAway && (workRegionCode || awaySince)) {
    throw badInput(`${prefix}workingAway`, 'work region and away-since are for a guardian working away');
  }
  const guardianshipCapacity = input.guardianshipCapacity ?? 'FULL';
  const incapacityReason = input.incapacityReason ?? null;
  const breach = capacityBreach(guardianshipCapacity, incapacityReason);
  if (breach) throw ruleRefusal(`${prefix}incapacityReason`, breach);
  return { workingAway, workRegionCode, awaySince, employer, guardianshipCapacity, incapacityReason };
}

function createGuardian(ctx: HubContext, child: Child, values: GuardianValues): Guardian {
  const guardian = ctx.em.create(GuardianSchema, {
    id: randomUUID(),
    childId: child.id,
    regionCode: child.regionCode,
    ...values,
  } as Guardian);
  // Departments that match people by identity number learn of the guardian by its keyed hash only.
  publish(ctx.em, 'GuardianAdded', {
    guardianId: guardian.id,
    childId: child.id,
    regionCode: child.regionCode,
    idHash: values.idNumber ? ctx.identityHash(values.idNumber) : null,
  });
  return guardian;
}

export async function addGuardian(ctx: HubContext, input: AddGuardianInput): Promise<Guardian> {
  const read = await requireChild(ctx, input.childId);
  const guardian = createGuardian(ctx, read, await checkGuardian(ctx, input));
  const guardians = [...(await registryLoaders(ctx).guardiansOfChild.load(read.id)), guardian];
  const child = followFacts(ctx, read, guardians);
  await publishChildFacts(ctx, child, { guardians });
  await flushOrConflict(ctx.em);
  return guardian;
}

/** A guardian's situation changes: the child's LEFT_BEHIND follows, in the same flush. */
export async function updateGuardian(ctx: HubContext, input: UpdateGuardianInput): Promise<Guardian> {
  const loaders = registryLoaders(ctx);
  const read = await loaders.guardian.load(input.id);
  if (!read) throw notFound('Guardian');
  const guardian = ctx.em.merge(GuardianSchema, read);
  const workingAway = input.workingAway ?? guardian.workingAway;
  // Back home: where they worked no longer applies unless given again (and then refused).
  const keep = workingAway ? guardian : { workRegionCode: null, awaySince: null, employer: null };
  const capacity = input.guardianshipCapacity ?? guardian.guardianshipCapacity;
  const situation = await checkSituation(ctx, {
    workingAway,
    workRegionCode: input.workRegionCode !== undefined ? input.workRegionCode : keep.workRegionCode,
    awaySince: input.awaySince !== undefined ? input.awaySince : keep.awaySince,
    employer: input.employer !== undefined ? input.employer : keep.employer,
    guardianshipCapacity: capacity,
    incapacityReason:
      input.incapacityReason !== undefined || capacity === 'FULL'
        ? (input.incapacityReason ?? null)
        : guardian.incapacityReason,
  });
  ctx.em.assign(guardian, {
    ...situation,
    custodian: input.custodian ?? guardian.custodian,
    phone: input.phone != null ? (input.phone.trim() ? requirePhone('phone', input.phone) : null) : guardian.phone,
  });
  loaders.guardian.clear(guardian.id).prime(guardian.id, guardian);
  const guardians = (await loaders.guardiansOfChild.load(guardian.childId)).map((g) =>
    g.id === guardian.id ? guardian : g,
  );
  const child = followFacts(ctx, await requireChild(ctx, guardian.childId), guardians);
  await publishChildFacts(ctx, child, { guardians });
  await flushOrConflict(ctx.em);
  return guardian;
}

const ARRANGEMENT_FIELDS: Record<GuardianshipKind, (keyof SetGuardianshipInput)[]> = {
  PARENTS: [],
  ENTRUSTED: ['entrustedGuardianId', 'agreementDate', 'contactObligations'],
  GOVERNMENT_TEMPORARY: ['agency'],
};
const ALL_ARRANGEMENT_FIELDS = new Set(Object.values(ARRANGEMENT_FIELDS).flat());

export async function setGuardianship(ctx: HubContext, input: SetGuardianshipInput): Promise<Guardianship> {
  const child = await requireChild(ctx, input.childId);
  const needed = ARRANGEMENT_FIELDS[input.kind];
  for (const field of needed) {
    if (input[field] == null || String(input[field]).trim() === '')
      throw badInput(field, `is required for ${input.kind}`);
  }
  for (const field of ALL_ARRANGEMENT_FIELDS) {
    if (!needed.includes(field) && input[field] != null) throw badInput(field, `does not apply to ${input.kind}`);
  }
  const since = requirePastDate('since', input.since);
  if (input.entrustedGuardianId) {
    const guardian = await registryLoaders(ctx).guardian.load(input.entrustedGuardianId);
    if (!guardian || guardian.childId !== child.id) {
      throw badInput('entrustedGuardianId', "is not one of this child's guardians");
    }
  }
  const values = {
    regionCode: child.regionCode,
    kind: input.kind,
    since,
    entrustedGuardianId: input.entrustedGuardianId ?? null,
    agreementDate: input.agreementDate ? requirePastDate('agreementDate', input.agreementDate) : null,
    contactObligations: optionalText('contactObligations', input.contactObligations, 1000),
    agency: optionalText('agency', input.agency),
  };
  const existing = await registryLoaders(ctx).guardianshipOfChild.load(child.id);
  await publishChildFacts(ctx, child, { guardianship: values });
  return saveSingleRow(ctx.em, GuardianshipSchema, existing, { childId: child.id, ...values });
}

/** A LIKE pattern matching `text` literally. */
const literal = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export type ChildConnection = Connection<Child>;

export async function listChildren(
  ctx: HubContext,
  filter: ChildFilter | null | undefined,
  first: number,
  after?: string | null,
): Promise<ChildConnection> {
  const where: Record<string, unknown> = regionPrefix('filter.regionCode', filter?.regionCode);
  const access = (field: string) => accessOf(FIELD_ACCESS[`Child.${field}`], ctx.principal.dept, ctx.principal.roles);
  // A filter must not tell the caller what it may not see of the children listed.
  if (filter?.category && access('categories') === 'none') {
    throw forbidden('filter.category: you may not see categories');
  }
  if (filter?.status && access('status') === 'none') throw forbidden('filter.status: you may not see the status');
  checkRegionFilter(ctx.principal, 'filter.regionCode', filter?.regionCode, 'Child.residenceRegion');
  if (filter?.category) where.categories = { $contains: [filter.category] };
  if (filter?.status) where.status = filter.status;
  const search = filter?.search?.trim();
  if (search) {
    // Searching would reveal names or numbers to a department that sees them masked.
    if (access('name') !== 'full') throw forbidden('Searching children needs full access to their names');
    const byIdNumber = access('idNumber') === 'full';
    const byName = { name: { $ilike: `%${literal(search)}%` } };
    where.$or = byIdNumber && /^\d[\dX]*$/.test(search) ? [byName, { idNumber: { $like: `${search}%` } }] : [byName];
  }
  const page = await findPage(ctx.em, ChildSchema, where, 'id', first, after);
  const loaders = registryLoaders(ctx);
  for (const { node } of page.edges) loaders.child.prime(node.id, node);
  return page;
}

export { ageOn };

/** Compulsory education covers ages 6 to 15. */
export const isSchoolAgeOn = (birthDate: string, on: string) => isCompulsorySchoolAge(ageOn(birthDate, on));

export const isSchoolAge = (child: Pick<Child, 'birthDate'>) => isSchoolAgeOn(child.birthDate, today());
