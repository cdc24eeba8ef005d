import type { MigrationObject } from '@mikro-orm/core';
import { feedsMigration } from '../../src/events/tables';
import { Migration20261204000000Supervision } from './Migration20261204000000Supervision';

/** The supervision subgraph's migrations of its own schema, applied in this order. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261204000000Supervision', class: Migration20261204000000Supervision },
  feedsMigration('supervision'),
];
