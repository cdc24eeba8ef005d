import { createHmac } from 'node:crypto';
import { pgArray } from '../../db/pg-array';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { KeyRing, Sealed } from '../../auth/key-ring';
import type { HubContext } from '../../context';
import { isUuid } from '../../db/loaders';
import { badInput, notFound } from '../../errors';
import type { WebhookSettings } from '../../http/webhook-settings';
import { checkPageSize } from '../connection';
import { requireDistinct } from '../input';
import type { RegisterWebhookInput } from './casework.generated';
import type { EventKind } from './outbox';

export interface Webhook {
  id: string;
  url: string;
  eventKinds: EventKind[];
  active: boolean;
  createdAt: Date;
}

export interface WebhookDelivery {
  eventId: string;
  attempt: number;
  at: Date;
  statusCode: number | null;
  error: string | null;
  delivered: boolean;
}

const COLUMNS = `id, url, event_kinds as "eventKinds", active, created_at as "createdAt"`;
const MIN_SECRET = 24;

function checkUrl(value: string, webhooks: WebhookSettings): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badInput('url', 'is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badInput('url', 'must be http or https');
  if (url.username || url.password) throw badInput('url', 'must not carry credentials: the secret signs deliveries');
  if (value.length > 2000) throw badInput('url', 'must be at most 2000 characters');
  // The hub calls out from inside the network: only to receivers the operator named.
  if (!webhooks.allows(url)) {
    throw badInput('url', 'is not under a webhook target the hub allows (WEBHOOK_ALLOWED_URLS)');
  }
  return url.toString();
}

/**
 * A webhook belongs to the account that registers it and hears what that account's inbox would
 * show: its department's events in its jurisdiction, of the kinds asked for. Its secret is kept
 * sealed, bound to the webhook's id.
 */
export async function registerWebhook(ctx: HubContext, input: RegisterWebhookInput): Promise<Webhook> {
  const url = checkUrl(input.url, ctx.webhooks);
  if (!input.eventKinds.length) throw badInput('eventKinds', 'must name at least one kind');
  const kinds = requireDistinct('eventKinds', input.eventKinds, 'a kind');
  if (input.secret.length < MIN_SECRET || input.secret.length > 200) {
    throw badInput('secret', `must be ${MIN_SECRET} to 200 characters`);
  }
  const { sub, dept, region } = ctx.principal;
  const id = crypto.randomUUID();
  const { keyId, nonce, sealed } = ctx.webhooks.keys.seal(input.secret, id);
  const [row] = await ctx.em.getConnection().execute(
    `insert into casework.webhook
       (id, account, department, region_code, url, event_kinds, secret_key_id, secret_nonce, secret_sealed, created_at)
     values (?, ?, ?, ?, ?, ?::text[], ?, ?, ?, ?) returning ${COLUMNS}`,
    [id, sub, dept, region, url, pgArray(kinds), keyId, nonce, sealed, ctx.clock.now().toISOString()],
  );
  return row as Webhook;
}

const SEALED_COLUMNS = `secret_key_id as "keyId", secret_nonce as nonce, secret_sealed as sealed`;

/**
 * Seals again under the newest key every secret sealed under an older one, and seals any kept in
 * plain text before secrets were sealed: so an old key may be dropped once this has run. A secret
 * under a key the ring no longer holds stops it, rather than losing the subscription. Returns
 * how many were sealed.
 */
export async function resealWebhookSecrets(em: EntityManager, keys: KeyRing): Promise<number> {
  return em.transactional(async (tx) => {
    const run = (sql: string, params: unknown[]) =>
      tx.getConnection().execute(sql, params, 'all', tx.getTransactionContext());
    const stale = (await run(
      `select id, secret, ${SEALED_COLUMNS} from casework.webhook
        where secret is not null or secret_key_id <> ? for update`,
      [keys.newest],
    )) as (Sealed & { id: string; secret: string | null })[];
    for (const hook of stale) {
      let secret: string;
      try {
        secret = hook.secret ?? keys.open(hook, hook.id);
      } catch (err) {
        throw new Error(
          `Webhook ${hook.id}: ${(err as Error).message}; keep its key in WEBHOOK_KEYS until every secret is sealed again`,
          { cause: err },
        );
      }
      const { keyId, nonce, sealed } = keys.seal(secret, hook.id);
      await run(
        `update casework.webhook set secret = null, secret_key_id = ?, secret_nonce = ?, secret_sealed = ? where id = ?`,
        [keyId, nonce, sealed, hook.id],
      );
    }
    return stale.length;
  });
}

