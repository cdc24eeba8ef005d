import { EntitySchema, type PrimaryKeyProp } from '@mikro-orm/core';
import { jurisdictionFilter, regionCodeColumn, regionCodeIndex } from '../../policy/jurisdiction';

export type ActivityKind = 'COMPANIONSHIP_VISIT' | 'VIDEO_CALL_WITH_PARENTS' | 'SUMMER_CAMP' | 'TUTORING';

/** An activity held with children; scoped by where it was held. */
export interface Activity {
  id: string;
  regionCode: string;
  kind: ActivityKind;
  /** YYYY-MM-DD */
  date: string;
  place: string;
  createdAt: Date;
}

export const ActivitySchema = new EntitySchema<Activity>({
  name: 'Activity',
  tableName: 'activity',
  schema: 'youth',
  filters: { jurisdiction: jurisdictionFilter },
  indexes: [regionCodeIndex('activity'), { name: 'activity_date_idx', properties: ['date', 'id'] }],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    regionCode: regionCodeColumn,
    kind: { type: 'string', length: 24 },
    date: { type: 'date' },
    place: { type: 'string', length: 200 },
    createdAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
  },
});

/** That a child attended an activity; scoped by the child's village, not the activity's. */
export interface ActivityChild {
  [PrimaryKeyProp]?: ['activityId', 'childId'];
  activityId: string;
  childId: string;
  regionCode: string;
}

export const ActivityChildSchema = new EntitySchema<ActivityChild>({
  name: 'ActivityChild',
  tableName: 'activity_child',
  schema: 'youth',
  filters: { jurisdiction: jurisdictionFilter },
  indexes: [regionCodeIndex('activity_child')],
  properties: {
    activityId: { type: 'uuid', primary: true },
    childId: { type: 'uuid', primary: true, index: 'activity_child_child_id_idx' },
    regionCode: regionCodeColumn,
  },
});
