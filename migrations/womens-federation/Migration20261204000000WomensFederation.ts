import { Migration } from '@mikro-orm/migrations';

/**
 * The women schema as the hub's shared migrations of 2026-11-23 to 2026-11-26 left it, in
 * one step: from here on the womens-federation subgraph migrates its own schema, as its own role.
 */
export class Migration20261204000000WomensFederation extends Migration {
  override async up(): Promise<void> {
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
  }
}
