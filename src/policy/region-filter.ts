import type { Principal } from '../auth/principal';
import { forbidden } from '../errors';
import { truncateTo } from '../regions/region-code';
import { accessOf, FIELD_ACCESS } from './field-access';

/**
 * A list's region filter may be no finer than the caller sees the region it filters on: a
 * village's children listed to a department that sees their residence down to the township
 * would tell it where each of them lives. `field` (Type.field) is the region filtered on.
 */
export function checkRegionFilter(
  principal: Principal,
  argument: string,
  code: string | null | undefined,
  field: string,
): void {
  const rule = FIELD_ACCESS[field];
  if (!code || rule.mask !== 'township' || truncateTo(code, 'TOWNSHIP') === code) return;
  if (accessOf(rule, principal.dept, principal.roles) === 'masked') {
    throw forbidden(`${argument}: your department sees ${field} down to the township, so it filters no finer`);
  }
}
