import { badInput } from '../errors';
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

/** A phone number as the hub stores it: digits, optionally with + and -. */
export function checkPhone(field: string, phone: string): string {
  if (!/^\+?[\d-]{7,20}$/.test(phone)) throw badInput(field, 'must be digits, optionally with + and -');
  return phone;
}

export function requirePastDate(field: string, value: string): string {
  if (!isIsoDate(value)) throw badInput(field, `"${value}" is not a date (YYYY-MM-DD)`);
  if (value > today()) throw badInput(field, 'must not be in the future');
  return value;
}
