import { Migration } from '@mikro-orm/migrations';

/**
 * The security schema as the hub's shared migrations of 2026-11-23 to 2026-11-26 left it, in
 * one step: from here on the public-security subgraph migrates its own schema, as its own role.
 */
export class Migration20261204000000PublicSecurity extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "security"."household_registration" ("child_id" uuid not null, "region_code" varchar(12) not null, "registered" boolean not null, "hukou_number" varchar(32) null, "police_station" varchar(255) null, "updated_at" timestamptz not null, constraint "household_registration_pkey" primary key ("child_id"))`,
    );
    this.addSql(
      `create index "household_registration_region_code_idx" on "security"."household_registration" ("region_code" text_pattern_ops)`,
    );
    this.addSql(`drop index "security"."household_registration_region_code_idx"`);
    this.addSql(
      `alter table "security"."household_registration" alter column "region_code" type varchar(12) collate "C"`,
    );
    this.addSql(
      `create index "household_registration_region_code_idx" on "security"."household_registration" ("region_code")`,
    );
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
  }

  override async down(): Promise<void> {
    this.addSql(`drop schema if exists "security" cascade`);
  }
}
