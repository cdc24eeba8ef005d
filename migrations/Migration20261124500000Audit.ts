import { Migration } from '@mikro-orm/migrations';

/**
 * The audit log: append-only and hash-chained. Each row's `hash` is
 * sha256(previous row's hash || "\n" || payload), computed here in the database under a lock,
 * so rows chain in the order they commit whatever process wrote them. Updates, deletes and
 * truncation are refused for every role; only a superuser disabling the triggers could alter
 * a row, and `hub audit verify` then finds the broken link.
 */
export class Migration20261124500000Audit extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "audit"`);
    this.addSql(`create sequence "audit"."event_id_seq"`);
    this.addSql(
      `create table "audit"."event" (
        "id" bigint not null,
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
        constraint "event_pkey" primary key ("id"))`,
    );
    this.addSql(`create index "event_child_ids_idx" on "audit"."event" using gin ("child_ids")`);
    this.addSql(`create index "event_account_idx" on "audit"."event" ("account", "id")`);
    this.addSql(`create index "event_region_code_idx" on "audit"."event" ("region_code", "id")`);
    this.addSql(`create index "event_at_idx" on "audit"."event" ("at")`);
    this.addSql(
      `create function "audit"."chain"() returns trigger language plpgsql as $$
      declare
        previous char(64);
      begin
        -- One writer at a time until commit: the next row sees this one as its predecessor.
        perform pg_advisory_xact_lock(hashtext('audit.event'));
        select "hash" into previous from "audit"."event" order by "id" desc limit 1;
        new."id" := nextval('audit.event_id_seq');
        new."prev_hash" := coalesce(previous, repeat('0', 64));
        new."hash" := encode(sha256(convert_to(new."prev_hash" || E'\\n' || new."payload", 'UTF8')), 'hex');
        return new;
      end $$`,
    );
    this.addSql(
      `create function "audit"."refuse_change"() returns trigger language plpgsql as $$
      begin
        raise exception 'audit.event is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
      end $$`,
    );
    this.addSql(
      `create trigger "event_chain" before insert on "audit"."event" for each row execute function "audit"."chain"()`,
    );
    this.addSql(
      `create trigger "event_append_only" before update or delete on "audit"."event" for each row execute function "audit"."refuse_change"()`,
    );
    this.addSql(
      `create trigger "event_no_truncate" before truncate on "audit"."event" for each statement execute function "audit"."refuse_change"()`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop schema if exists "audit" cascade`);
  }
}
