import type { EntityManager } from '@mikro-orm/postgresql';
import { appendEvent, type AuditChange } from '../audit/audit-log';
import { auditActorOf } from '../audit/audit-trail';
import { numbered, runStatement } from '../db/statement';
import { JURISDICTION } from '../policy/jurisdiction';
import type { EventHandler } from './relay';

/** What the registry publishes when a child's village changes (`ChildMoved`). */
export interface ChildMoved {
  childId: string;
  from: string;
  to: string;
  /** The child's guardians, for records kept about a guardian rather than the child. */
  guardianIds: string[];
}

interface FollowingTable {
  table: string;
  entity: string;
  /** The column that names the child, a guardian, or a protection case of the child. */
  by: 'child_id' | 'guardian_id' | 'case_id';
}

const COLUMNS: Record<string, FollowingTable['by']> = {
  childId: 'child_id',
  guardianId: 'guardian_id',
  caseId: 'case_id',
};

/**
 * The tables of a subgraph whose rows are scoped by the child they concern: every entity under
 * the jurisdiction rule with a child, guardian or case column. Read from the subgraph's own
 * metadata, so a table added later follows moves without anyone remembering to add it.
 */
export function followingTables(em: EntityManager): FollowingTable[] {
  return Object.values(em.getMetadata().getAll()).flatMap((meta) => {
    if (!meta.filters?.[JURISDICTION] || meta.readonly || !meta.properties.regionCode) return [];
    const key = (['childId', 'guardianId', 'caseId'] as const).find((p) => meta.properties[p]);
    return key ? [{ table: `"${meta.schema}"."${meta.tableName}"`, entity: meta.className, by: COLUMNS[key] }] : [];
  });
}

/**
 * A move is a move everywhere: the rows a subgraph keeps about the moved child (and about its
 * guardians) take the child's new village, so the new county sees them and the old one no
 * longer does. A subgraph with records kept by another key (casework's, by case) names those
 * keys with `more`. Applied by the follower's system account in the relay's transaction, and
 * written to its own audit chain.
 */
export const followChild =
  (
    more?: (em: EntityManager, moved: ChildMoved) => Promise<Partial<Record<FollowingTable['by'], string[]>>>,
  ): EventHandler =>
  async (em, payload) => {
    const moved = payload as unknown as ChildMoved;
    const { childId, from, to } = moved;
    const keysBy = { child_id: [childId], guardian_id: moved.guardianIds, ...(await more?.(em, moved)) };
    const changes: AuditChange[] = [];
    for (const { table, entity, by } of followingTables(em)) {
      const keys = keysBy[by] ?? [];
      if (!keys.length) continue;
      const moved = await runStatement(
        em,
        {
          text: `update ${table} set region_code = $2 where ${by} = any($1::uuid[]) and region_code <> $2 returning ${by}`,
        },
        [keys, to],
      );
      if (moved.length) {
        changes.push({ entity, id: childId, op: 'update', before: { regionCode: from }, after: { regionCode: to } });
      }
    }
    if (!changes.length) return;
    const { actor, purpose, requestId, operation } = auditActorOf(em);
    const schema = em.getMetadata().find('OutboxEvent')!.schema!;
    await appendEvent((sql, params) => runStatement(em, { text: numbered(sql) }, params), schema, {
      at: new Date().toISOString(),
      kind: 'WRITE',
      actor,
      purpose,
      requestId,
      operation,
      children: [childId],
      fields: [],
      changes,
    });
  };
