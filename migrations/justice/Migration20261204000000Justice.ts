import { Migration } from '@mikro-orm/migrations';

/**
 * The justice schema as the hub's shared migrations of 2026-11-23 to 2026-11-26 left it, in
 * one step: from here on the justice subgraph migrates its own schema, as its own role.
 */
export class Migration20261204000000Justice extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "justice"."legal_aid_case" ("id" uuid not null default gen_random_uuid(), "child_id" uuid not null, "region_code" varchar(12) collate "C" not null, "case_type" varchar(16) not null, "provider" varchar(255) not null, "status" varchar(12) not null, "outcome" text null, "opened_at" timestamptz not null, "closed_at" timestamptz null, "version" int not null default 1, constraint "legal_aid_case_pkey" primary key ("id"), constraint "legal_aid_case_status_check" check ("status" in ('OPEN', 'IN_PROGRESS', 'CLOSED')), constraint "legal_aid_case_closed_check" check (("status" = 'CLOSED') = ("closed_at" is not null)))`,
    );
    this.addSql(`create index "legal_aid_case_child_id_idx" on "justice"."legal_aid_case" ("child_id")`);
    this.addSql(
      `create index "legal_aid_case_region_code_idx" on "justice"."legal_aid_case" ("region_code", "opened_at")`,
    );
    this.addSql(
      `create table "justice"."guardianship_proceeding" ("id" uuid not null default gen_random_uuid(), "child_id" uuid not null, "region_code" varchar(12) collate "C" not null, "kind" varchar(8) not null, "petitioner" varchar(255) not null, "court" varchar(255) not null, "status" varchar(10) not null, "filed_on" date not null, "decision_date" date null, "decision" text null, "version" int not null default 1, "updated_at" timestamptz not null, constraint "guardianship_proceeding_pkey" primary key ("id"), constraint "guardianship_proceeding_status_check" check ("status" in ('FILED', 'HEARING', 'DECIDED', 'WITHDRAWN')), constraint "guardianship_proceeding_decided_check" check (("status" = 'DECIDED') <= ("decision_date" is not null and "decision" is not null)))`,
    );
    this.addSql(
      `create index "guardianship_proceeding_child_id_idx" on "justice"."guardianship_proceeding" ("child_id")`,
    );
    this.addSql(
      `create index "guardianship_proceeding_region_code_idx" on "justice"."guardianship_proceeding" ("region_code", "filed_on")`,
    );
    this.addSql(
      `create unique index "guardianship_proceeding_pending_unique" on "justice"."guardianship_proceeding" ("child_id", "kind") where "status" in ('FILED', 'HEARING')`,
    );
    this.addSql(
      `create table "justice"."accountability_record" ("id" uuid not null default gen_random_uuid(), "child_id" uuid not null, "region_code" varchar(12) collate "C" not null, "guardian_id" uuid not null, "measure" varchar(16) not null, "issuing_department" varchar(16) not null, "issued_on" date not null, "notes" text null, "recorded_at" timestamptz not null, constraint "accountability_record_pkey" primary key ("id"))`,
    );
    this.addSql(`create index "accountability_record_child_id_idx" on "justice"."accountability_record" ("child_id")`);
    this.addSql(
      `create index "accountability_record_region_code_idx" on "justice"."accountability_record" ("region_code")`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop schema if exists "justice" cascade`);
  }
}
