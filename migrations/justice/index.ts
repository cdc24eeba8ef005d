import type { MigrationObject } from '@mikro-orm/core';
import { feedLeaseMigration, feedsMigration } from '../../src/events/tables';
import { Migration20261204000000Justice } from './Migration20261204000000Justice';

/** The justice subgraph's migrations of its own schema, applied in this order. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261204000000Justice', class: Migration20261204000000Justice },
  feedsMigration('justice'),
  feedLeaseMigration('justice'),
];
