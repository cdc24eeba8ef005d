import type { MigrationObject } from '@mikro-orm/core';
import { feedLeaseMigration, feedsMigration } from '../../src/events/tables';
import { Migration20261204000000Casework } from './Migration20261204000000Casework';
import { Migration20261204000200WebhookSecrets } from './Migration20261204000200WebhookSecrets';

/** The casework subgraph's migrations of its own schema, applied in this order. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261204000000Casework', class: Migration20261204000000Casework },
  feedsMigration('casework'),
  { name: 'Migration20261204000200WebhookSecrets', class: Migration20261204000200WebhookSecrets },
  feedLeaseMigration('casework'),
];
