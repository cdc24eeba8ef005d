import type { EventHandler } from '../../events/relay';
import {
  AccountabilityRecordSchema,
  type AccountabilityMeasure,
  type AccountabilityRecord,
  type IssuingDepartment,
} from './accountability-record.entity';

/**
 * Casework found that a guardian failed the child (`GuardianFailureFound`, checked there against
 * the registry): the measure goes on justice's record under the id casework gave it, so the
 * notifications casework sent already name it.
 */
export const recordGuardianFailure: EventHandler = async (em, payload) => {
  const p = payload as {
    recordId: string;
    childId: string;
    regionCode: string;
    guardianId: string;
    measure: AccountabilityMeasure;
    issuingDepartment: IssuingDepartment;
    issuedOn: string;
    notes: string | null;
  };
  em.create(AccountabilityRecordSchema, {
    id: p.recordId,
    childId: p.childId,
    regionCode: p.regionCode,
    guardianId: p.guardianId,
    measure: p.measure,
    issuingDepartment: p.issuingDepartment,
    issuedOn: p.issuedOn,
    notes: p.notes,
  } as AccountabilityRecord);
};
