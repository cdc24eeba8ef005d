import type { MigrationObject } from '@mikro-orm/core';
import { feedLeaseMigration, feedsMigration } from '../../src/events/tables';
import { Migration20261204000000Enterprise } from './Migration20261204000000Enterprise';

/** The enterprise subgraph's migrations of its own schema, applied in this order. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261204000000Enterprise', class: Migration20261204000000Enterprise },
  feedsMigration('enterprise'),
  feedLeaseMigration('enterprise'),
];
