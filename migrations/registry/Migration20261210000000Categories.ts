import { Migration } from '@mikro-orm/migrations';

/**
 * What the categories are decided by (src/domain/categories.ts): the child's household type and
 * distress reasons, each guardian's guardianship capacity and why it is limited. Records kept
 * before keep their categories; where those contradict the rules, conflict detection says so.
 */
export class Migration20261210000000Categories extends Migration {
  override async up(): Promise<void> {
    for (const table of ['child', 'child_revision']) {
      this.addSql(
        `alter table "registry"."${table}" add column "household_type" varchar(5) not null default 'RURAL', add column "distress_reasons" text[] not null default '{}'`,
      );
    }
    this.addSql(
      `alter table "registry"."guardian" add column "guardianship_capacity" varchar(7) not null default 'FULL', add column "incapacity_reason" varchar(20) null`,
    );
    // A child registered with its guardians is one flush, whose inserts the ORM may order either way.
    this.addSql(
      `alter table "registry"."guardian" alter constraint "guardian_child_id_fkey" deferrable initially deferred`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "registry"."guardian" alter constraint "guardian_child_id_fkey" not deferrable`);
    for (const table of ['child', 'child_revision']) {
      this.addSql(`alter table "registry"."${table}" drop column "household_type", drop column "distress_reasons"`);
    }
    this.addSql(
      `alter table "registry"."guardian" drop column "guardianship_capacity", drop column "incapacity_reason"`,
    );
  }
}
