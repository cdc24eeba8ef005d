import { Migration } from '@mikro-orm/migrations';

/**
 * The casework schema as the hub's shared migrations of 2026-11-23 to 2026-11-26 left it, in
 * one step: from here on the casework subgraph migrates its own schema, as its own role.
 */
export class Migration20261204000000Casework extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create sequence "casework"."receipt_seq"`);
    this.addSql(
      `create table "casework"."protection_case" (
        "id" uuid not null default gen_random_uuid(),
        "receipt_number" varchar(24) not null,
        "child_id" uuid null,
        "child_name" varchar(50) null,
        "approximate_age" smallint null,
        "region_code" varchar(12) collate "C" not null,
        "address" varchar(200) not null,
        "concern_type" varchar(20) not null,
        "urgency" varchar(20) not null,
        "reporting_unit" varchar(100) not null,
        "reporter_contact" varchar(50) not null,
        "reporter_account" varchar(255) not null,
        "reporter_dept" varchar(20) not null,
        "narrative" text not null,
        "status" varchar(20) not null,
        "received_at" timestamptz not null,
        "updated_at" timestamptz not null,
        "accepted_at" timestamptz null,
        "dispatched_at" timestamptz null,
        "child_safe_at" timestamptz null,
        "handed_over_at" timestamptz null,
        "closed_at" timestamptz null,
        "placement_kind" varchar(30) null,
        "placement_address" varchar(200) null,
        "placement_since" timestamptz null,
        "risk_level" varchar(6) null,
        "outcome" text null,
        "objection" text null,
        "version" int not null default 1,
        constraint "protection_case_pkey" primary key ("id"),
        constraint "protection_case_receipt_unique" unique ("receipt_number"))`,
    );
    this.addSql(
      `create index "protection_case_region_code_idx" on "casework"."protection_case" ("region_code", "received_at")`,
    );
    this.addSql(`create index "protection_case_child_id_idx" on "casework"."protection_case" ("child_id")`);
    this.addSql(
      `create index "protection_case_reporter_idx" on "casework"."protection_case" ("reporter_account", "receipt_number")`,
    );
    this.addSql(
      `create table "casework"."case_event" (
        "id" uuid not null default gen_random_uuid(),
        "case_id" uuid not null references "casework"."protection_case" ("id") deferrable initially deferred,
        "region_code" varchar(12) collate "C" not null,
        "at" timestamptz not null,
        "kind" varchar(30) not null,
        "actor_dept" varchar(20) not null,
        "actor_account" varchar(255) not null,
        "detail" varchar(500) null,
        constraint "case_event_pkey" primary key ("id"))`,
    );
    this.addSql(`create index "case_event_case_idx" on "casework"."case_event" ("case_id", "at")`);
    this.addSql(`create index "case_event_region_code_idx" on "casework"."case_event" ("region_code")`);
    this.addSql(
      `create table "casework"."assessment" (
        "id" uuid not null default gen_random_uuid(),
        "case_id" uuid not null references "casework"."protection_case" ("id") deferrable initially deferred,
        "region_code" varchar(12) collate "C" not null,
        "domains" jsonb not null,
        "overall_risk" varchar(6) not null,
        "care_plan" text not null,
        "assessed_at" timestamptz not null,
        "assessor" varchar(100) not null,
        constraint "assessment_pkey" primary key ("id"),
        constraint "assessment_case_unique" unique ("case_id"))`,
    );
    this.addSql(`create index "assessment_region_code_idx" on "casework"."assessment" ("region_code")`);
    this.addSql(
      `create table "casework"."referral" (
        "id" uuid not null default gen_random_uuid(),
        "case_id" uuid not null references "casework"."protection_case" ("id") deferrable initially deferred,
        "region_code" varchar(12) collate "C" not null,
        "service" varchar(30) not null,
        "to_department" varchar(20) not null,
        "note" varchar(500) null,
        "status" varchar(12) not null,
        "decline_reason" varchar(500) null,
        "outcome" text null,
        "sent_at" timestamptz not null,
        "answered_at" timestamptz null,
        "completed_at" timestamptz null,
        "version" int not null default 1,
        constraint "referral_pkey" primary key ("id"))`,
    );
    this.addSql(`create index "referral_case_idx" on "casework"."referral" ("case_id")`);
    this.addSql(
      `create index "referral_region_code_idx" on "casework"."referral" ("region_code", "to_department", "status")`,
    );
    this.addSql(
      `create table "casework"."visit" (
        "id" uuid not null default gen_random_uuid(),
        "case_id" uuid not null references "casework"."protection_case" ("id") deferrable initially deferred,
        "region_code" varchar(12) collate "C" not null,
        "visited_at" timestamptz not null,
        "visitor" varchar(50) not null,
        "findings" text not null,
        constraint "visit_pkey" primary key ("id"))`,
    );
    this.addSql(`create index "visit_case_idx" on "casework"."visit" ("case_id", "visited_at")`);
    this.addSql(`create index "visit_region_code_idx" on "casework"."visit" ("region_code")`);
    this.addSql(
      `create table "casework"."task" (
        "id" uuid not null default gen_random_uuid(),
        "case_id" uuid not null references "casework"."protection_case" ("id") deferrable initially deferred,
        "referral_id" uuid null references "casework"."referral" ("id") deferrable initially deferred,
        "region_code" varchar(12) collate "C" not null,
        "step" varchar(20) not null,
        "department" varchar(20) not null,
        "started_at" timestamptz not null,
        "due_at" timestamptz not null,
        "escalate_seconds" int not null,
        "done_at" timestamptz null,
        "escalation_level" smallint not null default 0,
        constraint "task_pkey" primary key ("id"))`,
    );
    this.addSql(`create index "task_case_idx" on "casework"."task" ("case_id")`);
    this.addSql(`create index "task_open_idx" on "casework"."task" ("region_code", "due_at") where "done_at" is null`);
    this.addSql(`create index "task_open_due_idx" on "casework"."task" ("due_at") where "done_at" is null`);
    this.addSql(
      `create table "casework"."deadline_policy" (
        "region_prefix" varchar(12) collate "C" not null,
        "step" varchar(20) not null,
        "variant" varchar(20) not null,
        "within" interval not null,
        "working_days" boolean not null default false,
        "escalate_every" interval not null,
        "updated_at" timestamptz not null default now(),
        constraint "deadline_policy_pkey" primary key ("region_prefix", "step", "variant"),
        constraint "deadline_policy_working_days" check (not "working_days" or extract(epoch from "within") % 86400 = 0))`,
    );
    this.addSql(
      `insert into "casework"."deadline_policy" ("region_prefix", "step", "variant", "within", "working_days", "escalate_every") values
        ('', 'ACCEPT', '', '1 hour', false, '1 hour'),
        ('', 'ACCEPT', 'IMMEDIATE_DANGER', '15 minutes', false, '15 minutes'),
        ('', 'DISPATCH', '', '24 hours', false, '12 hours'),
        ('', 'DISPATCH', 'URGENT', '2 hours', false, '1 hour'),
        ('', 'DISPATCH', 'IMMEDIATE_DANGER', '10 minutes', false, '10 minutes'),
        ('', 'SECURE', '', '72 hours', false, '24 hours'),
        ('', 'SECURE', 'IMMEDIATE_DANGER', '6 hours', false, '2 hours'),
        ('', 'HAND_OVER', '', '24 hours', false, '12 hours'),
        ('', 'ASSESS', '', '7 days', false, '2 days'),
        ('', 'ASSESS', 'HIGH', '24 hours', false, '12 hours'),
        ('', 'ANSWER_REFERRAL', '', '3 days', true, '1 day'),
        ('', 'ANSWER_REFERRAL', 'HIGH', '1 day', true, '12 hours'),
        ('', 'VISIT', '', '90 days', false, '7 days'),
        ('', 'VISIT', 'HIGH', '30 days', false, '3 days'),
        ('', 'REVIEW', '', '180 days', false, '14 days'),
        ('', 'REVIEW', 'HIGH', '90 days', false, '7 days')`,
    );
    this.addSql(
      `create table "casework"."outbox_event" (
        "id" uuid not null default gen_random_uuid(),
        "seq" bigserial not null,
        "kind" varchar(40) not null,
        "case_id" uuid not null,
        "subject_id" uuid null,
        "department" varchar(20) not null,
        "region_code" varchar(12) collate "C" not null,
        "occurred_at" timestamptz not null,
        "relayed_at" timestamptz null,
        constraint "outbox_event_pkey" primary key ("id"),
        constraint "outbox_event_seq_unique" unique ("seq"))`,
    );
    this.addSql(
      `create index "outbox_event_inbox_idx" on "casework"."outbox_event" ("department", "region_code", "seq")`,
    );
    this.addSql(
      `create index "outbox_event_unrelayed_idx" on "casework"."outbox_event" ("seq") where "relayed_at" is null`,
    );
    this.addSql(
      `create table "casework"."notification_read" (
        "event_id" uuid not null references "casework"."outbox_event" ("id"),
        "account" varchar(255) not null,
        "read_at" timestamptz not null,
        constraint "notification_read_pkey" primary key ("account", "event_id"))`,
    );
    this.addSql(
      `create table "casework"."webhook" (
        "id" uuid not null default gen_random_uuid(),
        "account" varchar(255) not null,
        "department" varchar(20) not null,
        "region_code" varchar(12) collate "C" not null,
        "url" varchar(2000) not null,
        "event_kinds" text[] not null,
        "secret" varchar(200) not null,
        "created_at" timestamptz not null,
        "active" boolean not null default true,
        constraint "webhook_pkey" primary key ("id"))`,
    );
    this.addSql(`create index "webhook_department_idx" on "casework"."webhook" ("department", "region_code")`);
    this.addSql(
      `create table "casework"."webhook_delivery" (
        "id" bigserial not null,
        "webhook_id" uuid not null references "casework"."webhook" ("id"),
        "event_id" uuid not null references "casework"."outbox_event" ("id"),
        "attempt" int not null,
        "at" timestamptz not null,
        "status_code" int null,
        "error" varchar(300) null,
        "delivered" boolean not null,
        constraint "webhook_delivery_pkey" primary key ("id"))`,
    );
    this.addSql(
      `create index "webhook_delivery_webhook_idx" on "casework"."webhook_delivery" ("webhook_id", "event_id", "attempt")`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop schema if exists "casework" cascade`);
  }
}
