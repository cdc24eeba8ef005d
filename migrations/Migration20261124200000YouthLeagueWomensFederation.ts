import { Migration } from '@mikro-orm/migrations';

/**
 * The youth league (volunteers, care pairings, activities) and the women's federation
 * (family-education guidance, children's homes), each in its own schema, and the care needs
 * civil affairs records on a child. Every table holding personal data is scoped by
 * `region_code` in byte order, like the others (Migration20261123110000RegionCodeOrder).
 * Links from a row to its parent are checked at commit: the entities declare no relations, so
 * the ORM may insert an activity's attendance before the activity in the same transaction.
 */
export class Migration20261124200000YouthLeagueWomensFederation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "registry"."child" add column "care_needs" text[] not null default '{}'`);

    this.addSql(`create schema if not exists "youth"`);
    this.addSql(
      `create table "youth"."volunteer" ("id" uuid not null default gen_random_uuid(), "region_code" varchar(12) collate "C" not null, "name" varchar(50) not null, "phone" varchar(20) not null, "organisation" varchar(100) not null, "created_at" timestamptz not null, constraint "volunteer_pkey" primary key ("id"), constraint "volunteer_phone_unique" unique ("phone"))`,
    );
    this.addSql(`create index "volunteer_region_code_idx" on "youth"."volunteer" ("region_code", "id")`);
    this.addSql(
      `create table "youth"."care_pairing" ("id" uuid not null default gen_random_uuid(), "volunteer_id" uuid not null, "child_id" uuid not null, "region_code" varchar(12) collate "C" not null, "start_date" date not null, "end_date" date null, "visit_frequency" varchar(12) not null, "created_at" timestamptz not null, constraint "care_pairing_pkey" primary key ("id"), constraint "care_pairing_volunteer_id_fkey" foreign key ("volunteer_id") references "youth"."volunteer" ("id"), constraint "care_pairing_dates_check" check ("end_date" is null or "end_date" >= "start_date"))`,
    );
    // One pairing of a volunteer with a child lasts at a time; ended ones are history.
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

    this.addSql(`create schema if not exists "women"`);
    this.addSql(
      `create table "women"."guidance_session" ("id" uuid not null default gen_random_uuid(), "region_code" varchar(12) collate "C" not null, "date" date not null, "topics" text[] not null, "place" varchar(200) not null, "host" varchar(100) not null, "attendee_count" int not null, "created_at" timestamptz not null, constraint "guidance_session_pkey" primary key ("id"), constraint "guidance_session_attendee_count_check" check ("attendee_count" >= 0))`,
    );
    this.addSql(`create index "guidance_session_region_code_idx" on "women"."guidance_session" ("region_code")`);
    this.addSql(`create index "guidance_session_date_idx" on "women"."guidance_session" ("date", "id")`);
    this.addSql(
      `create table "women"."guidance_attendee" ("session_id" uuid not null, "guardian_id" uuid not null, "region_code" varchar(12) collate "C" not null, "relation" varchar(20) not null, constraint "guidance_attendee_pkey" primary key ("session_id", "guardian_id"), constraint "guidance_attendee_session_id_fkey" foreign key ("session_id") references "women"."guidance_session" ("id") on delete cascade deferrable initially deferred)`,
    );
    this.addSql(`create index "guidance_attendee_region_code_idx" on "women"."guidance_attendee" ("region_code")`);
    this.addSql(
      `create table "women"."childrens_home" ("id" uuid not null default gen_random_uuid(), "region_code" varchar(12) collate "C" not null, "name" varchar(100) not null, "address" varchar(200) not null, "opening_hours" varchar(200) not null, "children_served" int not null, "activities" text[] not null default '{}', "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "childrens_home_pkey" primary key ("id"), constraint "childrens_home_name_unique" unique ("region_code", "name"), constraint "childrens_home_children_served_check" check ("children_served" >= 0))`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop schema if exists "women" cascade`);
    this.addSql(`drop schema if exists "youth" cascade`);
    this.addSql(`alter table "registry"."child" drop column "care_needs"`);
  }
}
