import { Migration } from '@mikro-orm/migrations';

const SCOPED = [
  ['registry', 'child'],
  ['registry', 'guardian'],
  ['registry', 'guardianship'],
  ['education', 'enrolment'],
  ['security', 'household_registration'],
  ['security', 'report'],
] as const;

/**
 * Region codes in byte order ("C" collation): one plain index then serves the jurisdiction
 * prefix and, for children, paging by (region_code, id), so a township's page reads its own
 * rows only, however large the registry grows. The region table's codes follow, so joins on
 * a region code keep using its key.
 */
export class Migration20261123110000RegionCodeOrder extends Migration {
  override async up(): Promise<void> {
    for (const column of ['code', 'parent_code']) {
      this.addSql(`alter table "reference"."region" alter column "${column}" type varchar(12) collate "C"`);
    }
    for (const [schema, table] of SCOPED) {
      const columns = table === 'child' ? '"region_code", "id"' : '"region_code"';
      this.addSql(`drop index "${schema}"."${table}_region_code_idx"`);
      this.addSql(`alter table "${schema}"."${table}" alter column "region_code" type varchar(12) collate "C"`);
      this.addSql(`create index "${table}_region_code_idx" on "${schema}"."${table}" (${columns})`);
    }
  }

  override async down(): Promise<void> {
    for (const column of ['code', 'parent_code']) {
      this.addSql(`alter table "reference"."region" alter column "${column}" type varchar(12) collate "default"`);
    }
    for (const [schema, table] of SCOPED) {
      this.addSql(`drop index "${schema}"."${table}_region_code_idx"`);
      this.addSql(`alter table "${schema}"."${table}" alter column "region_code" type varchar(12) collate "default"`);
      this.addSql(`create index "${table}_region_code_idx" on "${schema}"."${table}" ("region_code" text_pattern_ops)`);
    }
  }
}
