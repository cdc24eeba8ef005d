import { Migration } from '@mikro-orm/migrations';

/**
 * Schools, enrolment history, absences and dropout alerts. Enrolments recorded before schools
 * existed named a school and its region: each such school is registered here with a provisional
 * code (9 followed by a sequence; national codes begin otherwise) and the narrowest kind that
 * teaches every grade recorded at it, and the enrolments point to it.
 */
export class Migration20261124000000Education extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "education"."school" ("code" varchar(10) not null, "name" varchar(255) not null, "kind" varchar(24) not null, "region_code" varchar(12) collate "C" not null, "boarding" boolean not null default false, constraint "school_pkey" primary key ("code"))`,
    );
    this.addSql(`create index "school_region_code_idx" on "education"."school" ("region_code")`);
    this.addSql(
      `insert into "education"."school" ("code", "name", "kind", "region_code")
       select '9' || lpad((row_number() over (order by "school_region_code", "school_name"))::text, 9, '0'),
              "school_name",
              case
                when max("grade") = 0 then 'KINDERGARTEN'
                when min("grade") >= 1 and max("grade") <= 6 then 'PRIMARY'
                when min("grade") >= 7 and max("grade") <= 9 then 'JUNIOR_SECONDARY'
                when min("grade") >= 10 then 'SENIOR_SECONDARY'
                when min("grade") >= 1 and max("grade") <= 9 then 'NINE_YEAR'
                when min("grade") >= 7 then 'COMPLETE_SECONDARY'
                when min("grade") >= 1 then 'TWELVE_YEAR'
                else 'SPECIAL_EDUCATION'
              end,
              "school_region_code"
         from "education"."enrolment"
        group by "school_region_code", "school_name"`,
    );
    this.addSql(
      `alter table "education"."enrolment" add column "school_code" varchar(10) null, add column "boarding" boolean not null default false, add column "since" date null`,
    );
    this.addSql(
      `update "education"."enrolment" e set "school_code" = s."code", "since" = e."updated_at"::date
         from "education"."school" s where s."name" = e."school_name" and s."region_code" = e."school_region_code"`,
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
    // One open alert per child; the database holds to it when two requests raise one at once.
    this.addSql(
      `create unique index "dropout_alert_open_unique" on "education"."dropout_alert" ("child_id") where "status" = 'OPEN'`,
    );
  }

  override async down(): Promise<void> {
    for (const table of ['dropout_alert', 'absence', 'enrolment_history']) {
      this.addSql(`drop table "education"."${table}"`);
    }
    this.addSql(
      `alter table "education"."enrolment" add column "school_name" varchar(255) null, add column "school_region_code" varchar(12) null`,
    );
    this.addSql(
      `update "education"."enrolment" e set "school_name" = s."name", "school_region_code" = s."region_code"
         from "education"."school" s where s."code" = e."school_code"`,
    );
    this.addSql(
      `alter table "education"."enrolment" alter column "school_name" set not null, alter column "school_region_code" set not null, drop column "school_code", drop column "boarding", drop column "since"`,
    );
    this.addSql(`drop table "education"."school"`);
  }
}
