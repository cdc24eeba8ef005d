import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { setAuditActor } from '../audit/audit-trail';
import { runStatement } from '../db/statement';
import { scopeToEnterprise } from '../policy/enterprise-scope';
import { NATIONAL_SCOPE, scopedEntityManager } from '../policy/jurisdiction';
import { background, BACKGROUND, FEED_PAGE, type FeedName, type FeedRow } from './feed';

/** How a follower reaches the feed of the subgraph it follows: in this process, or over HTTP. */
export interface FeedTransport {
  read(feed: FeedName, after: string, limit: number, waitMs: number, signal?: AbortSignal): Promise<FeedRow[]>;
  head(feed: FeedName): Promise<string>;
}

/** One feed a subgraph follows, and what it does with its rows (in its own transaction). */
export interface Subscription {
  source: string;
  feed: FeedName;
  apply(em: EntityManager, rows: FeedRow[]): Promise<void>;
  /**
   * For a follower that need not act at once (a copy): after applying rows, it waits this long
   * (ms) before reading again, so that under load each transaction takes what arrived meanwhile
   * instead of one per wake-up. The first row after a quiet spell is still applied at once.
   */
  linger?: number;
}

/** What a subgraph does on a domain event: `payload` as published, applied by the follower's system account. */
export type EventHandler = (em: EntityManager, payload: Record<string, unknown>, event: FeedRow) => Promise<void>;

/** A subscription to another subgraph's domain events, by kind; other kinds are passed over. */
export function onEvents(source: string, handlers: Record<string, EventHandler>): Subscription {
  return {
    source,
    feed: 'events',
    async apply(em, rows) {
      for (const row of rows) {
        const handler = handlers[String(row.kind)];
        if (handler) await handler(em, row.payload as Record<string, unknown>, row);
      }
    },
  };
}

/** How long one read waits for new rows before asking again. */
const WAIT_MS = 15_000;
/**
 * How long a follower holds a feed's lease unless it renews it (at half time): a replica that
 * stops without letting it go (a crash) is replaced after this long.
 */
const LEASE_MS = 30_000;

/** Waits `ms`, or less when `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done);
  });
}

/**
 * Follows one feed for one subgraph: reads rows after its position, applies them and moves the
 * position in one transaction of the follower's database, so each row takes effect exactly
 * once however often it is delivered, and a restart resumes where the last commit left off.
 * Failures are logged and retried with backoff; rows are never skipped.
 *
 * Replicas of the follower (several processes over its database) each run the relay, and the
 * one holding the feed's lease (its row in `inbox_cursor`) follows while the others stand by,
 * asking again every third of a lease; when the holder stops it lets the lease go, and when it
 * crashes the lease lapses. The lease saves the work, not the guarantee: a row is applied once
 * even by two followers at a time, as they take turns on the position.
 */
export class Relay {
  private position = '0';
  private stopped = false;
  private running?: Promise<void>;
  private readonly abort = new AbortController();
  private readonly key: string;
  /** This relay, as the holder of a lease. */
  private readonly holder = randomUUID();
  /** While this relay holds the lease: when it renews it (ms since the epoch); 0 when it stands by. */
  private renewAt = 0;
  private readonly leaseMs: number;

  constructor(
    private readonly orm: MikroORM,
    private readonly schema: string,
    private readonly subscription: Subscription,
    private readonly transport: FeedTransport,
    private readonly logger: Pick<Logger, 'warn'>,
    options: { leaseMs?: number } = {},
  ) {
    this.key = `${subscription.source}:${subscription.feed}`;
    this.leaseMs = options.leaseMs ?? LEASE_MS;
  }

  get name(): string {
    return this.key;
  }

  /** Whether this relay follows the feed (holds its lease) rather than standing by. */
  get leading(): boolean {
    return this.renewAt > 0;
  }

  start(): void {
    this.running = this.run();
  }

