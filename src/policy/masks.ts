import { truncateTo } from '../regions/region-code';

/**
 * How a `masked` field is shown. Each takes the value the field resolved to and returns
 * what a department with masked access may see of it.
 */
export const MASKS = {
  /** 630102********123X: the issuing region and the check digits, not the birth date. */
  idNumber: (value: unknown) => (typeof value === 'string' ? `${value.slice(0, 6)}********${value.slice(14)}` : value),
  /** 138****5678 */
  phone: (value: unknown) =>
    typeof value === 'string' && value.length > 7 ? `${value.slice(0, 3)}****${value.slice(-4)}` : value && '****',
  /** 张**: the first character (the surname, mostly) and nothing else. */
  name: (value: unknown) => (typeof value === 'string' && value !== '' ? `${Array.from(value)[0]}**` : value),
  /** A region reference shown only down to its township. */
  township: (value: unknown) => {
    const ref = value as { code?: string } | null;
    return ref?.code ? { code: truncateTo(ref.code, 'TOWNSHIP') } : value;
  },
  /** A free text shown only as present: the department knows it exists and asks its owner. */
  withheld: (value: unknown) => (typeof value === 'string' ? '[withheld]' : value),
} as const;

export type MaskName = keyof typeof MASKS;
