import { Migration } from '@mikro-orm/migrations';

/**
 * The youth schema as the hub's shared migrations of 2026-11-23 to 2026-11-26 left it, in
 * one step: from here on the youth-league subgraph migrates its own schema, as its own role.
 */
export class Migration20261204000000YouthLeague extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "youth"."volunteer" ("id" uuid not null default gen_random_uuid(), "region_code" varchar(12) collate "C" not null, "name" varchar(50) not null, "phone" varchar(20) not null, "organisation" varchar(100) not null, "created_at" timestamptz not null, constraint "volunteer_pkey" primary key ("id"), constraint "volunteer_phone_unique" unique ("phone"))`,
    );
    this.addSql(`create index "volunteer_region_code_idx" on "youth"."volunteer" ("region_code", "id")`);
    this.addSql(
      `create table "youth"."care_pairing" ("id" uuid not null default gen_random_uuid(), "volunteer_id" uuid not null, "child_id" uuid not null, "region_code" varchar(12) collate "C" not null, "start_date" date not null, "end_date" date null, "visit_frequency" varchar(12) not null, "created_at" timestamptz not null, constraint "care_pairing_pkey" primary key ("id"), constraint "care_pairing_volunteer_id_fkey" foreign key ("volunteer_id") references "youth"."volunteer" ("id"), constraint "care_pairing_dates_check" check ("end_date" is null or "end_date" >= "start_date"))`,
    );
    this.addSql(
      `create unique index "care_pairing_active_unique" on "youth"."care_pairing" ("volunteer_id", "child_id") where "end_date" is null`,
    );
    this.addSql(`create index "care_pairing_child_id_idx" on "youth"."care_pairing" ("child_id")`);
    this.addSql(`create index "care_pairing_volunteer_id_idx" on "youth"."care_pairing" ("volunteer_id")`);
    this.addSql(`create index "care_pairing_region_code_idx" on "youth"."care_pairing" ("region_code")`);
    this.addSql(
      `create table "youth"."activity" ("id" uuid not null default gen_random_uuid(), "region_code" varchar(12) collate "C" not null, "kind" varchar(24) not null, "date" date not null, "place" varchar(200) not null, "created_at" timestamptz not null, constraint "activity_pkey" primary key ("id"))`,
    );
    this.addSql(`create index "activity_region_code_idx" on "youth"."activity" ("region_code")`);
    this.addSql(`create index "activity_date_idx" on "youth"."activity" ("date", "id")`);
    this.addSql(
      `create table "youth"."activity_child" ("activity_id" uuid not null, "child_id" uuid not null, "region_code" varchar(12) collate "C" not null, constraint "activity_child_pkey" primary key ("activity_id", "child_id"), constraint "activity_child_activity_id_fkey" foreign key ("activity_id") references "youth"."activity" ("id") on delete cascade deferrable initially deferred)`,
    );
    this.addSql(`create index "activity_child_child_id_idx" on "youth"."activity_child" ("child_id")`);
    this.addSql(`create index "activity_child_region_code_idx" on "youth"."activity_child" ("region_code")`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop schema if exists "youth" cascade`);
  }
}
