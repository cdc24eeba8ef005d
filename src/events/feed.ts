import { EntitySchema, type EventSubscriber } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { runStatement, type Row } from '../db/statement';
import { NATIONAL_SCOPE, scopedEntityManager } from '../policy/jurisdiction';

/**
 * What a subgraph publishes for others to follow, in commit order: `events`, its outbox of
 * domain events (a child moved, a case opened), and `audit`, its audit chain, which the audit
 * service copies. Readers keep their own position; the owner never learns who reads.
 */
export const FEEDS = { events: 'outbox', audit: 'audit_event' } as const;
export type FeedName = keyof typeof FEEDS;

export const isFeedName = (name: unknown): name is FeedName => typeof name === 'string' && name in FEEDS;

/** A feed row: its position (`id`, a bigint as text) and its columns. */
export type FeedRow = Row & { id: string };

export const BACKGROUND = { background: true };

/**
 * Marks the statements of an entity manager as the feeds' own work between subgraphs, not a
 * request's: logs (and the tests that count a request's statements) tell them apart.
 */
export function background<T extends EntityManager>(em: T): T {
  em.setLoggerContext({ ...em.getLoggerContext(), ...BACKGROUND });
  return em;
}

/** Rows a reader takes at most per read. */
export const FEED_PAGE = 500;
/** How often a waiting read looks again when nothing in this process said the feed changed. */
const RECHECK_MS = 1_000;

/** The feeds a subgraph serves from its own schema: read in order, waited on while empty. */
export class FeedSource {
  /** Reads waiting for rows, per feed: an audit append wakes the audit copy, not the outbox's followers. */
  private readonly waiting: Record<FeedName, Set<() => void>> = { events: new Set(), audit: new Set() };

  constructor(
    private readonly orm: MikroORM,
    private readonly schema: string,
  ) {}

  /** Says that this process may have added rows to `feeds`: their waiting reads look again. */
  changed(...feeds: FeedName[]): void {
    for (const feed of feeds) for (const wake of [...this.waiting[feed]]) wake();
  }

  private em(): EntityManager {
    return background(scopedEntityManager(this.orm.em, NATIONAL_SCOPE));
  }

  async head(feed: FeedName): Promise<string> {
    const [row] = await runStatement(
      this.em(),
      { text: `select coalesce(max(id), 0)::text as head from "${this.schema}"."${FEEDS[feed]}"` },
      [],
    );
    return String(row.head);
  }

  /** Rows after position `after`, oldest first; waits up to `waitMs` for one when there is none yet. */
  async read(feed: FeedName, after: string, limit = FEED_PAGE, waitMs = 0, signal?: AbortSignal): Promise<FeedRow[]> {
    if (!/^\d{1,19}$/.test(after)) throw new Error(`feed position "${after}" is not a number`);
    const text = `select * from "${this.schema}"."${FEEDS[feed]}" where id > $1 order by id limit $2`;
    const deadline = Date.now() + waitMs;
    for (;;) {
      // Positions are bigints: as text, whatever the driver makes of them.
      const rows = (await runStatement(this.em(), { text }, [after, Math.min(limit, FEED_PAGE)])).map(
        (row) => ({ ...row, id: String(row.id) }) as FeedRow,
      );
      const left = deadline - Date.now();
      if (rows.length || left <= 0 || signal?.aborted) return rows;
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiting[feed].delete(wake);
          signal?.removeEventListener('abort', wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(left, RECHECK_MS));
        this.waiting[feed].add(wake);
        signal?.addEventListener('abort', wake);
      });
    }
  }
}

/** Tells a feed source when a transaction of its ORM commits, so that readers waiting on it look again. */
export class FeedSignal implements EventSubscriber {
  source?: FeedSource;

  afterTransactionCommit(): void {
    // A transaction may publish events and record its writes in the audit chain.
    this.source?.changed('events', 'audit');
  }
}

export interface OutboxEvent {
  id: string;
  at: Date;
  kind: string;
  payload: Record<string, unknown>;
}

/** A subgraph's outbox as an entity, so that an event is written by the flush that makes it true. */
export function outboxEntity(schema: string): EntitySchema<OutboxEvent> {
  return new EntitySchema<OutboxEvent>({
    name: 'OutboxEvent',
    tableName: 'outbox',
    schema,
    properties: {
      id: { type: 'bigint', primary: true, autoincrement: true },
      at: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date() },
      kind: { type: 'string', length: 64 },
      payload: { type: 'json' },
    },
  });
}

/**
 * Publishes a domain event of the subgraph that owns `em`: it is written by the same flush (and
 * transaction) as the change it reports, and readers see it once that commits.
 */
export function publish(em: EntityManager, kind: string, payload: Record<string, unknown>): void {
  em.create<OutboxEvent>('OutboxEvent', { kind, payload } as OutboxEvent);
}
