import type { MikroORM } from '@mikro-orm/postgresql';
import { appendEvent, type AuditChange, type Query } from './audit-log';
import { pgArray } from '../db/pg-array';
import type { SubgraphDefinition } from '../subgraphs/subgraph';

/** One rule of a subgraph (its definition's `retention`): which of its records it selects (as of `today`), and what it does to them. */
export interface RetentionRule {
  name: string;
  description: string;
  /** Selects the affected rows: `id`, `child_id` (null when not about a child), and the `before` values as JSON. */
  select: string;
  /** Applies the rule to the rows whose ids are passed as `$1` (uuid[]). */
  apply: string;
  entity: string;
  after: Record<string, unknown>;
}

export interface RetentionResult {
  rule: string;
  description: string;
  affected: number;
}

/**
 * Runs every rule of each subgraph on its own database, in one transaction per subgraph,
 * recording what changed as one WRITE audit event of the hub itself in its chain. With
 * `dryRun`, only counts.
 */
export async function runRetention(
  subgraphs: Iterable<{ def: SubgraphDefinition; orm: MikroORM }>,
  options: { today: string; dryRun: boolean },
): Promise<RetentionResult[]> {
  const results: RetentionResult[] = [];
  for (const { def, orm } of subgraphs) {
    if (def.retention?.length) results.push(...(await runRules(orm, def.schema, def.retention, options)));
  }
  return results;
}

async function runRules(
  orm: MikroORM,
  schema: string,
  rules: readonly RetentionRule[],
  options: { today: string; dryRun: boolean },
): Promise<RetentionResult[]> {
  return orm.em.fork().transactional(async (tx) => {
    const execute: Query = (sql, params) => tx.getConnection().execute(sql, params, 'all', tx.getTransactionContext());
    const results: RetentionResult[] = [];
    const changes: AuditChange[] = [];
    const children = new Set<string>();
    for (const rule of rules) {
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
        // Not every record a rule touches is about a child (a staged file is not).
        if (row.child_id) children.add(row.child_id);
      }
    }
    await appendEvent(execute, schema, {
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
