import type { EntityManager } from '@mikro-orm/postgresql';
import type { Department } from '../../auth/principal';
import type { HubContext } from '../../context';
import { isUuid } from '../../db/loaders';
import { pgArray } from '../../db/pg-array';
import { badInput, forbidden } from '../../errors';
import { jurisdictionPattern } from '../../policy/jurisdiction';
import { REGION_CODE_PATTERN } from '../../regions/region-code';
import { checkPageSize, findPage, pageFrom, type Connection } from '../connection';
import { regionPrefix } from '../input';
import { ReferralSchema, type Referral, type ReferralStatus, type Task } from './casework-records.entity';
import {
  DEADLINE_COLUMNS,
  ESCALATION_LEVELS,
  escalationAt,
  escalationRegion,
  levelOfUnit,
  type Deadline,
} from './deadlines';
import { outboxWritten, writeOutbox, type OutboxEntry } from './outbox';
import { ProtectionCaseSchema, type CaseStatus, type ProtectionCase } from './protection-case.entity';
import { checkRegionFilter } from '../../policy/region-filter';

export type ProtectionCaseConnection = Connection<ProtectionCase>;
export type ReferralConnection = Connection<Referral>;
export type TaskConnection = Connection<Task>;

export function protectionCases(
  ctx: HubContext,
  args: { regionCode?: string | null; status?: readonly CaseStatus[] | null; first: number; after?: string | null },
): Promise<ProtectionCaseConnection> {
  checkRegionFilter(ctx.principal, 'regionCode', args.regionCode, 'ProtectionCase.place');
  const where = {
    ...regionPrefix('regionCode', args.regionCode),
    ...(args.status?.length ? { status: { $in: [...args.status] } } : {}),
  };
  return findPage(ctx.em, ProtectionCaseSchema, where, 'id', args.first, args.after);
}

export function referralsToAnswer(
  ctx: HubContext,
  args: { status?: readonly ReferralStatus[] | null; first: number; after?: string | null },
): Promise<ReferralConnection> {
  const where = {
    toDepartment: ctx.principal.dept,
    ...(args.status?.length ? { status: { $in: [...args.status] } } : {}),
  };
  return findPage(ctx.em, ReferralSchema, where, 'id', args.first, args.after);
}

/** Civil affairs leads the work and supervision follows it: both see every department's steps. */
const SEES_EVERY_STEP: readonly Department[] = ['CIVIL_AFFAIRS', 'SUPERVISION'];

const TASK_COLUMNS = `id, case_id as "caseId", referral_id as "referralId", region_code as "regionCode", step,
  department, started_at as "startedAt", due_at as "dueAt", done_at as "doneAt",
  escalate_seconds as "escalateSeconds", escalation_level as "escalationLevel"`;

/** A task row read by hand, with its instants as dates. */
const taskOf = (row: Record<string, unknown>): Task => {
  const at = (value: unknown) => (value == null ? null : new Date(value as string));
  return { ...(row as unknown as Task), startedAt: at(row.startedAt)!, dueAt: at(row.dueAt)!, doneAt: at(row.doneAt) };
};

function decodeTaskCursor(after: string): [string, string] {
  const [dueAt, id] = Buffer.from(after, 'base64url').toString().split('|');
  if (!dueAt || Number.isNaN(Date.parse(dueAt)) || !isUuid(id ?? '')) {
    throw badInput('after', 'is not a cursor from this connection');
  }
  return [dueAt, id];
}

/**
 * Open steps past their deadline under `regionCode` that have escalated at least to that
 * region's level (computed from the clock, so the list is right whether or not the sweep has
 * run), oldest deadline first.
 */
export async function overdueTasks(
  ctx: HubContext,
  regionCode: string,
  first: number,
  after?: string | null,
): Promise<TaskConnection> {
  if (!REGION_CODE_PATTERN.test(regionCode)) throw badInput('regionCode', `"${regionCode}" is not a region code`);
  checkRegionFilter(ctx.principal, 'regionCode', regionCode, 'ProtectionCase.place');
  checkPageSize(first);
  const now = ctx.clock.now();
  // A step reaches level L once it is (L - 1) escalation periods past its deadline.
  const levelsAbove = levelOfUnit(regionCode) - 1;
  const own = SEES_EVERY_STEP.includes(ctx.principal.dept) ? [] : [ctx.principal.dept];
  const cursor = after ? decodeTaskCursor(after) : null;
  const where = `done_at is null and region_code like ? and region_code like ?
      and due_at + make_interval(secs => escalate_seconds * ?) < ?
      ${own.length ? 'and department = ?' : ''}`;
  const params = [jurisdictionPattern(ctx.em), `${regionCode}%`, levelsAbove, now.toISOString(), ...own];
  const rows = await ctx.em.getConnection().execute(
    `select ${TASK_COLUMNS} from casework.task where ${where}
       ${cursor ? 'and (due_at, id) > (?, ?)' : ''} order by due_at, id limit ?`,
    [...params, ...(cursor ?? []), first + 1],
  );
  return {
    ...pageFrom(rows.map(taskOf), first, after, (node) =>
      Buffer.from(`${node.dueAt.toISOString()}|${node.id}`).toString('base64url'),
    ),
    totalCount: async () => {
      const [row] = await ctx.em
        .getConnection()
        .execute(`select count(*)::int as n from casework.task where ${where}`, params);
      return Number(row.n);
    },
  };
}

