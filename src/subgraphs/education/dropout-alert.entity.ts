import { EntitySchema } from '@mikro-orm/core';
import { jurisdictionFilter, regionCodeColumn, regionCodeIndex } from '../../policy/jurisdiction';

export type DropoutAlertReason = 'ABSENCES' | 'DROPPED_OUT';
export type DropoutAlertStatus = 'OPEN' | 'RESOLVED';

/** A child at risk of leaving compulsory education (控辍保学): at most one open alert per child. */
export interface DropoutAlert {
  id: string;
  childId: string;
  regionCode: string;
  reason: DropoutAlertReason;
  /** The school the child was enrolled at when the alert was raised. */
  schoolCode: string | null;
  raisedAt: Date;
  status: DropoutAlertStatus;
  resolution: string | null;
  resolvedAt: Date | null;
}

export const DropoutAlertSchema = new EntitySchema<DropoutAlert>({
  name: 'DropoutAlert',
  tableName: 'dropout_alert',
  schema: 'education',
  filters: { jurisdiction: jurisdictionFilter },
  indexes: [
    regionCodeIndex<DropoutAlert>('dropout_alert', 'id'),
    {
      name: 'dropout_alert_open_unique',
      expression:
        'create unique index "dropout_alert_open_unique" on "education"."dropout_alert" ("child_id") where "status" = \'OPEN\'',
    },
  ],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    childId: { type: 'uuid' },
    regionCode: regionCodeColumn,
    reason: { type: 'string', length: 12 },
    schoolCode: { type: 'string', columnType: 'varchar(10)', nullable: true },
    raisedAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
    status: { type: 'string', length: 10 },
    resolution: { type: 'text', nullable: true },
    resolvedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
  },
});
