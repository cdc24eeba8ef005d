import { createHmac } from 'node:crypto';
import { pgArray } from '../../db/pg-array';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { HubContext } from '../../context';
import { isUuid } from '../../db/loaders';
import { badInput, notFound } from '../../errors';
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

function checkUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badInput('url', 'is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badInput('url', 'must be http or https');
  if (url.username || url.password) throw badInput('url', 'must not carry credentials: the secret signs deliveries');
  if (value.length > 2000) throw badInput('url', 'must be at most 2000 characters');
  return url.toString();
}

/**
 * A webhook belongs to the account that registers it and hears what that account's inbox would
 * show: its department's events in its jurisdiction, of the kinds asked for.
 */
export async function registerWebhook(ctx: HubContext, input: RegisterWebhookInput): Promise<Webhook> {
  const url = checkUrl(input.url);
  if (!input.eventKinds.length) throw badInput('eventKinds', 'must name at least one kind');
  const kinds = requireDistinct('eventKinds', input.eventKinds, 'a kind');
  if (input.secret.length < MIN_SECRET || input.secret.length > 200) {
    throw badInput('secret', `must be ${MIN_SECRET} to 200 characters`);
  }
  const { sub, dept, region } = ctx.principal;
  const [row] = await ctx.em.getConnection().execute(
    `insert into casework.webhook (account, department, region_code, url, event_kinds, secret, created_at)
     values (?, ?, ?, ?, ?::text[], ?, ?) returning ${COLUMNS}`,
    [sub, dept, region, url, pgArray(kinds), input.secret, ctx.clock.now().toISOString()],
  );
  return row as Webhook;
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
 * so the job queue retries it with backoff; the event id lets the receiver drop a repeat.
 */
export async function deliver(em: EntityManager, eventId: string, webhookId: string, attempt: number): Promise<void> {
  const connection = em.getConnection();
  const [hook] = await connection.execute(`select url, secret, active from casework.webhook where id = ?`, [webhookId]);
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
    const res = await fetch(hook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [EVENT_ID_HEADER]: eventId,
        [TIMESTAMP_HEADER]: timestamp,
        [SIGNATURE_HEADER]: sign(hook.secret, timestamp, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    statusCode = res.status;
    await res.body?.cancel();
    if (!res.ok) error = `HTTP ${res.status}`;
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
