import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261204000000Reference } from './Migration20261204000000Reference';

/** The reference schema's migrations, applied to every database a subgraph runs on. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261204000000Reference', class: Migration20261204000000Reference },
];
