import type { FieldRule } from './rules';

/**
 * Why a department reads a child's record. Every request that touches personal data declares
 * one (`X-Purpose` header or `extensions.purpose`); it bounds what the request may see and is
 * written to the audit log.
 */
export const PURPOSES = [
  'CASE_WORK',
  'EMERGENCY_RESPONSE',
  'ENROLMENT_CHECK',
  'LEGAL_AID',
  'CARE_SERVICE',
  'ASSISTANCE_REPORTING',
  'STATISTICS',
  'AUDIT',
] as const;
export type Purpose = (typeof PURPOSES)[number];

/** Kinds of sensitive data a field can hold, beyond what its department may see at all. */
export type DataCategory = 'identity' | 'contact' | 'police' | 'health' | 'legal';

/**
 * What each purpose never resolves, whatever the department. A field tagged with a category
 * (FieldRule.data) is FORBIDDEN under a purpose that excludes it.
 */
export const PURPOSE_EXCLUDES: Readonly<Record<Purpose, readonly DataCategory[]>> = {
  CASE_WORK: [],
  EMERGENCY_RESPONSE: [],
  AUDIT: [],
  LEGAL_AID: ['health'],
  ENROLMENT_CHECK: ['police', 'health', 'legal'],
  CARE_SERVICE: ['identity', 'police', 'legal'],
  ASSISTANCE_REPORTING: ['identity', 'police', 'health', 'legal'],
  STATISTICS: ['identity', 'contact', 'police', 'health', 'legal'],
};

export function isPurpose(value: unknown): value is Purpose {
  return typeof value === 'string' && (PURPOSES as readonly string[]).includes(value);
}

/** Whether a field under `rule` may resolve for a request declaring `purpose`. */
export function purposeAllows(rule: FieldRule, purpose: string | null): boolean {
  if (!rule.data) return true;
  return isPurpose(purpose) && !PURPOSE_EXCLUDES[purpose].includes(rule.data);
}

/** The purposes under which a field never resolves (for the table in docs/permissions.md). */
export function purposesExcluding(rule: FieldRule): Purpose[] {
  return rule.data ? PURPOSES.filter((p) => PURPOSE_EXCLUDES[p].includes(rule.data!)) : [];
}
