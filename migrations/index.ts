import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123000000Foundation } from './Migration20261123000000Foundation';
import { Migration20261123110000RegionCodeOrder } from './Migration20261123110000RegionCodeOrder';
import { Migration20261124300000Enterprise } from './Migration20261124300000Enterprise';

/** Applied in this order; a new migration is added here as well as in its own file. */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261123000000Foundation', class: Migration20261123000000Foundation },
  { name: 'Migration20261123110000RegionCodeOrder', class: Migration20261123110000RegionCodeOrder },
  { name: 'Migration20261124300000Enterprise', class: Migration20261124300000Enterprise },
];
