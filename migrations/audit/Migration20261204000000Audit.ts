import { Migration } from '@mikro-orm/migrations';

/**
 * The audit service's copy of every subgraph's audit chain (`audit.event`), fed from their
 * `audit_event` feeds, and emergency-access grants. Each copied row keeps its source's id,
 * previous hash and hash, so the copy is checked link by link against its source (`hub audit
 * verify`); rows are never changed or removed, for any role.
 */
export class Migration20261204000000Audit extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "audit"."event" (
        "id" bigint generated always as identity,
        "source" varchar(32) not null,
        "source_id" bigint not null,
        "at" timestamptz not null,
        "kind" varchar(5) not null check ("kind" in ('READ', 'WRITE')),
        "account" varchar(255) not null,
        "dept" varchar(20) not null,
        "region_code" varchar(12) collate "C" not null,
        "purpose" varchar(32) null,
        "request_id" varchar(128) not null,
        "operation" varchar(255) null,
        "child_ids" uuid[] not null,
        "payload" text not null,
        "prev_hash" char(64) not null,
        "hash" char(64) not null,
        constraint "event_pkey" primary key ("id"),
        constraint "event_source_unique" unique ("source", "source_id"))`,
    );
    this.addSql(`create index "event_child_ids_idx" on "audit"."event" using gin ("child_ids")`);
    this.addSql(`create index "event_account_idx" on "audit"."event" ("account", "id")`);
    this.addSql(`create index "event_region_code_idx" on "audit"."event" ("region_code", "id")`);
    this.addSql(`create index "event_at_idx" on "audit"."event" ("at")`);
    this.addSql(
      `create function "audit"."refuse_event_change"() returns trigger language plpgsql as $$
      begin
        raise exception 'audit.event is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
      end $$`,
    );
    this.addSql(
      `create trigger "event_append_only" before update or delete on "audit"."event" for each row execute function "audit"."refuse_event_change"()`,
    );
    this.addSql(
      `create trigger "event_no_truncate" before truncate on "audit"."event" for each statement execute function "audit"."refuse_event_change"()`,
    );
    this.addSql(
      `create table "audit"."emergency_grant" (
        "id" uuid not null default gen_random_uuid(),
        "child_id" uuid not null,
        "region_code" varchar(12) collate "C" not null,
        "account" varchar(255) not null,
        "dept" varchar(20) not null,
        "account_region" varchar(12) not null,
        "reason" text not null,
        "granted_at" timestamptz not null,
        "expires_at" timestamptz not null,
        "reviewed_at" timestamptz null,
        "reviewer" varchar(255) null,
        "justified" boolean null,
        "review_note" text null,
        constraint "emergency_grant_pkey" primary key ("id"),
        constraint "emergency_grant_at_most_3_hours" check ("expires_at" <= "granted_at" + interval '3 hours'),
        constraint "emergency_grant_reviewed_by_another" check ("reviewer" is null or "reviewer" <> "account"))`,
    );
    this.addSql(
      `create index "emergency_grant_account_idx" on "audit"."emergency_grant" ("account", "child_id", "expires_at")`,
    );
    this.addSql(`create index "emergency_grant_region_code_idx" on "audit"."emergency_grant" ("region_code", "id")`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop schema if exists "audit" cascade`);
  }
}
