import { Migration } from '@mikro-orm/migrations';

/** The rules of src/domain/categories.ts a child's record breaks, as the registry publishes them. */
export class Migration20261210000000CategoryBreaches extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "supervision"."child_fact" add column "category_breaches" text[] not null default '{}'`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "supervision"."child_fact" drop column "category_breaches"`);
  }
}
