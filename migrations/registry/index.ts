import type { MigrationObject } from '@mikro-orm/core';
import { feedLeaseMigration, feedsMigration } from '../../src/events/tables';
import { Migration20261204000000Registry } from './Migration20261204000000Registry';
import { Migration20261210000000Categories } from './Migration20261210000000Categories';

/** The registry subgraph's migrations of its own schema, applied in this order. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261204000000Registry', class: Migration20261204000000Registry },
  feedsMigration('registry'),
  { name: 'Migration20261210000000Categories', class: Migration20261210000000Categories },
  feedLeaseMigration('registry'),
];
