import { Migration } from '@mikro-orm/migrations';

/**
 * Emergency access (break-the-glass): a time-limited grant of one child's elevated fields to
 * one account, scoped by the child's region so the owning civil-affairs unit sees and reviews it.
 */
export class Migration20261124520000EmergencyAccess extends Migration {
  override async up(): Promise<void> {
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
    this.addSql(`drop table if exists "audit"."emergency_grant"`);
  }
}
