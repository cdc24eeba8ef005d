import { z } from 'zod';
import { IsoDate, isRealDate, type WorkingCalendar } from './working-calendar';

/** A day of the year, MM-DD, as it recurs (02-29 included, for leap years). */
const MonthDay = z
  .string()
  .regex(/^\d{2}-\d{2}$/, 'must be MM-DD or YYYY-MM-DD')
  .refine((d) => isRealDate(`2024-${d}`), 'is not a day of the year');

const Vacation = z
  .object({ name: z.string().min(1), from: z.union([IsoDate, MonthDay]), to: z.union([IsoDate, MonthDay]) })
  .refine((v) => v.from.length === v.to.length, { message: 'from and to must both be MM-DD or both YYYY-MM-DD' })
  .refine((v) => v.from.length === 5 || v.from <= v.to, { message: 'from must not be after to', path: ['to'] });
type Vacation = z.infer<typeof Vacation>;

const Province = z.object({ source: z.string().optional(), vacations: z.array(Vacation) });

export const SchoolCalendarFile = z.object({
  about: z.string().optional(),
  provinces: z.record(z.string(), Province).superRefine((provinces, ctx) => {
    for (const code of Object.keys(provinces)) {
      if (!/^\d{2}$/.test(code))
        ctx.addIssue({ code: 'custom', path: [code], message: 'must be a province code, two digits' });
    }
  }),
});
export type SchoolProvinces = z.infer<typeof SchoolCalendarFile>['provinces'];

/** Whether `date` lies in `v`; a recurring vacation may run over the new year (12-28 to 02-20). */
function within(date: string, v: Vacation): boolean {
  if (v.from.length !== 5) return v.from <= date && date <= v.to;
  const day = date.slice(5);
  return v.from <= v.to ? v.from <= day && day <= v.to : day >= v.from || day <= v.to;
}

/**
 * School days: China's working days (so a make-up working day is a school day and a public
 * holiday is not), outside the winter and summer vacations of the school's province. A province
 * without an entry has no vacations.
 */
export class SchoolCalendar {
  constructor(
    readonly working: WorkingCalendar,
    readonly provinces: SchoolProvinces,
  ) {}

  /** The vacation `date` falls in for schools of `regionCode`, if any. */
  vacationOn(date: string, regionCode: string): string | undefined {
    return this.provinces[regionCode.slice(0, 2)]?.vacations.find((v) => within(date, v))?.name;
  }

  /** Why `date` is no school day in `regionCode` (a holiday, a vacation, the weekend), or undefined on a school day. */
  closedOn(date: string, regionCode: string): string | undefined {
    const holiday = this.working.holidayOn(date);
    if (holiday) return `a public holiday (${holiday})`;
    const vacation = this.vacationOn(date, regionCode);
    if (vacation) return `in the school vacation (${vacation})`;
    return this.working.isWorkingDay(date) ? undefined : 'a weekend day that is not a make-up school day';
  }

  isSchoolDay(date: string, regionCode: string): boolean {
    return this.closedOn(date, regionCode) === undefined;
  }
}
