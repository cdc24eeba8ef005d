import type { EntityManager } from '@mikro-orm/postgresql';
import { workingCalendar } from '../../calendar/calendars';
import { pgArray } from '../../db/pg-array';
import { truncateTo } from '../../regions/region-code';
import type { Step } from './casework-records.entity';

/** A step's deadline as the policy gives it for one region and variant. */
export interface Deadline {
  step: Step;
  /** The urgency or risk level the row is for; '' for the step's general row. */
  variant: string;
  /** The policy row's region prefix ('' for the national default). */
  regionPrefix: string;
  withinSeconds: number;
  /** `withinSeconds` counts whole working days of China's official calendar (src/calendar). */
  workingDays: boolean;
  escalateSeconds: number;
}

/**
 * When a step opened at `from` falls due: after its time, or after its working days (holidays
 * skipped, make-up working days counted). A deadline in a year the calendar has no notice for
 * is refused (CALENDAR_MISSING), not guessed.
 */
export function dueAt(deadline: Deadline, from: Date): Date {
  return deadline.workingDays
    ? workingCalendar().addWorkingDays(from, deadline.withinSeconds / 86_400)
    : new Date(from.getTime() + deadline.withinSeconds * 1000);
}

/** A row of `casework.deadline_policy` as a `Deadline`. */
export const DEADLINE_COLUMNS = `step, variant, region_prefix as "regionPrefix",
  extract(epoch from within)::int as "withinSeconds", working_days as "workingDays",
  extract(epoch from escalate_every)::int as "escalateSeconds"`;

/**
 * The deadline of `step` for a case in `regionCode`: a row for the case's variant (its urgency
 * or risk level) before the step's general row, and of those the longest region prefix, so a
 * province or county overrides the national defaults only where it says so.
 */
export async function deadlineFor(
  em: EntityManager,
  regionCode: string,
  step: Step,
  variants: readonly string[],
): Promise<Deadline> {
  const rows: Deadline[] = await em.getConnection().execute(
    `select ${DEADLINE_COLUMNS} from casework.deadline_policy
      where step = ? and (variant = '' or variant = any(?::text[])) and ? like region_prefix || '%'
      order by (variant <> '') desc, length(region_prefix) desc
      limit 1`,
    [step, pgArray(variants), regionCode],
    'all',
    em.getTransactionContext(),
  );
  if (!rows[0]) throw new Error(`No deadline policy for ${step}`);
  return rows[0];
}

/** Levels an overdue step climbs: the township first, then the county, then the city. */
export const ESCALATION_LEVELS = ['TOWNSHIP', 'COUNTY', 'CITY'] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

/**
 * How many levels an open step has reached at `now`: 0 while it is on time, up to 3 (the city).
 * Escalation counts elapsed time, holidays included: a step already late for a child in danger
 * must not wait out the Spring Festival before the county hears of it.
 */
export function escalationAt(task: { dueAt: Date; escalateSeconds: number }, now: Date): number {
  const late = now.getTime() - task.dueAt.getTime();
  if (late <= 0) return 0;
  return Math.min(ESCALATION_LEVELS.length, 1 + Math.floor(late / (task.escalateSeconds * 1000)));
}

/** The region an escalation at `level` (1…3) goes to, for a case in `regionCode`. */
export const escalationRegion = (regionCode: string, level: number) =>
  truncateTo(regionCode, ESCALATION_LEVELS[level - 1]);

/** The escalation level a unit at `regionCode` answers for: a township 1, a county 2, a city or province 3. */
export function levelOfUnit(regionCode: string): number {
  if (regionCode.length >= 9) return 1;
  return regionCode.length === 6 ? 2 : 3;
}
