import { EntitySchema } from '@mikro-orm/core';
import { jurisdictionFilter, regionCodeColumn, regionCodeIndex } from '../../policy/jurisdiction';

/** At most this long: an emergency grant is for the emergency, not for the case. */
export const MAX_EMERGENCY_HOURS = 3;
/** The owning unit reviews a grant within this many days of its expiry, or it is overdue. */
export const REVIEW_DAYS = 2;

/** A break-the-glass grant: one account sees one child's elevated fields until `expiresAt`. */
export interface EmergencyGrant {
  id: string;
  childId: string;
  /** The child's region: the owning civil-affairs unit lists and reviews the grant. */
  regionCode: string;
  account: string;
  dept: string;
  accountRegion: string;
  reason: string;
  grantedAt: Date;
  expiresAt: Date;
  reviewedAt: Date | null;
  reviewer: string | null;
  justified: boolean | null;
  reviewNote: string | null;
}

export const EmergencyGrantSchema = new EntitySchema<EmergencyGrant>({
  name: 'EmergencyGrant',
  tableName: 'emergency_grant',
  schema: 'audit',
  filters: { jurisdiction: jurisdictionFilter },
  indexes: [regionCodeIndex<EmergencyGrant>('emergency_grant', 'id')],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    childId: { type: 'uuid' },
    regionCode: regionCodeColumn,
    account: { type: 'string' },
    dept: { type: 'string', length: 20 },
    accountRegion: { type: 'string', length: 12 },
    reason: { type: 'text' },
    grantedAt: { type: 'Date', columnType: 'timestamptz' },
    expiresAt: { type: 'Date', columnType: 'timestamptz' },
    reviewedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    reviewer: { type: 'string', nullable: true },
    justified: { type: 'boolean', nullable: true },
    reviewNote: { type: 'text', nullable: true },
  },
});
