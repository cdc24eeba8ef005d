import { Migration } from '@mikro-orm/migrations';

/**
 * The supervision schema as the hub's shared migrations of 2026-11-23 to 2026-11-26 left it, in
 * one step: from here on the supervision subgraph migrates its own schema, as its own role.
 */
export class Migration20261204000000Supervision extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "supervision"."census_import" ("id" uuid not null default gen_random_uuid(), "region_code" varchar(12) collate "C" not null, "account" varchar(200) not null, "dept" varchar(24) not null, "file_name" varchar(255) not null, "file_hash" varchar(64) null, "status" varchar(12) not null, "rows_total" int not null default 0, "rows_done" int not null default 0, "created" int not null default 0, "updated" int not null default 0, "unchanged" int not null default 0, "row_errors" jsonb not null default '[]', "message" text null, "started_at" timestamptz not null, "finished_at" timestamptz null, constraint "census_import_pkey" primary key ("id"))`,
    );
    this.addSql(
      `create index "census_import_region_code_idx" on "supervision"."census_import" ("region_code", "started_at")`,
    );
    this.addSql(
      `create table "supervision"."census_change" ("import_id" uuid not null, "child_id" uuid not null, "region_code" varchar(12) collate "C" not null, "op" varchar(8) not null, "fields" text[] not null, constraint "census_change_pkey" primary key ("import_id", "child_id"), constraint "census_change_import_id_fkey" foreign key ("import_id") references "supervision"."census_import" ("id") on delete cascade)`,
    );
    this.addSql(`create index "census_change_child_id_idx" on "supervision"."census_change" ("child_id")`);
    this.addSql(
      `create table "supervision"."ledger_entry" ("child_id" uuid not null, "region_code" varchar(12) collate "C" not null, "schooling" varchar(16) not null, "school_name" varchar(200) null, "import_id" uuid not null, "updated_at" timestamptz not null default now(), constraint "ledger_entry_pkey" primary key ("child_id"))`,
    );
    this.addSql(`create index "ledger_entry_region_code_idx" on "supervision"."ledger_entry" ("region_code")`);
    this.addSql(
      `create table "supervision"."conflict_task" ("id" uuid not null default gen_random_uuid(), "kind" varchar(64) not null, "child_id" uuid not null, "region_code" varchar(12) collate "C" not null, "owner" varchar(24) not null, "detail" text not null, "status" varchar(10) not null default 'OPEN', "detected_at" timestamptz not null default now(), "resolved_at" timestamptz null, constraint "conflict_task_pkey" primary key ("id"))`,
    );
    this.addSql(
      `create unique index "conflict_task_open_unique" on "supervision"."conflict_task" ("kind", "child_id") where "status" = 'OPEN'`,
    );
    this.addSql(
      `create index "conflict_task_region_code_idx" on "supervision"."conflict_task" ("region_code", "status")`,
    );
    this.addSql(
      `create table "supervision"."provincial_implementation" ("region_code" varchar(12) collate "C" not null, "opinion_issued" boolean not null default false, "opinion_date" date null, "mechanism_established" boolean not null default false, "mechanism_date" date null, "notes" text null, "updated_by" varchar(200) not null, "updated_at" timestamptz not null, constraint "provincial_implementation_pkey" primary key ("region_code"))`,
    );
    this.addSql(
      `create table "supervision"."joint_meeting_unit" ("id" uuid not null default gen_random_uuid(), "region_code" varchar(12) collate "C" not null, "department" varchar(24) not null, "unit_name" varchar(200) not null, "duties" text not null, "convener" boolean not null default false, "created_at" timestamptz not null, constraint "joint_meeting_unit_pkey" primary key ("id"), constraint "joint_meeting_unit_name_unique" unique ("region_code", "unit_name"))`,
    );
    this.addSql(
      `create table "supervision"."work_point" ("id" uuid not null default gen_random_uuid(), "region_code" varchar(12) collate "C" not null, "year" smallint not null, "title" varchar(500) not null, "unit_id" uuid not null, "deadline" date not null, "status" varchar(12) not null, "updated_at" timestamptz not null, constraint "work_point_pkey" primary key ("id"), constraint "work_point_unit_id_fkey" foreign key ("unit_id") references "supervision"."joint_meeting_unit" ("id"))`,
    );
    this.addSql(`create index "work_point_region_code_idx" on "supervision"."work_point" ("region_code", "year")`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop schema if exists "supervision" cascade`);
  }
}
