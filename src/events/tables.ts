import type { MigrationObject } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';

/**
 * The tables every subgraph keeps in its own schema so that others can follow it without
 * reading its data: its audit chain, its outbox of published events, and where it stands in the
 * feeds it follows. Each feed is read in id order, so ids are handed out under a lock held until
 * commit: a row becomes visible only after every row with a smaller id.
 */
export function feedTablesSql(schema: string): string[] {
  const s = `"${schema}"`;
  const nextId = (table: string) => `
      begin
        -- One writer at a time until commit: readers of the feed never see a gap close behind them.
        perform pg_advisory_xact_lock(hashtext('${schema}.${table}'));
        new."id" := nextval('${schema}.${table}_id_seq');`;
  return [
    `create sequence ${s}."audit_event_id_seq"`,
    `create table ${s}."audit_event" (
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
        constraint "audit_event_pkey" primary key ("id"))`,
    // hash = sha256(previous hash || "\n" || payload), computed here so that rows chain in the
    // order they commit, whatever process wrote them.
    `create function ${s}."chain_audit_event"() returns trigger language plpgsql as $$
      declare
        previous char(64);${nextId('audit_event')}
        select "hash" into previous from ${s}."audit_event" order by "id" desc limit 1;
        new."prev_hash" := coalesce(previous, repeat('0', 64));
        new."hash" := encode(sha256(convert_to(new."prev_hash" || E'\\n' || new."payload", 'UTF8')), 'hex');
        return new;
      end $$`,
    `create function ${s}."refuse_change"() returns trigger language plpgsql as $$
      begin
        raise exception '%.% is append-only: % refused', tg_table_schema, tg_table_name, tg_op
          using errcode = 'insufficient_privilege';
      end $$`,
    `create trigger "audit_event_chain" before insert on ${s}."audit_event" for each row execute function ${s}."chain_audit_event"()`,
    `create trigger "audit_event_append_only" before update or delete on ${s}."audit_event" for each row execute function ${s}."refuse_change"()`,
    `create trigger "audit_event_no_truncate" before truncate on ${s}."audit_event" for each statement execute function ${s}."refuse_change"()`,
    `create sequence ${s}."outbox_id_seq"`,
    `create table ${s}."outbox" (
        "id" bigint not null,
        "at" timestamptz not null default now(),
        "kind" varchar(64) not null,
        "payload" jsonb not null,
        constraint "outbox_pkey" primary key ("id"))`,
    `create function ${s}."number_outbox"() returns trigger language plpgsql as $$${nextId('outbox')}
        return new;
      end $$`,
    `create trigger "outbox_number" before insert on ${s}."outbox" for each row execute function ${s}."number_outbox"()`,
    `create table ${s}."inbox_cursor" (
        "source" varchar(64) not null,
        "position" bigint not null,
        constraint "inbox_cursor_pkey" primary key ("source"))`,
  ];
}

/** The migration that adds the feed tables to a subgraph's schema. */
export function feedsMigration(schema: string): MigrationObject {
  class Migration20261204000100Feeds extends Migration {
    override async up(): Promise<void> {
      for (const sql of feedTablesSql(schema)) this.addSql(sql);
    }

    override async down(): Promise<void> {
      for (const table of ['inbox_cursor', 'outbox', 'audit_event']) this.addSql(`drop table "${schema}"."${table}"`);
      this.addSql(
        `drop function "${schema}"."number_outbox"(), "${schema}"."chain_audit_event"(), "${schema}"."refuse_change"()`,
      );
      for (const seq of ['outbox_id_seq', 'audit_event_id_seq']) this.addSql(`drop sequence "${schema}"."${seq}"`);
    }
  }
  return { name: 'Migration20261204000100Feeds', class: Migration20261204000100Feeds };
}

/**
 * Who follows each feed: the replicas of a subgraph (several processes over its database) each
 * run its relays, and the one holding a feed's lease follows it while the others stand by
 * (src/events/relay.ts). Without it each replica would read and apply every row.
 */
export function feedLeaseMigration(schema: string): MigrationObject {
  class Migration20261211000000FeedLease extends Migration {
    override async up(): Promise<void> {
      this.addSql(
        `alter table "${schema}"."inbox_cursor" add column "holder" varchar(64) null, add column "held_until" timestamptz null`,
      );
    }

    override async down(): Promise<void> {
      this.addSql(`alter table "${schema}"."inbox_cursor" drop column "holder", drop column "held_until"`);
    }
  }
  return { name: 'Migration20261211000000FeedLease', class: Migration20261211000000FeedLease };
}
