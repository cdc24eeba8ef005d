import { EventEmitter } from 'node:events';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Department } from '../../auth/principal';

/**
 * What the outbox says happened. Receivers get the kind and ids, never personal data, and ask
 * the graph for the rest with their own permissions.
 */
export const EVENT_KINDS = [
  'CASE_REPORTED',
  'CASE_ACCEPTED',
  'CASE_DISPATCHED',
  'CHILD_SAFE',
  'CASE_HANDED_TO_TOWNSHIP',
  'CASE_NOT_SUBSTANTIATED',
  'FINDING_OBJECTED',
  'GUARDIAN_FAILURE_FOUND',
  'TEMPORARY_GUARDIANSHIP_NEEDED',
  'CASE_ASSESSED',
  'REFERRAL_SENT',
  'REFERRAL_ACCEPTED',
  'REFERRAL_DECLINED',
  'REFERRAL_IN_PROGRESS',
  'REFERRAL_COMPLETED',
  'VISIT_RECORDED',
  'CASE_REVIEWED',
  'CASE_CLOSED',
  'TASK_OVERDUE',
  'TASK_ESCALATED',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** One event for one audience: the department and the region whose units are told. */
export interface OutboxEntry {
  kind: EventKind;
  caseId: string;
  /** The referral or task the event is about, when it is about one. */
  subjectId?: string | null;
  department: Department;
  regionCode: string;
}

/**
 * Appends events inside the entity manager's open transaction, so an event exists exactly when
 * the change it announces was committed. The relay job (jobs.ts) hands them to the webhooks.
 */
export async function writeOutbox(em: EntityManager, entries: readonly OutboxEntry[], at: Date): Promise<void> {
  if (!entries.length) return;
  const values = entries.map(() => '(?, ?, ?::uuid, ?::uuid, ?, ?, ?)').join(', ');
  await em.getConnection().execute(
    `insert into casework.outbox_event (id, kind, case_id, subject_id, department, region_code, occurred_at)
     values ${values}`,
    entries.flatMap((e) => [
      crypto.randomUUID(),
      e.kind,
      e.caseId,
      e.subjectId ?? null,
      e.department,
      e.regionCode,
      at.toISOString(),
    ]),
    'run',
    em.getTransactionContext(),
  );
}

/**
 * Emits `written` after a transaction that wrote outbox events has committed, so the job queue
 * of this process relays them at once; the queue's schedule relays any others within a minute.
 */
export const outboxWritten = new EventEmitter();
