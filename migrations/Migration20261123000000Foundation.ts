import { Migration } from '@mikro-orm/migrations';

/** The registry, education and public-security schemas, and the region reference table. */
export class Migration20261123000000Foundation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "registry"`);
    this.addSql(`create schema if not exists "education"`);
    this.addSql(`create schema if not exists "security"`);
    this.addSql(`create schema if not exists "reference"`);
    this.addSql(
      `create table "registry"."child" ("id" uuid not null default gen_random_uuid(), "name" varchar(255) not null, "gender" varchar(6) not null, "birth_date" date not null, "id_number" varchar(18) not null, "categories" text[] not null, "household_region_code" varchar(12) not null, "region_code" varchar(12) not null, "status" varchar(10) not null default 'ACTIVE', "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "child_pkey" primary key ("id"))`,
    );
    this.addSql(`alter table "registry"."child" add constraint "child_id_number_unique" unique ("id_number")`);
    this.addSql(`create index "child_region_code_idx" on "registry"."child" ("region_code" text_pattern_ops)`);
    this.addSql(
      `create table "education"."enrolment" ("child_id" uuid not null, "region_code" varchar(12) not null, "school_name" varchar(255) not null, "school_region_code" varchar(12) not null, "grade" smallint not null, "status" varchar(12) not null, "updated_at" timestamptz not null, constraint "enrolment_pkey" primary key ("child_id"))`,
    );
    this.addSql(`create index "enrolment_region_code_idx" on "education"."enrolment" ("region_code" text_pattern_ops)`);
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
      `create table "security"."household_registration" ("child_id" uuid not null, "region_code" varchar(12) not null, "registered" boolean not null, "hukou_number" varchar(32) null, "police_station" varchar(255) null, "updated_at" timestamptz not null, constraint "household_registration_pkey" primary key ("child_id"))`,
    );
    this.addSql(
      `create index "household_registration_region_code_idx" on "security"."household_registration" ("region_code" text_pattern_ops)`,
    );
    this.addSql(
      `create table "reference"."region" ("code" varchar(12) not null, "name" varchar(255) not null, "level" varchar(8) not null, "parent_code" varchar(12) null, constraint "region_pkey" primary key ("code"))`,
    );
    this.addSql(`create index "region_parent_code_idx" on "reference"."region" ("parent_code")`);
    this.addSql(
      `create table "security"."report" ("id" uuid not null default gen_random_uuid(), "child_id" uuid null, "region_code" varchar(12) not null, "concern_type" varchar(20) not null, "urgency" varchar(20) not null, "status" varchar(20) not null, "received_at" timestamptz not null, constraint "report_pkey" primary key ("id"))`,
    );
    this.addSql(`create index "report_child_id_idx" on "security"."report" ("child_id")`);
    this.addSql(`create index "report_region_code_idx" on "security"."report" ("region_code" text_pattern_ops)`);
    this.addSql(
      `alter table "registry"."guardian" add constraint "guardian_child_id_fkey" foreign key ("child_id") references "registry"."child" ("id") on delete cascade`,
    );
    this.addSql(
      `alter table "registry"."guardianship" add constraint "guardianship_child_id_fkey" foreign key ("child_id") references "registry"."child" ("id") on delete cascade`,
    );
    this.addSql(
      `alter table "registry"."guardianship" add constraint "guardianship_entrusted_guardian_id_fkey" foreign key ("entrusted_guardian_id") references "registry"."guardian" ("id")`,
    );
  }

  override async down(): Promise<void> {
    for (const schema of ['security', 'education', 'registry', 'reference']) {
      this.addSql(`drop schema if exists "${schema}" cascade`);
    }
  }
}
