import { badInput } from '../errors';
import { codesUnder, REGION_CODE_PATTERN, withinScope } from '../regions/region-code';
import { isIsoDate } from './scalars';

/** Input checks shared by the subgraphs' services; each names the field it rejects. */

export const today = () => new Date().toISOString().slice(0, 10);

export function requireText(field: string, value: string | null | undefined, max = 100): string {
  const text = value?.trim() ?? '';
  if (!text) throw badInput(field, 'must not be empty');
  if (text.length > max) throw badInput(field, `must be at most ${max} characters`);
  return text;
}

export function optionalText(field: string, value: string | null | undefined, max = 200): string | null {
  return value == null || value.trim() === '' ? null : requireText(field, value, max);
}

export function requirePhone(field: string, value: string | null | undefined): string {
  const phone = requireText(field, value, 20);
  if (!/^\+?[\d-]{7,20}$/.test(phone)) throw badInput(field, 'must be digits, optionally with + and -');
  return phone;
}

export function requireDistinct<T>(field: string, values: readonly T[], what: string): T[] {
  if (new Set(values).size !== values.length) throw badInput(field, `must not repeat ${what}`);
  return [...values];
}

export function requirePastDate(field: string, value: string): string {
  if (!isIsoDate(value)) throw badInput(field, `"${value}" is not a date (YYYY-MM-DD)`);
  if (value > today()) throw badInput(field, 'must not be in the future');
  return value;
}

/** A list's region argument: rows whose region code starts with it (no condition when it is absent). */
export function regionPrefix(field: string, code: string | null | undefined) {
  if (!code) return {};
  if (!REGION_CODE_PATTERN.test(code)) throw badInput(field, `"${code}" is not a GB/T 2260 region code`);
  return { regionCode: codesUnder(code) };
}

/**
 * The region argument of a list of public institutions (schools, police stations), which carry no
 * jurisdiction filter: rows under it as far as it lies in the caller's jurisdiction, or null
 * when it lies wholly outside.
 */
export function regionInScope(field: string, scope: string, code: string) {
  if (!REGION_CODE_PATTERN.test(code)) throw badInput(field, `"${code}" is not a GB/T 2260 region code`);
  const prefix = withinScope(scope, code);
  return prefix === null ? null : { regionCode: { $like: `${prefix}%` } };
}
