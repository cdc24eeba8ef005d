import { Migration } from '@mikro-orm/migrations';

/**
 * The enterprise schema as the hub's shared migrations of 2026-11-23 to 2026-11-26 left it, in
 * one step: from here on the enterprise subgraph migrates its own schema, as its own role.
 */
export class Migration20261204000000Enterprise extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "enterprise"."enterprise" ("credit_code" varchar(18) collate "C" not null, "name" varchar(200) not null, "region_code" varchar(12) collate "C" not null, "labour_intensive" boolean not null, "contact_name" varchar(100) not null, "contact_phone" varchar(20) not null, "created_at" timestamptz not null, constraint "enterprise_pkey" primary key ("credit_code"))`,
    );
    this.addSql(`create index "enterprise_region_code_idx" on "enterprise"."enterprise" ("region_code")`);
    this.addSql(
      `create table "enterprise"."worker" ("id" uuid not null default gen_random_uuid(), "enterprise_code" varchar(18) collate "C" not null, "region_code" varchar(12) collate "C" not null, "id_hash" varchar(64) not null, "id_masked" varchar(18) not null, "created_at" timestamptz not null, constraint "worker_pkey" primary key ("id"), constraint "worker_enterprise_code_fkey" foreign key ("enterprise_code") references "enterprise"."enterprise" ("credit_code"), constraint "worker_id_hash_enterprise_unique" unique ("id_hash", "enterprise_code"))`,
    );
    this.addSql(`create index "worker_region_code_idx" on "enterprise"."worker" ("region_code")`);
    this.addSql(
      `create table "enterprise"."worker_link" ("worker_id" uuid not null, "guardian_id" uuid not null, "child_id" uuid not null, "enterprise_code" varchar(18) collate "C" not null, "region_code" varchar(12) collate "C" not null, "created_at" timestamptz not null, constraint "worker_link_pkey" primary key ("worker_id", "guardian_id"), constraint "worker_link_worker_id_fkey" foreign key ("worker_id") references "enterprise"."worker" ("id") on delete cascade)`,
    );
    this.addSql(`create index "worker_link_region_code_idx" on "enterprise"."worker_link" ("region_code")`);
    this.addSql(`create index "worker_link_child_id_idx" on "enterprise"."worker_link" ("child_id")`);
    this.addSql(
      `create table "enterprise"."assistance_report" ("id" uuid not null default gen_random_uuid(), "enterprise_code" varchar(18) collate "C" not null, "region_code" varchar(12) collate "C" not null, "client_key" varchar(64) not null, "content_hash" varchar(64) not null, "kind" varchar(24) not null, "date" date not null, "worker_ids" uuid[] not null, "amount" numeric(12,2) null, "notes" varchar(500) null, "received_at" timestamptz not null, constraint "assistance_report_pkey" primary key ("id"), constraint "assistance_report_enterprise_code_fkey" foreign key ("enterprise_code") references "enterprise"."enterprise" ("credit_code"), constraint "assistance_report_client_key_unique" unique ("enterprise_code", "client_key"))`,
    );
    this.addSql(
      `create index "assistance_report_region_code_idx" on "enterprise"."assistance_report" ("region_code", "date")`,
    );
    this.addSql(
      `create index "assistance_report_enterprise_date_idx" on "enterprise"."assistance_report" ("enterprise_code", "date", "id")`,
    );
    this.addSql(
      `create index "assistance_report_worker_ids_idx" on "enterprise"."assistance_report" using gin ("worker_ids")`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop schema if exists "enterprise" cascade`);
  }
}
