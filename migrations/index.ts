import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123000000Foundation } from './Migration20261123000000Foundation';
import { Migration20261123110000RegionCodeOrder } from './Migration20261123110000RegionCodeOrder';
import { Migration20261124000000Education } from './Migration20261124000000Education';
import { Migration20261124000500PublicSecurity } from './Migration20261124000500PublicSecurity';
import { Migration20261124100000Justice } from './Migration20261124100000Justice';
import { Migration20261124200000YouthLeagueWomensFederation } from './Migration20261124200000YouthLeagueWomensFederation';
import { Migration20261124300000Enterprise } from './Migration20261124300000Enterprise';
import { Migration20261124400000ReadPathIndexes } from './Migration20261124400000ReadPathIndexes';
import { Migration20261124500000Audit } from './Migration20261124500000Audit';
import { Migration20261124510000History } from './Migration20261124510000History';
import { Migration20261124520000EmergencyAccess } from './Migration20261124520000EmergencyAccess';
import { Migration20261125000000Casework } from './Migration20261125000000Casework';
import { Migration20261126000000Supervision } from './Migration20261126000000Supervision';
import { Migration20261204000000WebhookSecrets } from './Migration20261204000000WebhookSecrets';

/** Applied in this order; a new migration is added here as well as in its own file. */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261123000000Foundation', class: Migration20261123000000Foundation },
  { name: 'Migration20261123110000RegionCodeOrder', class: Migration20261123110000RegionCodeOrder },
  { name: 'Migration20261124000000Education', class: Migration20261124000000Education },
  { name: 'Migration20261124000500PublicSecurity', class: Migration20261124000500PublicSecurity },
  { name: 'Migration20261124100000Justice', class: Migration20261124100000Justice },
  {
    name: 'Migration20261124200000YouthLeagueWomensFederation',
    class: Migration20261124200000YouthLeagueWomensFederation,
  },
  { name: 'Migration20261124300000Enterprise', class: Migration20261124300000Enterprise },
  { name: 'Migration20261124400000ReadPathIndexes', class: Migration20261124400000ReadPathIndexes },
  { name: 'Migration20261124500000Audit', class: Migration20261124500000Audit },
  { name: 'Migration20261124510000History', class: Migration20261124510000History },
  { name: 'Migration20261124520000EmergencyAccess', class: Migration20261124520000EmergencyAccess },
  { name: 'Migration20261125000000Casework', class: Migration20261125000000Casework },
  { name: 'Migration20261126000000Supervision', class: Migration20261126000000Supervision },
  { name: 'Migration20261204000000WebhookSecrets', class: Migration20261204000000WebhookSecrets },
];