/** The escalation level an open step has reached at the clock's time, for `Task.escalatedTo`. */
export function escalatedTo(task: Task, now: Date) {
  const level = task.doneAt ? 0 : escalationAt(task, now);
  return level ? ESCALATION_LEVELS[level - 1] : null;
}

/**
 * Tells each level an open step has newly reached that it is overdue: the step's department and
 * civil affairs of the township, then of the county, then of the city. Run by the job queue every
 * minute (and by tests, which move the clock); a step is told each level once.
 */
export async function sweepDeadlines(em: EntityManager, now: Date): Promise<number> {
  const raised = await em.transactional(async (tx) => {
    const run = (sql: string, params: unknown[]) =>
      tx.getConnection().execute(sql, params, 'all', tx.getTransactionContext());
    const due = (
      await run(
        `select ${TASK_COLUMNS} from casework.task
        where done_at is null and due_at < ? and escalation_level < ?
        order by due_at for update skip locked`,
        [now.toISOString(), ESCALATION_LEVELS.length],
      )
    ).map(taskOf);
    const outbox: OutboxEntry[] = [];
    const raised: [string, number][] = [];
    for (const task of due) {
      const level = escalationAt(task, now);
      if (level <= task.escalationLevel) continue;
      raised.push([task.id, level]);
      for (let l = task.escalationLevel + 1; l <= level; l++) {
        const event = {
          kind: l === 1 ? 'TASK_OVERDUE' : 'TASK_ESCALATED',
          caseId: task.caseId,
          subjectId: task.id,
          regionCode: escalationRegion(task.regionCode, l),
        } as const;
        outbox.push({ ...event, department: task.department });
        if (task.department !== 'CIVIL_AFFAIRS') outbox.push({ ...event, department: 'CIVIL_AFFAIRS' });
      }
    }
    if (raised.length) {
      await run(
        `update casework.task t set escalation_level = r.level
           from unnest(?::uuid[], ?::int[]) as r(id, level) where t.id = r.id`,
        [pgArray(raised.map(([id]) => id)), pgArray(raised.map(([, level]) => String(level)))],
      );
    }
    await writeOutbox(tx, outbox, now);
    return raised.length;
  });
  if (raised) outboxWritten.emit('written');
  return raised;
}

/** The deadlines in force for cases in `regionCode`, one row per step and variant. */
export async function deadlinePolicy(ctx: HubContext, regionCode: string): Promise<Deadline[]> {
  if (!REGION_CODE_PATTERN.test(regionCode)) throw badInput('regionCode', `"${regionCode}" is not a region code`);
  return ctx.em.getConnection().execute(
    `select distinct on (step, variant) ${DEADLINE_COLUMNS} from casework.deadline_policy where ? like region_prefix || '%'
      order by step, variant, length(region_prefix) desc`,
    [regionCode],
  );
}

const VARIANTS = ['IMMEDIATE_DANGER', 'URGENT', 'ROUTINE', 'LOW', 'MEDIUM', 'HIGH'];
const YEAR = 365 * 86_400;

/** A province's or county's own deadline for one step, for cases in its region. */
export async function setDeadline(
  ctx: HubContext,
  input: {
    step: string;
    variant?: string | null;
    withinSeconds: number;
    workingDays?: boolean | null;
    escalateSeconds: number;
  },
): Promise<Deadline> {
  const { region } = ctx.principal;
  if (region.length !== 2 && region.length !== 6) {
    throw forbidden('Deadlines are set by civil affairs of a province or a county');
  }
  const variant = input.variant ?? '';
  if (variant && !VARIANTS.includes(variant)) throw badInput('variant', `must be one of ${VARIANTS.join(', ')}`);
  if (!Number.isInteger(input.withinSeconds) || input.withinSeconds < 60 || input.withinSeconds > YEAR) {
    throw badInput('withinSeconds', 'must be a whole number of seconds from 60 to a year');
  }
  const workingDays = input.workingDays ?? false;
  if (workingDays && input.withinSeconds % 86_400 !== 0) {
    throw badInput('withinSeconds', 'must be whole days when counted in working days');
  }
  if (!Number.isInteger(input.escalateSeconds) || input.escalateSeconds < 60 || input.escalateSeconds > YEAR) {
    throw badInput('escalateSeconds', 'must be a whole number of seconds from 60 to a year');
  }
  await ctx.em.getConnection().execute(
    `insert into casework.deadline_policy (region_prefix, step, variant, within, working_days, escalate_every, updated_at)
     values (?, ?, ?, make_interval(secs => ?), ?, make_interval(secs => ?), ?)
     on conflict (region_prefix, step, variant) do update set within = excluded.within,
       working_days = excluded.working_days, escalate_every = excluded.escalate_every, updated_at = excluded.updated_at`,
    [
      region,
      input.step,
      variant,
      input.withinSeconds,
      workingDays,
      input.escalateSeconds,
      ctx.clock.now().toISOString(),
    ],
  );
  return {
    step: input.step as Deadline['step'],
    variant,
    regionPrefix: region,
    withinSeconds: input.withinSeconds,
    workingDays,
    escalateSeconds: input.escalateSeconds,
  };
}
