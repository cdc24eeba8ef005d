import { EntitySchema } from '@mikro-orm/core';
import { jurisdictionFilter, regionCodeColumn } from '../../policy/jurisdiction';

/**
 * A row of the `justice.open_case` view (see the Justice migration): one per legal-aid case or
 * guardianship proceeding still open. Read-only; the cases themselves are written through
 * their own entities.
 */
export interface OpenCase {
  id: string;
  childId: string;
  regionCode: string;
}

export const OpenCaseSchema = new EntitySchema<OpenCase>({
  name: 'OpenCase',
  tableName: 'open_case',
  schema: 'justice',
  readonly: true,
  filters: { jurisdiction: jurisdictionFilter },
  properties: {
    id: { type: 'uuid', primary: true },
    childId: { type: 'uuid' },
    regionCode: regionCodeColumn,
  },
});
