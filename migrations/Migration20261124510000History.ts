import { Migration } from '@mikro-orm/migrations';

/**
 * The registry's history: every change to a child's basic information or guardianship keeps
 * the replaced row with the interval it was current, written by the database itself, so no
 * code path can change a record without leaving its history (`child(id, asOf)` reads it).
 */
export class Migration20261124510000History extends Migration {
  override async up(): Promise<void> {
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
    for (const table of ['child', 'guardianship']) {
      // Columns are matched by name, so a column added to the live table later (and to the
      // revision table by the same migration) needs no change here.
      this.addSql(
        `create function "registry"."keep_${table}_revision"() returns trigger language plpgsql as $$
        begin
          insert into "registry"."${table}_revision"
          select (jsonb_populate_record(null::"registry"."${table}_revision", to_jsonb(old) || jsonb_build_object(
            'valid_from', old."updated_at",
            'valid_to', case when tg_op = 'UPDATE' then new."updated_at" else now() end))).*
          on conflict do nothing;
          return null;
        end $$`,
      );
      this.addSql(
        `create trigger "${table}_revision" after update or delete on "registry"."${table}" for each row execute function "registry"."keep_${table}_revision"()`,
      );
    }
  }

  override async down(): Promise<void> {
    for (const table of ['child', 'guardianship']) {
      this.addSql(`drop trigger if exists "${table}_revision" on "registry"."${table}"`);
      this.addSql(`drop function if exists "registry"."keep_${table}_revision"()`);
      this.addSql(`drop table if exists "registry"."${table}_revision"`);
    }
  }
}
