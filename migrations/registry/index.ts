import type { MigrationObject } from '@mikro-orm/core';
import { feedsMigration } from '../../src/events/tables';
import { Migration20261204000000Registry } from './Migration20261204000000Registry';

/** The registry subgraph's migrations of its own schema, applied in this order. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261204000000Registry', class: Migration20261204000000Registry },
  feedsMigration('registry'),
];
