import { Migration } from '@mikro-orm/migrations';

/**
 * The supervision schema as the hub's shared migrations of 2026-11-23 to 2026-11-26 left it, in
 * one step: from here on the supervision subgraph migrates its own schema, as its own role.
 */
export class Migration20261204000000Supervision extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "supervision"."conflict_task" ("id" uuid not null default gen_random_uuid(), "kind" varchar(64) not null, "child_id" uuid not null, "region_code" varchar(12) collate "C" not null, "owner" varchar(24) not null, "detail" text not null, "status" varchar(10) not null default 'OPEN', "detected_at" timestamptz not null default now(), "resolved_at" timestamptz null, constraint "conflict_task_pkey" primary key ("id"))`,
    );
    this.addSql(
      `create unique index "conflict_task_open_unique" on "supervision"."conflict_task" ("kind", "child_id") where "status" = 'OPEN'`,
    );
    this.addSql(
      `create index "conflict_task_region_code_idx" on "supervision"."conflict_task" ("region_code", "status")`,
    );
    // What conflict detection needs, as the owning departments publish it (src/subgraphs/supervision/conflict-facts.ts).
    this.addSql(
      `create table "supervision"."child_fact" ("child_id" uuid not null, "region_code" varchar(12) collate "C" not null, "active" boolean not null, "away_without_entrusted" boolean not null, "schooling" varchar(16) null, "updated_at" timestamptz not null default now(), constraint "child_fact_pkey" primary key ("child_id"))`,
    );
    this.addSql(`create index "child_fact_region_code_idx" on "supervision"."child_fact" ("region_code")`);
    this.addSql(
      `create index "child_fact_away_idx" on "supervision"."child_fact" ("region_code") where "active" and "away_without_entrusted"`,
    );
    this.addSql(
      `create table "supervision"."custodian_fact" ("child_id" uuid not null, "id_hash" char(64) not null, "region_code" varchar(12) collate "C" not null, constraint "custodian_fact_pkey" primary key ("child_id", "id_hash"))`,
    );
    this.addSql(
      `create index "custodian_fact_id_hash_idx" on "supervision"."custodian_fact" ("id_hash", "region_code")`,
    );
    this.addSql(`create index "custodian_fact_region_code_idx" on "supervision"."custodian_fact" ("region_code")`);
    this.addSql(
      `create table "supervision"."enrolment_fact" ("child_id" uuid not null, "region_code" varchar(12) collate "C" not null, "status" varchar(16) not null, "updated_at" timestamptz not null default now(), constraint "enrolment_fact_pkey" primary key ("child_id"))`,
    );
    this.addSql(
      `create index "enrolment_fact_dropped_out_idx" on "supervision"."enrolment_fact" ("region_code") where "status" = 'DROPPED_OUT'`,
    );
    this.addSql(
      `create table "supervision"."household_fact" ("child_id" uuid not null, "region_code" varchar(12) collate "C" not null, "registered" boolean not null, "updated_at" timestamptz not null default now(), constraint "household_fact_pkey" primary key ("child_id"))`,
    );
    this.addSql(
      `create index "household_fact_unregistered_idx" on "supervision"."household_fact" ("region_code") where not "registered"`,
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
