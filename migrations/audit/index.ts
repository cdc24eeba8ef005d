import type { MigrationObject } from '@mikro-orm/core';
import { feedLeaseMigration, feedsMigration } from '../../src/events/tables';
import { Migration20261204000000Audit } from './Migration20261204000000Audit';

/** The audit subgraph's migrations of its own schema, applied in this order. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261204000000Audit', class: Migration20261204000000Audit },
  feedsMigration('audit'),
  feedLeaseMigration('audit'),
];
