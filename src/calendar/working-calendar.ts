import { z } from 'zod';
import { ErrorCode, HubError } from '../errors';

/** Whether `date` (YYYY-MM-DD) is a day of the calendar: no 31 April. */
export const isRealDate = (date: string) => {
  const at = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(at) && new Date(at).toISOString().startsWith(date);
};

export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date, YYYY-MM-DD')
  .refine(isRealDate, 'is not a date of the calendar');

const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
const isWeekend = (date: string) => weekday(date) === 0 || weekday(date) === 6;

const Holiday = z
  .object({
    name: z.string().min(1),
    from: IsoDate,
    to: IsoDate,
    /** The weekend days the notice makes working days (上班) for this holiday. */
    workdays: z.array(IsoDate).default([]),
    /** The notice's sentence the dates were taken from. */
    text: z.string().optional(),
  })
  .refine((h) => h.from <= h.to, { message: 'from must not be after to', path: ['to'] })
  .refine((h) => h.workdays.every(isWeekend), {
    message: 'a make-up working day is a Saturday or a Sunday',
    path: ['workdays'],
  });

/** One year's notice of the State Council General Office (国务院办公厅关于…年部分节假日安排的通知). */
const Notice = z
  .object({
    year: z.number().int().min(2000).max(2100),
    title: z.string().min(1),
    number: z.string().min(1),
    issued: IsoDate,
    source: z.string().optional(),
    holidays: z.array(Holiday).min(1),
  })
  // A notice may reach back into the last days of the year before (2023's New Year ran from 31 December 2022).
  .refine((n) => n.holidays.every((h) => h.from >= `${n.year - 1}-12-01` && h.to <= `${n.year}-12-31`), {
    message: 'holidays must fall in the notice year',
    path: ['holidays'],
  });
export type Notice = z.infer<typeof Notice>;

export const NoticeFile = z
  .object({ about: z.string().optional(), notices: z.array(Notice) })
  .refine((f) => new Set(f.notices.map((n) => n.year)).size === f.notices.length, {
    message: 'one notice per year',
    path: ['notices'],
  });

const calendarMissing = (year: string, known: readonly number[]) =>
  new HubError(
    ErrorCode.CALENDAR_MISSING,
    `The working calendar has no official data for ${year} (it has ${known.join(', ')}): add the State Council General Office's notice for ${year} (WORKING_CALENDAR_FILE); nothing was done`,
  );

const DAY = 86_400_000;
/** China Standard Time: days are counted in it wherever the server runs. */
const CST_OFFSET = 8 * 3_600_000;
const cstDate = (at: number) => new Date(at + CST_OFFSET).toISOString().slice(0, 10);

/**
 * China's working days: Monday to Friday, except the public holidays of the State Council
 * General Office's annual notices, plus the weekend days those notices make working days (调休).
 * A date in a year without a notice is refused, never guessed.
 */
export class WorkingCalendar {
  private readonly holidays = new Map<string, string>();
  private readonly workdays = new Set<string>();
  readonly years: readonly number[];

  constructor(notices: readonly Notice[]) {
    this.years = [...new Set(notices.map((n) => n.year))].sort();
    for (const notice of notices) {
      for (const h of notice.holidays) {
        for (let at = Date.parse(h.from); at <= Date.parse(h.to); at += DAY) {
          this.holidays.set(new Date(at).toISOString().slice(0, 10), h.name);
        }
        for (const day of h.workdays) this.workdays.add(day);
      }
    }
  }

  /** The last day the notices cover: 31 December of the latest year. */
  get lastDay(): string {
    return `${this.years[this.years.length - 1]}-12-31`;
  }

  /**
   * Days from `now` (its date in China Standard Time) to the last day covered, that day counted:
   * 1 on the last day, 0 once past it. Working-day deadlines and school days after it are refused.
   */
  daysLeft(now: Date): number {
    return Math.max(0, (Date.parse(this.lastDay) - Date.parse(cstDate(now.getTime()))) / DAY + 1);
  }

  private known(date: string): void {
    if (!this.years.includes(Number(date.slice(0, 4)))) throw calendarMissing(date.slice(0, 4), this.years);
  }

  /** The public holiday `date` (YYYY-MM-DD) falls on, if any. */
  holidayOn(date: string): string | undefined {
    this.known(date);
    return this.holidays.get(date);
  }

  /** Whether `date` (YYYY-MM-DD) is a working day: a make-up working day is; a holiday is not. */
  isWorkingDay(date: string): boolean {
    this.known(date);
    if (this.workdays.has(date)) return true;
    return !this.holidays.has(date) && !isWeekend(date);
  }

  /** The same time of day `days` working days after `from`, counted in China Standard Time. */
  addWorkingDays(from: Date, days: number): Date {
    let at = from.getTime();
    for (let counted = 0; counted < days;) {
      at += DAY;
      if (this.isWorkingDay(cstDate(at))) counted++;
    }
    return new Date(at);
  }
}
