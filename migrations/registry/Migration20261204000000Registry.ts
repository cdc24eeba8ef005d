import { Migration } from '@mikro-orm/migrations';

/**
 * The registry schema as the hub's shared migrations of 2026-11-23 to 2026-11-26 left it, in
 * one step: from here on the registry subgraph migrates its own schema, as its own role.
 */
export class Migration20261204000000Registry extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "registry"."child" ("id" uuid not null default gen_random_uuid(), "name" varchar(255) not null, "gender" varchar(6) not null, "birth_date" date not null, "id_number" varchar(18) not null, "categories" text[] not null, "household_region_code" varchar(12) not null, "region_code" varchar(12) not null, "status" varchar(10) not null default 'ACTIVE', "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "child_pkey" primary key ("id"))`,
    );
    this.addSql(`alter table "registry"."child" add constraint "child_id_number_unique" unique ("id_number")`);
    this.addSql(`create index "child_region_code_idx" on "registry"."child" ("region_code" text_pattern_ops)`);
    this.addSql(
      `create table "registry"."guardian" ("id" uuid not null default gen_random_uuid(), "child_id" uuid not null, "region_code" varchar(12) not null, "relation" varchar(20) not null, "name" varchar(255) not null, "id_number" varchar(18) null, "phone" varchar(20) null, "custodian" boolean not null default false, "working_away" boolean not null default false, "work_region_code" varchar(12) null, "away_since" date null, "employer" varchar(255) null, "created_at" timestamptz not null, constraint "guardian_pkey" primary key ("id"))`,
    );
    this.addSql(`create index "guardian_child_id_idx" on "registry"."guardian" ("child_id")`);
    this.addSql(`create index "guardian_id_number_idx" on "registry"."guardian" ("id_number")`);
    this.addSql(`create index "guardian_region_code_idx" on "registry"."guardian" ("region_code" text_pattern_ops)`);
    this.addSql(
      `create table "registry"."guardianship" ("child_id" uuid not null, "region_code" varchar(12) not null, "kind" varchar(24) not null, "since" date not null, "entrusted_guardian_id" uuid null, "agreement_date" date null, "contact_obligations" text null, "agency" varchar(255) null, "updated_at" timestamptz not null, constraint "guardianship_pkey" primary key ("child_id"))`,
    );
    this.addSql(
      `create index "guardianship_region_code_idx" on "registry"."guardianship" ("region_code" text_pattern_ops)`,
    );
    this.addSql(
      `alter table "registry"."guardian" add constraint "guardian_child_id_fkey" foreign key ("child_id") references "registry"."child" ("id") on delete cascade`,
    );
    this.addSql(
      `alter table "registry"."guardianship" add constraint "guardianship_child_id_fkey" foreign key ("child_id") references "registry"."child" ("id") on delete cascade`,
    );
    this.addSql(
      `alter table "registry"."guardianship" add constraint "guardianship_entrusted_guardian_id_fkey" foreign key ("entrusted_guardian_id") references "registry"."guardian" ("id")`,
    );
    this.addSql(`drop index "registry"."child_region_code_idx"`);
    this.addSql(`alter table "registry"."child" alter column "region_code" type varchar(12) collate "C"`);
    this.addSql(`create index "child_region_code_idx" on "registry"."child" ("region_code", "id")`);
    this.addSql(`drop index "registry"."guardian_region_code_idx"`);
    this.addSql(`alter table "registry"."guardian" alter column "region_code" type varchar(12) collate "C"`);
    this.addSql(`create index "guardian_region_code_idx" on "registry"."guardian" ("region_code")`);
    this.addSql(`drop index "registry"."guardianship_region_code_idx"`);
    this.addSql(`alter table "registry"."guardianship" alter column "region_code" type varchar(12) collate "C"`);
    this.addSql(`create index "guardianship_region_code_idx" on "registry"."guardianship" ("region_code")`);
    this.addSql(
      `alter table "registry"."guardianship" add column "inadequate" boolean not null default false, add column "inadequate_reason" text null, add column "flagged_at" timestamptz null`,
    );
    this.addSql(
      `create index "guardianship_inadequate_idx" on "registry"."guardianship" ("region_code", "child_id") where "inadequate"`,
    );
    this.addSql(`alter table "registry"."child" add column "care_needs" text[] not null default '{}'`);
    this.addSql(`create index "child_name_trgm_idx" on "registry"."child" using gin ("name" gin_trgm_ops)`);
    this.addSql(`create index "child_id_number_prefix_idx" on "registry"."child" ("id_number" varchar_pattern_ops)`);
    this.addSql(
      `create table "registry"."child_revision" (like "registry"."child", "valid_from" timestamptz not null, "valid_to" timestamptz not null, constraint "child_revision_pkey" primary key ("id", "valid_to"))`,
    );
    this.addSql(`create index "child_revision_region_code_idx" on "registry"."child_revision" ("region_code")`);
    this.addSql(
      `create table "registry"."guardianship_revision" (like "registry"."guardianship", "valid_from" timestamptz not null, "valid_to" timestamptz not null, constraint "guardianship_revision_pkey" primary key ("child_id", "valid_to"))`,
    );
    this.addSql(
      `create index "guardianship_revision_region_code_idx" on "registry"."guardianship_revision" ("region_code")`,
    );
    this.addSql(
      `create function "registry"."keep_child_revision"() returns trigger language plpgsql as $$
        begin
          insert into "registry"."child_revision"
          select (jsonb_populate_record(null::"registry"."child_revision", to_jsonb(old) || jsonb_build_object(
            'valid_from', old."updated_at",
            'valid_to', case when tg_op = 'UPDATE' then new."updated_at" else now() end))).*
          on conflict do nothing;
          return null;
        end $$`,
    );
    this.addSql(
      `create trigger "child_revision" after update or delete on "registry"."child" for each row execute function "registry"."keep_child_revision"()`,
    );
    this.addSql(
      `create function "registry"."keep_guardianship_revision"() returns trigger language plpgsql as $$
        begin
          insert into "registry"."guardianship_revision"
          select (jsonb_populate_record(null::"registry"."guardianship_revision", to_jsonb(old) || jsonb_build_object(
            'valid_from', old."updated_at",
            'valid_to', case when tg_op = 'UPDATE' then new."updated_at" else now() end))).*
          on conflict do nothing;
          return null;
        end $$`,
    );
    this.addSql(
      `create trigger "guardianship_revision" after update or delete on "registry"."guardianship" for each row execute function "registry"."keep_guardianship_revision"()`,
    );
    // The census ledger: imports, what each changed, the ledger's own schooling facts.
    this.addSql(
      `create table "registry"."census_import" ("id" uuid not null default gen_random_uuid(), "region_code" varchar(12) collate "C" not null, "account" varchar(200) not null, "dept" varchar(24) not null, "file_name" varchar(255) not null, "file_hash" varchar(64) null, "status" varchar(12) not null, "rows_total" int not null default 0, "rows_done" int not null default 0, "created" int not null default 0, "updated" int not null default 0, "unchanged" int not null default 0, "row_errors" jsonb not null default '[]', "message" text null, "started_at" timestamptz not null, "finished_at" timestamptz null, constraint "census_import_pkey" primary key ("id"))`,
    );
    this.addSql(
      `create index "census_import_region_code_idx" on "registry"."census_import" ("region_code", "started_at")`,
    );
    this.addSql(
      `create table "registry"."census_change" ("import_id" uuid not null, "child_id" uuid not null, "region_code" varchar(12) collate "C" not null, "op" varchar(8) not null, "fields" text[] not null, constraint "census_change_pkey" primary key ("import_id", "child_id"), constraint "census_change_import_id_fkey" foreign key ("import_id") references "registry"."census_import" ("id") on delete cascade)`,
    );
    this.addSql(`create index "census_change_child_id_idx" on "registry"."census_change" ("child_id")`);
    this.addSql(
      `create table "registry"."ledger_entry" ("child_id" uuid not null, "region_code" varchar(12) collate "C" not null, "schooling" varchar(16) not null, "school_name" varchar(200) null, "import_id" uuid not null, "updated_at" timestamptz not null default now(), constraint "ledger_entry_pkey" primary key ("child_id"), constraint "ledger_entry_child_id_fkey" foreign key ("child_id") references "registry"."child" ("id") on delete cascade)`,
    );
    this.addSql(`create index "ledger_entry_region_code_idx" on "registry"."ledger_entry" ("region_code")`);
    // Census files waiting for their import, in the database every replica shares, one chunk a row.
    this.addSql(
      `create table "registry"."census_upload" ("id" uuid not null, "account" varchar(255) not null, "dept" varchar(24) not null, "format" varchar(4) not null, "file_name" varchar(255) not null, "bytes" bigint not null, "created_at" timestamptz not null default now(), constraint "census_upload_pkey" primary key ("id"))`,
    );
    this.addSql(`create index "census_upload_created_at_idx" on "registry"."census_upload" ("created_at")`);
    this.addSql(
      `create table "registry"."census_upload_chunk" ("upload_id" uuid not null, "seq" int not null, "data" bytea not null, constraint "census_upload_chunk_pkey" primary key ("upload_id", "seq"), constraint "census_upload_chunk_upload_id_fkey" foreign key ("upload_id") references "registry"."census_upload" ("id") on delete cascade)`,
    );
    // Facts other departments publish that widen what they see of a child (src/policy/conditions.ts).
    this.addSql(
      `create table "registry"."justice_case" ("case_id" uuid not null, "child_id" uuid not null, constraint "justice_case_pkey" primary key ("case_id"))`,
    );
    this.addSql(`create index "justice_case_child_id_idx" on "registry"."justice_case" ("child_id")`);
    this.addSql(
      `create table "registry"."emergency_grant" ("id" uuid not null, "child_id" uuid not null, "account" varchar(255) not null, "expires_at" timestamptz not null, constraint "emergency_grant_pkey" primary key ("id"))`,
    );
    this.addSql(
      `create index "emergency_grant_account_idx" on "registry"."emergency_grant" ("account", "child_id", "expires_at")`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop schema if exists "registry" cascade`);
  }
}
