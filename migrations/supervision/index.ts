import type { MigrationObject } from '@mikro-orm/core';
import { feedLeaseMigration, feedsMigration } from '../../src/events/tables';
import { Migration20261204000000Supervision } from './Migration20261204000000Supervision';
import { Migration20261210000000CategoryBreaches } from './Migration20261210000000CategoryBreaches';

/** The supervision subgraph's migrations of its own schema, applied in this order. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261204000000Supervision', class: Migration20261204000000Supervision },
  feedsMigration('supervision'),
  { name: 'Migration20261210000000CategoryBreaches', class: Migration20261210000000CategoryBreaches },
  feedLeaseMigration('supervision'),
];
