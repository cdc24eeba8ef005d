import { createHash } from 'node:crypto';
import type { Principal } from '../auth/principal';
import { pgArray } from '../db/pg-array';

/** A change to one record, as a write event shows it: the changed fields before and after. */
export interface AuditChange {
  entity: string;
  id: string;
  op: 'create' | 'update' | 'delete';
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/** What the hub records of a request that read or wrote personal data. */
export interface AuditEvent {
  at: string;
  kind: 'READ' | 'WRITE';
  actor: { sub: string; dept: string; region: string; enterprise?: string };
  purpose: string | null;
  requestId: string;
  operation: string | null;
  /** Children whose records were read or written, sorted. */
  children: string[];
  /** `Type.field` read (READ), sorted. */
  fields: string[];
  /** Records written (WRITE). */
  changes: AuditChange[];
}

export const GENESIS_HASH = '0'.repeat(64);

export function actorOf(principal: Principal): AuditEvent['actor'] {
  const { sub, dept, region, enterprise } = principal;
  return enterprise ? { sub, dept, region, enterprise } : { sub, dept, region };
}

/** The hashed text of an event: JSON with keys in a fixed order, so anyone can recompute it. */
export function payloadOf(event: AuditEvent): string {
  const { at, kind, actor, purpose, requestId, operation, children, fields, changes } = event;
  return JSON.stringify({ at, kind, actor, purpose, requestId, operation, children, fields, changes });
}

/** hash = sha256(previous hash || "\n" || payload), hex: the database computes the same. */
export function chainHash(prevHash: string, payload: string): string {
  return createHash('sha256').update(`${prevHash}\n${payload}`, 'utf8').digest('hex');
}

export type Execute = (sql: string, params: unknown[]) => Promise<unknown>;
/** A statement that returns rows (the audit log's readers). */
export type Query = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/** The audit chain of a subgraph: `audit_event` in its own schema (src/events/tables.ts). */
export const chainTable = (schema: string) => `"${schema}"."audit_event"`;

/** Appends one event to a subgraph's chain; the database assigns its id and chains it. */
export async function appendEvent(execute: Execute, schema: string, event: AuditEvent): Promise<void> {
  await appendEvents(execute, schema, [event]);
}

/**
 * Appends events in one statement, chained in the given order: the chain trigger of each row
 * sees the rows this statement inserted before it, and the lock it takes is held once.
 */
export async function appendEvents(execute: Execute, schema: string, events: AuditEvent[]): Promise<void> {
  await execute(
    `insert into ${chainTable(schema)} (at, kind, account, dept, region_code, purpose, request_id, operation, child_ids, payload, prev_hash, hash)
     values ${events.map(() => `(?, ?, ?, ?, ?, ?, ?, ?, ?::uuid[], ?, '', '')`).join(', ')}`,
    events.flatMap((event) => [
      event.at,
      event.kind,
      event.actor.sub,
      event.actor.dept,
      event.actor.region,
      event.purpose,
      event.requestId,
      event.operation,
      pgArray(event.children),
      payloadOf(event),
    ]),
  );
}

/**
 * Group commit for the read events of many requests: an event is written at once when nothing
 * is being written, and otherwise with every event that arrived meanwhile, in one statement
 * and one commit. Each caller still learns whether its own event was written before it answers.
 */
export class EventWriter {
  private queue: { event: AuditEvent; done: (err?: unknown) => void }[] = [];
  private writing = false;

  constructor(
    private readonly execute: Execute,
    private readonly schema: string,
    /** Called after each write, so that readers of the chain's feed look again. */
    private readonly written: () => void = () => undefined,
  ) {}

  append(event: AuditEvent): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ event, done: (err) => (err ? reject(err) : resolve()) });
      if (!this.writing) void this.write();
    });
  }

  private async write() {
    this.writing = true;
    while (this.queue.length) {
      const batch = this.queue.splice(0, 200);
      try {
        await appendEvents(
          this.execute,
          this.schema,
          batch.map((b) => b.event),
        );
        this.written();
        for (const b of batch) b.done();
      } catch (err) {
        for (const b of batch) b.done(err);
      }
    }
    this.writing = false;
  }
}

/** A stored row as `hub audit verify` and exports see it. */
export interface AuditRow {
  id: string;
  account: string;
  dept: string;
  regionCode: string;
  purpose: string | null;
  requestId: string;
  childIds: string[];
  payload: string;
  prevHash: string;
  hash: string;
}

export interface ChainCheck {
  ok: boolean;
  checked: number;
  /** The last row checked: the head when the chain is intact. */
  head: { id: string; hash: string } | null;
  broken?: { id: string; reason: string };
}

/**
 * Walks rows in id order and checks each link: the previous hash it names, its own hash over
 * its payload, and that its indexed columns say what its payload says.
 */
export class ChainVerifier {
  private previous: string;
  private checked = 0;
  private last: ChainCheck['head'] = null;
  private failure: ChainCheck['broken'];

  constructor(startHash = GENESIS_HASH) {
    this.previous = startHash;
  }

  /** Returns false at the first broken link; later rows are not checked. */
  add(row: AuditRow): boolean {
    if (this.failure) return false;
    const reason = this.problemWith(row);
    if (reason) {
      this.failure = { id: row.id, reason };
      return false;
    }
    this.previous = row.hash;
    this.last = { id: row.id, hash: row.hash };
    this.checked++;
    return true;
  }

  result(): ChainCheck {
    return { ok: !this.failure, checked: this.checked, head: this.last, broken: this.failure };
  }

  private problemWith(row: AuditRow): string | null {
    if (row.prevHash !== this.previous) {
      return 'its previous hash is not the hash of the row before it (a row was removed, inserted or reordered)';
    }
    if (chainHash(row.prevHash, row.payload) !== row.hash) return 'its hash does not match its payload (altered)';
    let event: AuditEvent;
    try {
      event = JSON.parse(row.payload) as AuditEvent;
    } catch {
      return 'its payload is not JSON';
    }
    const columnsAgree =
      event.actor.sub === row.account &&
      event.actor.dept === row.dept &&
      event.actor.region === row.regionCode &&
      event.purpose === row.purpose &&
      event.requestId === row.requestId &&
      [...row.childIds].sort().join() === event.children.join();
    return columnsAgree ? null : 'its columns differ from its payload (altered)';
  }
}
