import type { MigrationObject } from '@mikro-orm/core';
import { feedLeaseMigration, feedsMigration } from '../../src/events/tables';
import { Migration20261204000000PublicSecurity } from './Migration20261204000000PublicSecurity';

/** The public-security subgraph's migrations of its own schema, applied in this order. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261204000000PublicSecurity', class: Migration20261204000000PublicSecurity },
  feedsMigration('security'),
  feedLeaseMigration('security'),
];
