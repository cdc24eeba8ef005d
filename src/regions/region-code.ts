/**
 * GB/T 2260 region codes as the hub stores them: 2 digits province, 4 city, 6 county,
 * 9 township, 12 village. A shorter code is a prefix of every code under it.
 */
export type RegionLevel = 'PROVINCE' | 'CITY' | 'COUNTY' | 'TOWNSHIP' | 'VILLAGE';

const LEVEL_BY_LENGTH: Record<number, RegionLevel> = {
  2: 'PROVINCE',
  4: 'CITY',
  6: 'COUNTY',
  9: 'TOWNSHIP',
  12: 'VILLAGE',
};
const LENGTH_BY_LEVEL: Record<RegionLevel, number> = {
  PROVINCE: 2,
  CITY: 4,
  COUNTY: 6,
  TOWNSHIP: 9,
  VILLAGE: 12,
};

export const REGION_CODE_PATTERN = /^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/;

export function levelOf(code: string): RegionLevel | undefined {
  return REGION_CODE_PATTERN.test(code) ? LEVEL_BY_LENGTH[code.length] : undefined;
}

/** Whether `code` lies inside the jurisdiction `scope` (itself included). */
export function isWithin(scope: string, code: string): boolean {
  return code.startsWith(scope);
}

/**
 * The codes starting with `prefix`, as a MikroORM condition: the `LIKE 'prefix%'` pattern and
 * the same codes as a range, `$gte` ≤ code < `$lt` in byte order (the "C" collation the hub
 * stores codes in), which an index can start and stop on even when the prefix is a parameter of
 * a prepared statement, whose generic plan cannot read a range out of the pattern. The empty
 * prefix matches every code and needs no range.
 */
export function codesUnder(prefix: string): { $like: string; $gte?: string; $lt?: string } {
  if (!prefix) return { $like: '%' };
  const next = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
  return { $like: `${prefix}%`, $gte: prefix, $lt: next };
}

/**
 * The part of `code`'s area that lies inside the jurisdiction `scope`, as a region prefix: the
 * longer of the two when one contains the other, null when they do not overlap.
 */
export function withinScope(scope: string, code: string): string | null {
  if (isWithin(scope, code)) return code;
  return isWithin(code, scope) ? scope : null;
}

export function parentOf(code: string): string | null {
  const lengths = [2, 4, 6, 9];
  const shorter = lengths.filter((n) => n < code.length);
  return shorter.length ? code.slice(0, shorter[shorter.length - 1]) : null;
}

/** The code at `level` above (or equal to) `code`; the code itself when it is already higher. */
export function truncateTo(code: string, level: RegionLevel): string {
  return code.slice(0, Math.min(code.length, LENGTH_BY_LEVEL[level]));
}
