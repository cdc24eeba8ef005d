import type { EntityManager } from '@mikro-orm/postgresql';
import { appendEvent, type AuditChange, type Query } from './audit-log';
import { pgArray } from '../db/pg-array';

/** One rule: which records it selects (as of `today`), and what it does to them. */
export interface RetentionRule {
  name: string;
  description: string;
  /** Selects the affected rows: `id`, `child_id`, and the `before` values as JSON. */
  select: string;
  /** Applies the rule to the rows whose ids are passed as `$1` (uuid[]). */
  apply: string;
  entity: string;
  after: Record<string, unknown>;
}

/** Years after which a closed report is unlinked from the child it concerned. */
export const CLOSED_REPORT_YEARS = 5;

export const RETENTION_RULES: readonly RetentionRule[] = [
  {
    name: 'archive-adults',
    description: "A child's record is archived once the child turns 18.",
    entity: 'Child',
    select: `select id, id as child_id, json_build_object('status', status) as before from registry.child
              where status <> 'ARCHIVED' and birth_date <= ?::date - interval '18 years'`,
    apply: `update registry.child set status = 'ARCHIVED', version = version + 1, updated_at = now() where id = any(?::uuid[])`,
    after: { status: 'ARCHIVED' },
  },
  {
    name: 'pseudonymise-closed-reports',
    description: `A closed or unsubstantiated protection case is unlinked from the child ${CLOSED_REPORT_YEARS} years after it was reported.`,
    entity: 'ProtectionCase',
    select: `select id, child_id, json_build_object('childId', child_id) as before from casework.protection_case
              where child_id is not null and status in ('CLOSED', 'NOT_SUBSTANTIATED')
                and received_at < ?::date - interval '${CLOSED_REPORT_YEARS} years'`,
    apply: `update casework.protection_case set child_id = null where id = any(?::uuid[])`,
    after: { childId: null },
  },
];

export interface RetentionResult {
  rule: string;
  description: string;
  affected: number;
}

/**
 * Runs every rule in one transaction, recording what changed as one WRITE audit event of the
 * hub itself. With `dryRun`, only counts.
 */
export async function runRetention(
  em: EntityManager,
  options: { today: string; dryRun: boolean },
): Promise<RetentionResult[]> {
  return em.transactional(async (tx) => {
    const execute: Query = (sql, params) => tx.getConnection().execute(sql, params, 'all', tx.getTransactionContext());
    const results: RetentionResult[] = [];
    const changes: AuditChange[] = [];
    const children = new Set<string>();
    for (const rule of RETENTION_RULES) {
      const rows = (await execute(rule.select, [options.today])) as {
        id: string;
        child_id: string;
        before: Record<string, unknown>;
      }[];
      results.push({ rule: rule.name, description: rule.description, affected: rows.length });
      if (options.dryRun || !rows.length) continue;
      await execute(rule.apply, [pgArray(rows.map((r) => r.id))]);
      for (const row of rows) {
        changes.push({ entity: rule.entity, id: row.id, op: 'update', before: row.before, after: rule.after });
        children.add(row.child_id);
      }
    }
    await appendEvent(execute, {
      at: new Date().toISOString(),
      kind: 'WRITE',
      actor: { sub: 'hub retention', dept: 'SYSTEM', region: '' },
      purpose: null,
      requestId: `retention-${options.dryRun ? 'dry-run' : 'run'}-${options.today}`,
      operation: options.dryRun ? 'retention dry-run' : 'retention run',
      children: [...children].sort(),
      fields: [],
      changes,
    });
    return results;
  });
}
