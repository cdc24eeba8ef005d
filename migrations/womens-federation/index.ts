import type { MigrationObject } from '@mikro-orm/core';
import { feedLeaseMigration, feedsMigration } from '../../src/events/tables';
import { Migration20261204000000WomensFederation } from './Migration20261204000000WomensFederation';

/** The womens-federation subgraph's migrations of its own schema, applied in this order. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261204000000WomensFederation', class: Migration20261204000000WomensFederation },
  feedsMigration('women'),
  feedLeaseMigration('women'),
];
