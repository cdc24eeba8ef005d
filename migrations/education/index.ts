import type { MigrationObject } from '@mikro-orm/core';
import { feedLeaseMigration, feedsMigration } from '../../src/events/tables';
import { Migration20261204000000Education } from './Migration20261204000000Education';

/** The education subgraph's migrations of its own schema, applied in this order. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261204000000Education', class: Migration20261204000000Education },
  feedsMigration('education'),
  feedLeaseMigration('education'),
];
