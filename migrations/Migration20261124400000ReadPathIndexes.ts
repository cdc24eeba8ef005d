import { Migration } from '@mikro-orm/migrations';

/**
 * The indexes the children connection's searches need to stay fast as the registry grows (the
 * jurisdiction prefix already has `child_region_code_idx`): a trigram index for names searched
 * anywhere in the name (`name ilike '%…%'`), and a pattern index for identity-number prefixes
 * (`id_number like '6301…%'`; the unique constraint's index serves equality only).
 * pg_trgm ships with PostgreSQL and is a trusted extension: the database owner may create it.
 */
export class Migration20261124400000ReadPathIndexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists pg_trgm`);
    this.addSql(`create index "child_name_trgm_idx" on "registry"."child" using gin ("name" gin_trgm_ops)`);
    this.addSql(`create index "child_id_number_prefix_idx" on "registry"."child" ("id_number" varchar_pattern_ops)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "registry"."child_id_number_prefix_idx"`);
    this.addSql(`drop index "registry"."child_name_trgm_idx"`);
  }
}
