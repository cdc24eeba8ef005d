import type { RetentionRule } from '../../audit/retention';

/** Years after which a closed report is unlinked from the child it concerned. */
export const CLOSED_REPORT_YEARS = 5;

/** Casework's retention rules (`hub retention run`). */
export const CASEWORK_RETENTION: readonly RetentionRule[] = [
  {
    name: 'pseudonymise-closed-reports',
    description: `A closed or unsubstantiated protection case is unlinked from the child ${CLOSED_REPORT_YEARS} years after it was reported.`,
    entity: 'ProtectionCase',
    select: `select id, child_id, json_build_object('childId', child_id) as before from casework.protection_case
              where child_id is not null and status in ('CLOSED', 'NOT_SUBSTANTIATED')
                and received_at < ?::date - interval '${CLOSED_REPORT_YEARS} years'`,
    apply: `update casework.protection_case set child_id = null where id = any(?::uuid[])`,
    after: { childId: null },
  },
];
