import {
  helper,
  type ChangeSet,
  type EntityManager,
  type EventSubscriber,
  type FlushEventArgs,
  type TransactionEventArgs,
} from '@mikro-orm/core';
import { JURISDICTION } from '../policy/jurisdiction';
import { appendEvent, type AuditChange, type AuditEvent } from './audit-log';

/** Who is acting through an entity manager: set once per request, inherited by its forks. */
export interface AuditActor {
  actor: AuditEvent['actor'];
  purpose: string | null;
  requestId: string;
  operation: string | null;
}

const ACTOR_KEY = 'audit';
/** Writes made by the hub itself (command line, maintenance) rather than for a caller. */
const SYSTEM: AuditActor = {
  actor: { sub: 'hub', dept: 'SYSTEM', region: '' },
  purpose: null,
  requestId: 'system',
  operation: null,
};

export function setAuditActor(em: EntityManager, actor: AuditActor): void {
  em.setLoggerContext({ ...em.getLoggerContext(), [ACTOR_KEY]: actor });
}

export function auditActorOf(em: EntityManager): AuditActor {
  return (em.getLoggerContext()[ACTOR_KEY] as AuditActor | undefined) ?? SYSTEM;
}

const plain = (value: unknown): unknown => (value instanceof Date ? value.toISOString() : value);

function changeOf(cs: ChangeSet<object>): AuditChange {
  const entity = cs.entity as Record<string, unknown>;
  const original = (cs.originalEntity ?? {}) as Record<string, unknown>;
  const payload = (cs.payload ?? {}) as Record<string, unknown>;
  const op = cs.type === 'create' ? 'create' : cs.type === 'delete' ? 'delete' : 'update';
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const changed = op === 'delete' ? Object.keys(original) : Object.keys(payload);
  for (const key of changed) {
    if (op !== 'create') before[key] = plain(original[key]);
    if (op !== 'delete') after[key] = plain(op === 'create' ? (entity[key] ?? payload[key]) : payload[key]);
  }
  return { entity: cs.name, id: String(helper(cs.entity).getSerializedPrimaryKey()), op, before, after };
}

function childOf(cs: ChangeSet<object>): string | undefined {
  const entity = cs.entity as { id?: unknown; childId?: unknown };
  if (typeof entity.childId === 'string') return entity.childId;
  return cs.name === 'Child' && typeof entity.id === 'string' ? entity.id : undefined;
}

/**
 * Every write of personal data (entities under the jurisdiction rule) becomes a WRITE audit
 * event with the changed fields before and after. The event is appended inside the writing
 * transaction, just before it commits: the write and its audit row stand or fall together.
 */
export class AuditTrail implements EventSubscriber {
  /** Change sets flushed in a transaction not yet committed; read at commit, when keys are known. */
  private readonly pending = new WeakMap<EntityManager, ChangeSet<object>[]>();

  /** `schema`: the subgraph's own schema, whose chain the events go to. */
  constructor(private readonly schema: string) {}

  onFlush({ em, uow }: FlushEventArgs): void {
    const scoped = uow.getChangeSets().filter((cs) => cs.meta.filters?.[JURISDICTION]);
    if (scoped.length) this.pending.set(em, [...(this.pending.get(em) ?? []), ...scoped]);
  }

  async beforeTransactionCommit({ em, transaction }: TransactionEventArgs): Promise<void> {
    const changeSets = this.pending.get(em);
    if (!changeSets) return;
    this.pending.delete(em);
    const who = auditActorOf(em);
    const children = new Set(changeSets.map(childOf).filter((id) => id !== undefined));
    await appendEvent((sql, params) => em.getConnection().execute(sql, params, 'run', transaction), this.schema, {
      at: new Date().toISOString(),
      kind: 'WRITE',
      ...who,
      children: [...children].sort(),
      fields: [],
      changes: changeSets.map(changeOf),
    });
  }

  afterTransactionRollback({ em }: TransactionEventArgs): void {
    this.pending.delete(em);
  }
}
