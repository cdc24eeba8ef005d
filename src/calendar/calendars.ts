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
export const schoolCalendar = () => current.school;