export async function webhooksOf(ctx: HubContext): Promise<Webhook[]> {
  return ctx.em
    .getConnection()
    .execute(`select ${COLUMNS} from casework.webhook where account = ? and active order by created_at, id`, [
      ctx.principal.sub,
    ]);
}

export async function removeWebhook(ctx: HubContext, id: string): Promise<Webhook> {
  const rows = isUuid(id)
    ? await ctx.em
        .getConnection()
        .execute(
          `update casework.webhook set active = false where id = ? and account = ? and active returning ${COLUMNS}`,
          [id, ctx.principal.sub],
        )
    : [];
  if (!rows.length) throw notFound('Webhook');
  return rows[0] as Webhook;
}

/** The delivery log of one of the caller's webhooks (the parent was read for the caller). */
export async function deliveriesOf(ctx: HubContext, webhookId: string, first: number): Promise<WebhookDelivery[]> {
  checkPageSize(first);
  return ctx.em.getConnection().execute(
    `select event_id as "eventId", attempt, at, status_code as "statusCode", error, delivered
       from casework.webhook_delivery where webhook_id = ? order by id desc limit ?`,
    [webhookId, first],
  );
}

/** Headers a delivery carries: receivers check the signature and drop repeats by event id. */
export const SIGNATURE_HEADER = 'x-hub-signature';
export const TIMESTAMP_HEADER = 'x-hub-timestamp';
export const EVENT_ID_HEADER = 'x-hub-event-id';

/** `sha256=` and the hex HMAC-SHA256, keyed by the webhook's secret, of `timestamp.body`. */
export const sign = (secret: string, timestamp: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * POSTs one event to one webhook and logs the attempt. Throws when the receiver did not take it,
 * so the job queue retries it with backoff; the event id lets the receiver drop a repeat. A
 * target no longer allowed is not called, and a redirect is not followed: it would take the
 * signed event elsewhere.
 */
export async function deliver(
  em: EntityManager,
  webhooks: WebhookSettings,
  eventId: string,
  webhookId: string,
  attempt: number,
): Promise<void> {
  const connection = em.getConnection();
  const [hook] = (await connection.execute(
    `select id, url, active, ${SEALED_COLUMNS} from casework.webhook where id = ?`,
    [webhookId],
  )) as (Sealed & { id: string; url: string; active: boolean })[];
  if (!hook?.active) return;
  const [event] = await connection.execute(
    `select id, kind, case_id as "caseId", subject_id as "subjectId", region_code as "regionCode",
            occurred_at as "occurredAt" from casework.outbox_event where id = ?`,
    [eventId],
  );
  if (!event) return;
  const body = JSON.stringify(event);
  const timestamp = String(Math.floor(Date.now() / 1000));
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    if (!webhooks.allows(new URL(hook.url))) throw new Error('the target is no longer allowed (WEBHOOK_ALLOWED_URLS)');
    const res = await fetch(hook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [EVENT_ID_HEADER]: eventId,
        [TIMESTAMP_HEADER]: timestamp,
        [SIGNATURE_HEADER]: sign(webhooks.keys.open(hook, hook.id), timestamp, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    statusCode = res.status;
    await res.body?.cancel();
    if (res.status >= 300 && res.status < 400) error = `HTTP ${res.status}: redirects are not followed`;
    else if (!res.ok) error = `HTTP ${res.status}`;
  } catch (err) {
    error = (err as Error).message.slice(0, 300);
  }
  await connection.execute(
    `insert into casework.webhook_delivery (webhook_id, event_id, attempt, at, status_code, error, delivered)
     values (?, ?, ?, now(), ?, ?, ?)`,
    [webhookId, eventId, attempt, statusCode, error, error === null],
  );
  if (error !== null) throw new Error(`delivery of ${eventId} to webhook ${webhookId} failed: ${error}`);
}
