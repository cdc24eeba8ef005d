import type { MigrationObject } from '@mikro-orm/core';
import { feedLeaseMigration, feedsMigration } from '../../src/events/tables';
import { Migration20261204000000YouthLeague } from './Migration20261204000000YouthLeague';

/** The youth-league subgraph's migrations of its own schema, applied in this order. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261204000000YouthLeague', class: Migration20261204000000YouthLeague },
  feedsMigration('youth'),
  feedLeaseMigration('youth'),
];
