import { z } from 'zod';
import { REGION_CODE_PATTERN } from '../regions/region-code';
import { creditCodeError } from '../subgraphs/enterprise/credit-code';

export const DEPARTMENTS = [
  'CIVIL_AFFAIRS',
  'EDUCATION',
  'PUBLIC_SECURITY',
  'JUSTICE',
  'YOUTH_LEAGUE',
  'WOMENS_FEDERATION',
  'ENTERPRISE',
  'SUPERVISION',
] as const;
export type Department = (typeof DEPARTMENTS)[number];

/**
 * Roles a service account may hold; operations name the ones they need (`auditor` reads the audit
 * log, `reporter` makes mandatory reports and follows their receipts).
 */
export const ROLES = ['reader', 'writer', 'auditor', 'reporter'] as const;
export type Role = (typeof ROLES)[number];

export const Claims = z
  .object({
    sub: z.string().min(1),
    dept: z.enum(DEPARTMENTS),
    region: z.string().regex(REGION_CODE_PATTERN, 'a GB/T 2260 code of 2, 4, 6, 9 or 12 digits'),
    roles: z.array(z.enum(ROLES)).default([]),
    /** The unified social credit code of the enterprise an ENTERPRISE account acts for. */
    enterprise: z
      .string()
      .refine((code) => creditCodeError(code) === null, 'a unified social credit code (GB 32100)')
      .optional(),
  })
  .refine((c) => (c.dept === 'ENTERPRISE') === (c.enterprise !== undefined), {
    message: 'the enterprise claim is required for, and only for, ENTERPRISE accounts',
    path: ['enterprise'],
  });

/** The verified caller: a department's service account and its jurisdiction. */
export interface Principal {
  sub: string;
  dept: Department;
  region: string;
  roles: Role[];
  enterprise?: string;
}
