import fs from 'node:fs';
import type { z } from 'zod';
import { ConfigError } from '../config';
import shippedVacations from './school-vacations.json';
import { SchoolCalendar, SchoolCalendarFile } from './school-calendar';
import shippedNotices from './state-council-notices.json';
import { NoticeFile, WorkingCalendar } from './working-calendar';

/** The one calendar of the hub: statutory clocks count its working days, schools its school days. */
export interface Calendars {
  working: WorkingCalendar;
  school: SchoolCalendar;
}

/** Files that extend the shipped data (WORKING_CALENDAR_FILE, SCHOOL_CALENDAR_FILE). */
export interface CalendarFiles {
  working?: string;
  school?: string;
}

function readFile<T>(variable: string, file: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError([`${variable}: cannot read ${file}: ${(err as Error).message}`]);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${variable}: ${file}: ${i.path.join('.')}: ${i.message}`));
  }
  return parsed.data;
}

/**
 * The shipped notices and school vacations with what the files add: a notice in the file
 * replaces the shipped one of its year (a later notice that changes it), a province's school
 * calendar replaces its default. A bad file stops the start with a ConfigError naming it.
 */
export function loadCalendars(files: CalendarFiles = {}): Calendars {
  const added = files.working ? readFile('WORKING_CALENDAR_FILE', files.working, NoticeFile).notices : [];
  const replaced = new Set(added.map((n) => n.year));
  const shipped = NoticeFile.parse(shippedNotices).notices.filter((n) => !replaced.has(n.year));
  const working = new WorkingCalendar([...shipped, ...added]);
  const provinces = {
    ...SchoolCalendarFile.parse(shippedVacations).provinces,
    ...(files.school ? readFile('SCHOOL_CALENDAR_FILE', files.school, SchoolCalendarFile).provinces : {}),
  };
  return { working, school: new SchoolCalendar(working, provinces) };
}

let current = loadCalendars();

/** Puts the configured calendars in force, once at start (src/cli); until then the shipped data is. */
export function useCalendars(calendars: Calendars): void {
  current = calendars;
}

export const workingCalendar = () => current.working;

/** From how many days before the working calendar's last day the hub warns that it runs out. */
export const CALENDAR_WARNING_DAYS = 60;

/**
 * What to tell the operator at start when the working calendar runs out within
 * CALENDAR_WARNING_DAYS of `now` (or has): the next year's notice has to be added before then.
 */
export function calendarEndWarning(calendar: WorkingCalendar, now: Date): string | undefined {
  const left = calendar.daysLeft(now);
  if (left > CALENDAR_WARNING_DAYS) return undefined;
  const next = Number(calendar.lastDay.slice(0, 4)) + 1;
  const when = left ? `ends on ${calendar.lastDay} (${left} days left, today counted)` : `ended on ${calendar.lastDay}`;
  return (
    `The working calendar ${when}: working-day deadlines and school days after it are refused ` +
    `(CALENDAR_MISSING) until the State Council General Office's notice for ${next} is added (WORKING_CALENDAR_FILE)`
  );
}
export const schoolCalendar = () => current.school;
