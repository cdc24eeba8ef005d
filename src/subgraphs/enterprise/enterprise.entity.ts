import { EntitySchema } from '@mikro-orm/core';
import { enterpriseFilter } from '../../policy/enterprise-scope';
import { jurisdictionFilter, regionCodeColumn, regionCodeIndex } from '../../policy/jurisdiction';

/** An enterprise that reports care for its migrant workers' children, keyed by its credit code. */
export interface Enterprise {
  /** Unified social credit code (GB 32100). */
  creditCode: string;
  name: string;
  /** Where the enterprise is registered: the row's jurisdiction. */
  regionCode: string;
  labourIntensive: boolean;
  contactName: string;
  contactPhone: string;
  createdAt: Date;
}

export const EnterpriseSchema = new EntitySchema<Enterprise>({
  name: 'Enterprise',
  tableName: 'enterprise',
  schema: 'enterprise',
  filters: { jurisdiction: jurisdictionFilter, enterprise: enterpriseFilter('creditCode') },
  indexes: [regionCodeIndex('enterprise')],
  properties: {
    creditCode: { type: 'string', columnType: 'varchar(18) collate "C"', primary: true },
    name: { type: 'string', length: 200 },
    regionCode: regionCodeColumn,
    labourIntensive: { type: 'boolean' },
    contactName: { type: 'string', length: 100 },
    contactPhone: { type: 'string', length: 20 },
    createdAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
  },
});
