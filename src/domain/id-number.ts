import { isIsoDate } from '../subgraphs/scalars';

/** GB 11643 resident identity number: 6-digit region, 8-digit birth date, 3-digit sequence, check. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function checkDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

export interface IdNumberFacts {
  regionCode: string;
  birthDate: string;
  gender: 'MALE' | 'FEMALE';
}

/** The facts an identity number encodes, or the reason it is not a valid one. */
export function parseIdNumber(value: string, today = new Date()): IdNumberFacts | { error: string } {
  if (!/^\d{17}[\dX]$/.test(value)) return { error: 'must be 17 digits followed by a digit or X' };
  if (checkDigit(value.slice(0, 17)) !== value[17]) return { error: 'check digit does not match (GB 11643)' };
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (!isIsoDate(birthDate)) return { error: `encodes an impossible birth date ${birthDate}` };
  if (birthDate > today.toISOString().slice(0, 10))
    return { error: `encodes a birth date in the future (${birthDate})` };
  return { regionCode: value.slice(0, 6), birthDate, gender: Number(value[16]) % 2 === 1 ? 'MALE' : 'FEMALE' };
}

/** Builds a valid number; used for synthetic demo and benchmark data. */
export function makeIdNumber(
  regionCode: string,
  birthDate: string,
  sequence: number,
  gender: 'MALE' | 'FEMALE',
): string {
  const seq = sequence % 500;
  const withGender = seq * 2 + (gender === 'MALE' ? 1 : 0);
  const first17 = `${regionCode.slice(0, 6)}${birthDate.replaceAll('-', '')}${String(withGender).padStart(3, '0')}`;
  return first17 + checkDigit(first17);
}
