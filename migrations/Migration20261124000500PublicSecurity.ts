import { Migration } from '@mikro-orm/migrations';

/**
 * Police stations, which a household registration may reference, and the lists public security
 * works from: children without hukou, and (in the registry) guardianship civil affairs has
 * flagged inadequate. Each list is served by a partial index in its page order.
 */
export class Migration20261124000500PublicSecurity extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "security"."police_station" ("id" uuid not null default gen_random_uuid(), "name" varchar(255) not null, "region_code" varchar(12) collate "C" not null, "phone" varchar(20) null, "address" varchar(255) null, constraint "police_station_pkey" primary key ("id"))`,
    );
    this.addSql(`create index "police_station_region_code_idx" on "security"."police_station" ("region_code")`);
    this.addSql(
      `alter table "security"."household_registration" add column "police_station_id" uuid null, add constraint "household_registration_police_station_id_fkey" foreign key ("police_station_id") references "security"."police_station" ("id")`,
    );
    this.addSql(
      `create index "household_registration_unregistered_idx" on "security"."household_registration" ("region_code", "child_id") where not "registered"`,
    );
    this.addSql(
      `alter table "registry"."guardianship" add column "inadequate" boolean not null default false, add column "inadequate_reason" text null, add column "flagged_at" timestamptz null`,
    );
    this.addSql(
      `create index "guardianship_inadequate_idx" on "registry"."guardianship" ("region_code", "child_id") where "inadequate"`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "registry"."guardianship_inadequate_idx"`);
    this.addSql(
      `alter table "registry"."guardianship" drop column "inadequate", drop column "inadequate_reason", drop column "flagged_at"`,
    );
    this.addSql(`drop index "security"."household_registration_unregistered_idx"`);
    this.addSql(`alter table "security"."household_registration" drop column "police_station_id"`);
    this.addSql(`drop table "security"."police_station"`);
  }
}