  private async run(): Promise<void> {
    let backoff = 250;
    while (!this.stopped) {
      try {
        if (!(await this.lead())) {
          await sleep(this.leaseMs / 3, this.abort.signal);
          continue;
        }
        const rows = await this.transport.read(
          this.subscription.feed,
          this.position,
          FEED_PAGE,
          // Back before half the lease has passed, to renew it.
          Math.min(WAIT_MS, this.leaseMs / 2),
          this.abort.signal,
        );
        if (this.stopped) return;
        if (rows.length) await this.apply(rows);
        backoff = 250;
        const { linger } = this.subscription;
        if (linger && rows.length && rows.length < FEED_PAGE) await sleep(linger, this.abort.signal);
      } catch (err) {
        if (this.stopped) return;
        this.logger.warn({ err, feed: this.key, subscriber: this.schema }, 'could not follow a feed; retrying');
        await sleep(backoff, this.abort.signal);
        backoff = Math.min(backoff * 2, 10_000);
      }
    }
  }

  /**
   * Whether this relay may follow now: it holds the lease, renewed once half of it has passed,
   * or takes it when nobody holds it or its holder let it lapse. Taking or renewing it, the
   * relay learns the position its database holds (where its last holder left off).
   */
  private async lead(): Promise<boolean> {
    const now = Date.now();
    if (this.renewAt && now < this.renewAt) return true;
    const [row] = await runStatement(
      background(this.orm.em.fork()),
      {
        text: `insert into "${this.schema}"."inbox_cursor" as c (source, position, holder, held_until)
               values ($1, 0, $2, now() + $3 * interval '1 millisecond')
               on conflict (source) do update set holder = excluded.holder, held_until = excluded.held_until
                 where c.holder is null or c.holder = excluded.holder or c.held_until < now()
               returning position::text as position`,
      },
      [this.key, this.holder, this.leaseMs],
    );
    this.renewAt = row ? now + this.leaseMs / 2 : 0;
    if (row) this.position = String(row.position);
    return Boolean(row);
  }

  /** The position the follower's database holds. */
  private async storedPosition(): Promise<string> {
    const [row] = await runStatement(
      background(this.orm.em.fork()),
      { text: `select position::text as position from "${this.schema}"."inbox_cursor" where source = $1` },
      [this.key],
    );
    return row ? String(row.position) : '0';
  }

  private async apply(rows: FeedRow[]): Promise<void> {
    const last = rows[rows.length - 1].id;
    await background(this.orm.em.fork()).transactional(
      async (tx) => {
        const em = scopeToEnterprise(scopedEntityManager(tx, NATIONAL_SCOPE), {});
        setAuditActor(em, {
          actor: { sub: `${this.key} feed`, dept: 'SYSTEM', region: '' },
          purpose: null,
          requestId: `feed:${this.key}:${last}`,
          operation: `follow ${this.key}`,
        });
        // The position is locked for the transaction (made on first use): two replicas of the follower take turns.
        const [row] = await runStatement(
          em,
          {
            text: `insert into "${this.schema}"."inbox_cursor" as c (source, position) values ($1, 0)
                   on conflict (source) do update set position = c.position returning position::text as position`,
          },
          [this.key],
        );
        const fresh = rows.filter((r) => BigInt(r.id) > BigInt(String(row.position)));
        if (!fresh.length) return;
        await this.subscription.apply(em, fresh);
        await em.flush();
        await runStatement(em, { text: `update "${this.schema}"."inbox_cursor" set position = $2 where source = $1` }, [
          this.key,
          last,
        ]);
        // begin and commit take the context from here, not from the entity manager.
      },
      { loggerContext: BACKGROUND },
    );
    this.position = last;
  }

  /** Waits until every row the source holds now has been applied, by this relay or the one leading (tests; tools). */
  async settle(timeoutMs = 20_000): Promise<void> {
    const head = BigInt(await this.transport.head(this.subscription.feed));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const position = this.leading ? this.position : await this.storedPosition();
      if (BigInt(position) >= head) return;
      if (Date.now() > deadline)
        throw new Error(`${this.schema} has not caught up with ${this.key} (at ${position} of ${head})`);
      await sleep(10);
    }
  }

  /** Stops following, and lets the lease go so that a replica standing by takes over at its next look. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.running;
    if (!this.leading) return;
    this.renewAt = 0;
    try {
      await runStatement(
        background(this.orm.em.fork()),
        {
          text: `update "${this.schema}"."inbox_cursor" set holder = null, held_until = null
                  where source = $1 and holder = $2`,
        },
        [this.key, this.holder],
      );
    } catch (err) {
      this.logger.warn({ err, feed: this.key, subscriber: this.schema }, 'could not let a feed go; it lapses');
    }
  }
}
