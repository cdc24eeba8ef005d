import { schoolCalendar } from '../../calendar/calendars';

/**
 * School days as the hub's one calendar gives them (src/calendar): China's working days, make-up
 * working days included and public holidays not, outside the vacations of the school's province.
 * `regionCode` is a region of that province.
 */

const dayOf = (date: string) => new Date(`${date}T00:00:00Z`);
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

export const isSchoolDay = (date: string, regionCode: string) => schoolCalendar().isSchoolDay(date, regionCode);

/** Why `date` is no school day in `regionCode`, or undefined on a school day. */
export const closedOn = (date: string, regionCode: string) => schoolCalendar().closedOn(date, regionCode);

/** The school day `n` school days after `date` (before it, for negative `n`). */
export function addSchoolDays(date: string, n: number, regionCode: string): string {
  const d = dayOf(date);
  const step = Math.sign(n);
  for (let left = Math.abs(n); left > 0;) {
    d.setUTCDate(d.getUTCDate() + step);
    if (isSchoolDay(isoDate(d), regionCode)) left--;
  }
  return isoDate(d);
}

/**
 * Whether `date` lies in a run of at least `length` consecutive school days that are all in
 * `days`. It steps only between days of `days`, which are recorded, so past, school days.
 */
export function inRunOfSchoolDays(date: string, days: ReadonlySet<string>, length: number, regionCode: string) {
  if (!days.has(date)) return false;
  const sorted = [...days].sort();
  const [first, last] = [sorted[0], sorted[sorted.length - 1]];
  let run = 1;
  for (let d = date; run < length && d > first && days.has((d = addSchoolDays(d, -1, regionCode)));) run++;
  for (let d = date; run < length && d < last && days.has((d = addSchoolDays(d, 1, regionCode)));) run++;
  return run >= length;
}
