/**
 * School days, simplified: Monday to Friday. Holidays, term breaks and make-up days are not
 * modelled, so a run of absences across a holiday counts its weekdays as school days.
 */

const dayOf = (date: string) => new Date(`${date}T00:00:00Z`);
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

export function isSchoolDay(date: string): boolean {
  const weekday = dayOf(date).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The school day `n` school days after `date` (before it, for negative `n`). */
export function addSchoolDays(date: string, n: number): string {
  const d = dayOf(date);
  const step = Math.sign(n);
  for (let left = Math.abs(n); left > 0;) {
    d.setUTCDate(d.getUTCDate() + step);
    if (isSchoolDay(isoDate(d))) left--;
  }
  return isoDate(d);
}

/** Whether `date` lies in a run of at least `length` consecutive school days that are all in `days`. */
export function inRunOfSchoolDays(date: string, days: ReadonlySet<string>, length: number): boolean {
  if (!days.has(date)) return false;
  let run = 1;
  for (let d = addSchoolDays(date, -1); run < length && days.has(d); d = addSchoolDays(d, -1)) run++;
  for (let d = addSchoolDays(date, 1); run < length && days.has(d); d = addSchoolDays(d, 1)) run++;
  return run >= length;
}
