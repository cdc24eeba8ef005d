import { EntitySchema } from '@mikro-orm/core';
import { enterpriseFilter } from '../../policy/enterprise-scope';
import { jurisdictionFilter, regionCodeColumn, regionCodeIndex } from '../../policy/jurisdiction';

/**
 * A worker of an enterprise, known by identity number but holding only its keyed hash (to match
 * it) and its masked form (to show it). Scoped like its enterprise.
 */
export interface Worker {
  id: string;
  enterpriseCode: string;
  /** The enterprise's region. */
  regionCode: string;
  idHash: string;
  idMasked: string;
  createdAt: Date;
}

export const WorkerSchema = new EntitySchema<Worker>({
  name: 'Worker',
  tableName: 'worker',
  schema: 'enterprise',
  filters: { jurisdiction: jurisdictionFilter, enterprise: enterpriseFilter('enterpriseCode') },
  indexes: [regionCodeIndex('worker')],
  // Hash first: the same index finds a number's workers across enterprises (registry hook).
  uniques: [{ name: 'worker_id_hash_enterprise_unique', properties: ['idHash', 'enterpriseCode'] }],
  properties: {
    id: { type: 'uuid', primary: true, defaultRaw: 'gen_random_uuid()' },
    enterpriseCode: { type: 'string', columnType: 'varchar(18) collate "C"' },
    regionCode: regionCodeColumn,
    idHash: { type: 'string', length: 64 },
    idMasked: { type: 'string', length: 18 },
    createdAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
  },
});

/**
 * A worker who is the guardian of a registered child. The row carries the child's region, so
 * civil affairs reaches it through its jurisdiction; enterprises are never shown it.
 */
export interface WorkerLink {
  workerId: string;
  guardianId: string;
  childId: string;
  enterpriseCode: string;
  /** The child's region. */
  regionCode: string;
  createdAt: Date;
}

export const WorkerLinkSchema = new EntitySchema<WorkerLink>({
  name: 'WorkerLink',
  tableName: 'worker_link',
  schema: 'enterprise',
  filters: { jurisdiction: jurisdictionFilter, enterprise: enterpriseFilter('enterpriseCode') },
  indexes: [regionCodeIndex('worker_link'), { name: 'worker_link_child_id_idx', properties: ['childId'] }],
  properties: {
    workerId: { type: 'uuid', primary: true },
    guardianId: { type: 'uuid', primary: true },
    childId: { type: 'uuid' },
    enterpriseCode: { type: 'string', columnType: 'varchar(18) collate "C"' },
    regionCode: regionCodeColumn,
    createdAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
  },
});
