import { Migration } from '@mikro-orm/migrations';

/**
 * The education schema as the hub's shared migrations of 2026-11-23 to 2026-11-26 left it, in
 * one step: from here on the education subgraph migrates its own schema, as its own role.
 */
export class Migration20261204000000Education extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "education"."enrolment" ("child_id" uuid not null, "region_code" varchar(12) not null, "school_name" varchar(255) not null, "school_region_code" varchar(12) not null, "grade" smallint not null, "status" varchar(12) not null, "updated_at" timestamptz not null, constraint "enrolment_pkey" primary key ("child_id"))`,
    );
    this.addSql(`create index "enrolment_region_code_idx" on "education"."enrolment" ("region_code" text_pattern_ops)`);
    this.addSql(`drop index "education"."enrolment_region_code_idx"`);
    this.addSql(`alter table "education"."enrolment" alter column "region_code" type varchar(12) collate "C"`);
    this.addSql(`create index "enrolment_region_code_idx" on "education"."enrolment" ("region_code")`);
    this.addSql(
      `create table "education"."school" ("code" varchar(10) not null, "name" varchar(255) not null, "kind" varchar(24) not null, "region_code" varchar(12) collate "C" not null, "boarding" boolean not null default false, constraint "school_pkey" primary key ("code"))`,
    );
    this.addSql(`create index "school_region_code_idx" on "education"."school" ("region_code")`);
    this.addSql(
      `alter table "education"."enrolment" add column "school_code" varchar(10) null, add column "boarding" boolean not null default false, add column "since" date null`,
    );
    this.addSql(
      `alter table "education"."enrolment" alter column "school_code" set not null, alter column "since" set not null, alter column "boarding" drop default, drop column "school_name", drop column "school_region_code"`,
    );
    this.addSql(
      `alter table "education"."enrolment" add constraint "enrolment_school_code_fkey" foreign key ("school_code") references "education"."school" ("code")`,
    );
    this.addSql(
      `create table "education"."enrolment_history" ("id" uuid not null default gen_random_uuid(), "child_id" uuid not null, "region_code" varchar(12) collate "C" not null, "school_code" varchar(10) not null, "grade" smallint not null, "status" varchar(12) not null, "boarding" boolean not null, "since" date not null, "until" date not null, "recorded_at" timestamptz not null, constraint "enrolment_history_pkey" primary key ("id"), constraint "enrolment_history_school_code_fkey" foreign key ("school_code") references "education"."school" ("code"))`,
    );
    this.addSql(`create index "enrolment_history_child_id_idx" on "education"."enrolment_history" ("child_id")`);
    this.addSql(`create index "enrolment_history_region_code_idx" on "education"."enrolment_history" ("region_code")`);
    this.addSql(
      `create table "education"."absence" ("id" uuid not null default gen_random_uuid(), "child_id" uuid not null, "region_code" varchar(12) collate "C" not null, "school_code" varchar(10) not null, "date" date not null, "explained" boolean not null, "reason" varchar(255) null, "recorded_at" timestamptz not null, constraint "absence_pkey" primary key ("id"), constraint "absence_school_code_fkey" foreign key ("school_code") references "education"."school" ("code"))`,
    );
    this.addSql(
      `alter table "education"."absence" add constraint "absence_child_id_date_unique" unique ("child_id", "date")`,
    );
    this.addSql(`create index "absence_region_code_idx" on "education"."absence" ("region_code")`);
    this.addSql(
      `create table "education"."dropout_alert" ("id" uuid not null default gen_random_uuid(), "child_id" uuid not null, "region_code" varchar(12) collate "C" not null, "reason" varchar(12) not null, "school_code" varchar(10) null, "raised_at" timestamptz not null, "status" varchar(10) not null, "resolution" text null, "resolved_at" timestamptz null, constraint "dropout_alert_pkey" primary key ("id"), constraint "dropout_alert_school_code_fkey" foreign key ("school_code") references "education"."school" ("code"))`,
    );
    this.addSql(`create index "dropout_alert_region_code_idx" on "education"."dropout_alert" ("region_code", "id")`);
    this.addSql(
      `create unique index "dropout_alert_open_unique" on "education"."dropout_alert" ("child_id") where "status" = 'OPEN'`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop schema if exists "education" cascade`);
  }
}
