import { ArrayType, EntitySchema, type PrimaryKeyProp } from '@mikro-orm/core';
import { jurisdictionFilter, regionCodeColumn, regionCodeIndex } from '../../policy/jurisdiction';
import type { GuardianRelation } from '../../domain/guardian-relation';

export type GuidanceTopic =
  | 'GUARDIANSHIP_DUTIES'
  | 'PARENT_CHILD_CONTACT'
  | 'CHILD_SAFETY'
  | 'CHILD_DEVELOPMENT'
  | 'MENTAL_HEALTH'
  | 'LAWS_AND_POLICIES';

/** A family-education guidance session; scoped by where it was held. */
export interface GuidanceSession {
  id: string;
  regionCode: string;
  /** YYYY-MM-DD */
  date: string;
  topics: GuidanceTopic[];
  place: string;
  host: string;
  attendeeCount: number;
  createdAt: Date;
}

export const GuidanceSessionSchema = new EntitySchema<GuidanceSession>({
  name: 'GuidanceSession',
  tableName: 'guidance_session',
  schema: 'women',
  filters: { jurisdiction: jurisdictionFilter },
  indexes: [regionCodeIndex('guidance_session'), { name: 'guidance_session_date_idx', properties: ['date', 'id'] }],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    regionCode: regionCodeColumn,
    date: { type: 'date' },
    topics: { type: ArrayType, columnType: 'text[]' },
    place: { type: 'string', length: 200 },
    host: { type: 'string', length: 100 },
    attendeeCount: { type: 'integer' },
    createdAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
  },
});

/** That a registry guardian attended a session; scoped by the guardian's (the child's) village. */
export interface GuidanceAttendee {
  [PrimaryKeyProp]?: ['sessionId', 'guardianId'];
  sessionId: string;
  guardianId: string;
  regionCode: string;
  relation: GuardianRelation;
}

export const GuidanceAttendeeSchema = new EntitySchema<GuidanceAttendee>({
  name: 'GuidanceAttendee',
  tableName: 'guidance_attendee',
  schema: 'women',
  filters: { jurisdiction: jurisdictionFilter },
  indexes: [regionCodeIndex('guidance_attendee')],
  properties: {
    sessionId: { type: 'uuid', primary: true },
    guardianId: { type: 'uuid', primary: true },
    regionCode: regionCodeColumn,
    relation: { type: 'string', length: 20 },
  },
});
