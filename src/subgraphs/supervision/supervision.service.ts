import type { HubContext } from '../../context';
import { flushOrConflict } from '../../db/flush';
import { runStatement } from '../../db/statement';
import { isUuid } from '../../db/loaders';
import { badInput, forbidden, notFound } from '../../errors';
import { isWithin, REGION_CODE_PATTERN } from '../../regions/region-code';
import { requireRegion } from '../../regions/region.service';
import { requireText, today } from '../input';
import { isIsoDate } from '../scalars';
import { detectConflicts as detect } from './conflict.service';
import type {
  JointMeetingUnitInput,
  ProvincialImplementationInput,
  WorkPointInput,
  WorkPointStatus,
} from './supervision.generated';
import {
  ConflictTaskSchema,
  JointMeetingUnitSchema,
  ProvincialImplementationSchema,
  WorkPointSchema,
  type ConflictStatus,
  type JointMeetingUnit,
  type ProvincialImplementation,
  type WorkPoint,
} from './supervision.entity';
import { DEPARTMENTS } from '../../auth/principal';
import { checkRegionFilter } from '../../policy/region-filter';

function regionArg(ctx: HubContext, field: string, code: string) {
  if (!REGION_CODE_PATTERN.test(code)) throw badInput(field, `"${code}" is not a GB/T 2260 region code`);
  if (!isWithin(ctx.principal.region, code)) throw forbidden(`Region ${code} is outside your jurisdiction`);
}

/** Implementation records are not personal data: anyone may read any province's record. */
export function provincialImplementation(ctx: HubContext, provinceCode: string) {
  if (!/^\d{2}$/.test(provinceCode)) throw badInput('provinceCode', 'must be a 2-digit province code');
  return ctx.em.findOne(
    ProvincialImplementationSchema,
    { regionCode: provinceCode },
    { filters: { jurisdiction: false } },
  );
}

function optionalDate(field: string, value: string | null | undefined) {
  if (value == null) return null;
  if (!isIsoDate(value)) throw badInput(field, `"${value}" is not a date`);
  if (value > today()) throw badInput(field, 'must not be in the future');
  return value;
}

export async function setProvincialImplementation(
  ctx: HubContext,
  input: ProvincialImplementationInput,
): Promise<ProvincialImplementation> {
  if (!/^\d{2}$/.test(input.provinceCode)) throw badInput('provinceCode', 'must be a 2-digit province code');
  await requireRegion(ctx, 'provinceCode', input.provinceCode, ['PROVINCE']);
  const values = {
    opinionIssued: input.opinionIssued,
    opinionDate: optionalDate('opinionDate', input.opinionDate),
    mechanismEstablished: input.mechanismEstablished,
    mechanismDate: optionalDate('mechanismDate', input.mechanismDate),
    notes: input.notes?.trim() ? requireText('notes', input.notes, 2000) : null,
    updatedBy: ctx.principal.sub,
  };
  if (!values.opinionIssued && values.opinionDate) throw badInput('opinionDate', 'is for an issued opinion');
  if (!values.mechanismEstablished && values.mechanismDate) {
    throw badInput('mechanismDate', 'is for an established mechanism');
  }
  // The flush guard refuses a province outside the caller's jurisdiction.
  let record = await ctx.em.findOne(ProvincialImplementationSchema, { regionCode: input.provinceCode });
  if (record) ctx.em.assign(record, values);
  else {
    record = ctx.em.create(ProvincialImplementationSchema, {
      regionCode: input.provinceCode,
      ...values,
    } as ProvincialImplementation);
  }
  await flushOrConflict(ctx.em);
  return record;
}

export async function jointMeeting(ctx: HubContext, regionCode: string, year: number) {
  regionArg(ctx, 'regionCode', regionCode);
  const [units, workPoints] = await Promise.all([
    ctx.em.find(JointMeetingUnitSchema, { regionCode }, { orderBy: { convener: 'desc', unitName: 'asc' } }),
    ctx.em.find(WorkPointSchema, { regionCode, year }, { orderBy: { deadline: 'asc', id: 'asc' } }),
  ]);
  return {
    region: { code: regionCode },
    year,
    units,
    workPoints,
    overdueWorkPoints: workPoints.filter(isOverdue).length,
  };
}

