import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Clock } from '../../clock';
import { NATIONAL_SCOPE, scopedEntityManager } from '../../policy/jurisdiction';
import { sweepDeadlines } from './casework-read.service';
import { outboxWritten } from './outbox';
import type { WebhookSettings } from '../../http/webhook-settings';
import { deliver, resealWebhookSecrets } from './webhooks';

const RELAY = 'casework-relay';
const DELIVER = 'casework-deliver';
const SWEEP = 'casework-sweep';
/** Events relayed per relay job; a fuller batch queues the next job at once. */
const RELAY_BATCH = 500;

export interface JobOptions {
  /** The keys that open webhook secrets (the newest re-seals them at start) and the targets allowed. */
  webhooks: WebhookSettings;
  /** How often idle workers look for jobs, in seconds (pg-boss's minimum is 0.5). */
  pollingIntervalSeconds?: number;
  /** First retry delay of a failed delivery, in seconds; it doubles each attempt, up to an hour. */
  retryDelaySeconds?: number;
}

export interface CaseworkJobs {
  /** Relays the outbox now instead of at the next minute (also done after every change in this process). */
  relay(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The job queue of casework, in Postgres (pg-boss, its own `pgboss` schema): relaying outbox
 * events to webhook deliveries, delivering them with retries and exponential backoff, and
 * sweeping deadlines every minute. A relay runs in one transaction with pg-boss: an event is
 * marked relayed exactly when its deliveries are queued, one per subscription. Before it starts,
 * every webhook secret not sealed under the newest key is sealed under it.
 */
export async function startCaseworkJobs(
  dbUrl: string,
  orm: MikroORM,
  clock: Clock,
  logger: Logger,
  options: JobOptions,
): Promise<CaseworkJobs> {
  const { webhooks, pollingIntervalSeconds = 2, retryDelaySeconds = 5 } = options;
  const em = scopedEntityManager(orm.em, NATIONAL_SCOPE);
  const resealed = await resealWebhookSecrets(em.fork(), webhooks.keys);
  if (resealed) logger.info({ resealed, key: webhooks.keys.newest }, 'webhook secrets sealed under the newest key');

  // Loaded here, not with this module: every process loads every department's definition, and
  // only one that serves casework runs its queue (pg-boss with its scheduler is some 6 MiB of heap).
  const { PgBoss } = await import('pg-boss');
  // The schema is the casework role's already (provisioned with its own); its role may not create schemas.
  const boss = new PgBoss({
    connectionString: dbUrl,
    schema: 'pgboss',
    createSchema: false,
    max: 4,
    application_name: 'hub-jobs',
  });
  boss.on('error', (err) => logger.error({ err }, 'job queue error'));
  await boss.start();
  await boss.createQueue(RELAY, { policy: 'stately' });
  await boss.createQueue(SWEEP, { policy: 'stately' });
  await boss.createQueue(DELIVER, {
    retryLimit: 20,
    retryDelay: retryDelaySeconds,
    retryBackoff: true,
    retryDelayMax: 3600,
    // Deliveries that never succeed are kept for two weeks in the queue and forever in the log.
    retentionSeconds: 14 * 86_400,
  });

  await boss.work(RELAY, { pollingIntervalSeconds, transactional: true }, async (_jobs, tx) => {
    const { rows } = await tx.executeSql(
      `with batch as (
         select id, kind, department, region_code from casework.outbox_event
          where relayed_at is null order by seq limit ${RELAY_BATCH} for update skip locked),
       marked as (
         update casework.outbox_event e set relayed_at = now() from batch b where e.id = b.id returning e.id)
       select b.id as event_id, w.id as webhook_id, (select count(*) from marked) as relayed
         from batch b join casework.webhook w
           on w.active and w.department = b.department and b.kind = any(w.event_kinds)
          and b.region_code like w.region_code || '%'`,
    );
    if (rows.length) {
      await boss.insert(
        DELIVER,
        rows.map((r) => ({ data: { eventId: r.event_id, webhookId: r.webhook_id } })),
        { db: tx },
      );
    }
    if (Number(rows[0]?.relayed ?? 0) >= RELAY_BATCH) await boss.send(RELAY, null, { db: tx });
  });
  await boss.work<{ eventId: string; webhookId: string }>(
    DELIVER,
    { pollingIntervalSeconds, batchSize: 1 },
    async ([job]) => deliver(em.fork(), webhooks, job.data.eventId, job.data.webhookId, job.retryCount + 1),
  );
  await boss.work(SWEEP, { pollingIntervalSeconds }, async () => {
    await sweepDeadlines(em.fork(), clock.now());
  });
  await boss.schedule(RELAY, '* * * * *');
  await boss.schedule(SWEEP, '* * * * *');

  const relay = async () => {
    await boss.send(RELAY, null);
  };
  const onWritten = () => relay().catch((err: unknown) => logger.warn({ err }, 'could not queue an outbox relay'));
  outboxWritten.on('written', onWritten);
  return {
    relay,
    async stop() {
      outboxWritten.off('written', onWritten);
      await boss.stop({ graceful: true, timeout: 5000 });
    },
  };
}
