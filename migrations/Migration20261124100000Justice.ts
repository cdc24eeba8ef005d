import { Migration } from '@mikro-orm/migrations';

/**
 * The justice schema: legal-aid cases, guardianship proceedings and guardian accountability
 * records, each scoped by its child's region, and the `open_case` view the permission layer
 * asks whether justice has an open case for a child (src/subgraphs/justice/case-directory.ts).
 * Children are linked by id only: no foreign key into the registry's schema.
 */
export class Migration20261124100000Justice extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "justice"`);
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
    // A court hears one petition of a kind for a child at a time; a second one is a CONFLICT.
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
    // What "justice has an open case for this child" means, in one place: a legal-aid case not
    // closed, or a proceeding the court has not decided and the petitioner not withdrawn.
    this.addSql(
      `create view "justice"."open_case" as
         select "id", "child_id", "region_code" from "justice"."legal_aid_case" where "status" <> 'CLOSED'
         union all
         select "id", "child_id", "region_code" from "justice"."guardianship_proceeding" where "status" in ('FILED', 'HEARING')`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop schema if exists "justice" cascade`);
  }
}