export const isOverdue = (w: WorkPoint) => w.status !== 'DONE' && w.deadline < today();

export async function addJointMeetingUnit(ctx: HubContext, input: JointMeetingUnitInput): Promise<JointMeetingUnit> {
  await requireRegion(ctx, 'regionCode', input.regionCode, ['PROVINCE', 'CITY', 'COUNTY', 'TOWNSHIP']);
  const department = input.department.trim().toUpperCase();
  if (!(DEPARTMENTS as readonly string[]).includes(department) && !/^[A-Z_]{2,24}$/.test(department)) {
    throw badInput('department', 'must be a department name in upper case (e.g. CIVIL_AFFAIRS)');
  }
  const unit = ctx.em.create(JointMeetingUnitSchema, {
    regionCode: input.regionCode,
    department,
    unitName: requireText('unitName', input.unitName, 200),
    duties: requireText('duties', input.duties, 2000),
    convener: input.convener ?? false,
  } as JointMeetingUnit);
  await flushOrConflict(ctx.em, 'A unit of this name is already a member');
  return unit;
}

export async function addWorkPoint(ctx: HubContext, input: WorkPointInput): Promise<WorkPoint> {
  if (!isUuid(input.unitId)) throw notFound('Joint-meeting unit');
  const unit = await ctx.em.findOne(JointMeetingUnitSchema, { id: input.unitId });
  if (!unit) throw notFound('Joint-meeting unit');
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100) throw badInput('year', 'is not a year');
  if (!isIsoDate(input.deadline)) throw badInput('deadline', `"${input.deadline}" is not a date`);
  const point = ctx.em.create(WorkPointSchema, {
    regionCode: unit.regionCode,
    year: input.year,
    title: requireText('title', input.title, 500),
    unitId: unit.id,
    deadline: input.deadline,
    status: input.status ?? 'PLANNED',
  } as WorkPoint);
  await flushOrConflict(ctx.em);
  return point;
}

export async function setWorkPointStatus(ctx: HubContext, id: string, status: WorkPointStatus): Promise<WorkPoint> {
  if (!isUuid(id)) throw notFound('Work point');
  const point = await ctx.em.findOne(WorkPointSchema, { id });
  if (!point) throw notFound('Work point');
  point.status = status;
  await flushOrConflict(ctx.em);
  return point;
}

/** Departments see the tasks their units own; civil affairs, which keeps the ledger, sees all. */
const ownerFilter = (ctx: HubContext) => (ctx.principal.dept === 'CIVIL_AFFAIRS' ? {} : { owner: ctx.principal.dept });

export function conflictTasks(ctx: HubContext, regionCode: string, status: ConflictStatus | null, first: number) {
  regionArg(ctx, 'regionCode', regionCode);
  checkRegionFilter(ctx.principal, 'regionCode', regionCode, 'ConflictTask.region');
  if (!Number.isInteger(first) || first < 0 || first > 500) throw badInput('first', 'must be 0 to 500');
  return ctx.em.find(
    ConflictTaskSchema,
    { regionCode: { $like: `${regionCode}%` }, ...(status ? { status } : {}), ...ownerFilter(ctx) },
    { orderBy: { detectedAt: 'desc', id: 'asc' }, limit: first },
  );
}

export async function resolveConflictTask(ctx: HubContext, id: string) {
  if (!isUuid(id)) throw notFound('Conflict task');
  const task = await ctx.em.findOne(ConflictTaskSchema, { id, ...ownerFilter(ctx) });
  if (!task) throw notFound('Conflict task');
  if (task.status === 'OPEN') {
    task.status = 'RESOLVED';
    task.resolvedAt = new Date();
    await flushOrConflict(ctx.em);
  }
  return task;
}

/** Looks for conflicts in the region now, in the facts supervision holds (as the departments last published them). */
export async function detectConflicts(ctx: HubContext, regionCode: string) {
  regionArg(ctx, 'regionCode', regionCode);
  return ctx.em.transactional((tx) => detect((text, params) => runStatement(tx, { text }, params), regionCode));
}
