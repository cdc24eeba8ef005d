import { EntitySchema } from '@mikro-orm/core';

/**
 * A police station (派出所). Public institutions, not personal data: no jurisdiction filter, so a
 * household registration shows its station wherever it is; lists are narrowed by the service.
 */
export interface PoliceStation {
  id: string;
  name: string;
  /** The township (or county) the station serves. */
  regionCode: string;
  phone: string | null;
  address: string | null;
}

export const PoliceStationSchema = new EntitySchema<PoliceStation>({
  name: 'PoliceStation',
  tableName: 'police_station',
  schema: 'security',
  indexes: [{ name: 'police_station_region_code_idx', properties: ['regionCode'] }],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    name: { type: 'string' },
    regionCode: { type: 'string', columnType: 'varchar(12) collate "C"' },
    phone: { type: 'string', length: 20, nullable: true },
    address: { type: 'string', nullable: true },
  },
});
