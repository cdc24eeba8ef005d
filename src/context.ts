import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditActor } from './audit/audit-trail';
import type { IdentityHash } from './auth/identity-hash';
import type { Clock } from './clock';
import type { WebhookSettings } from './http/webhook-settings';
import type { Principal } from './auth/principal';
import type { Peers } from './peers/peers';

/** What the HTTP layer learns of a request before anything runs. */
export interface RequestFacts {
  principal: Principal;
  /** Declared purpose of the request (X-Purpose header or extensions.purpose). */
  purpose: string | null;
  requestId: string;
  /** The caller's bearer token, forwarded to subgraphs served over HTTP. */
  token: string;
}

/**
 * One request as the gateway in this process handles it: the facts, and the context of each
 * subgraph the plan reaches, made on first use (each subgraph has its own database, entity
 * manager and loaders). Apollo hands each operation a shallow copy, so what changes lives in
 * nested objects.
 */
export interface GatewayContext extends RequestFacts {
  kind: 'gateway';
  scopes: Map<string, HubContext>;
  /** Who acts and in which operation, known once the operation is resolved. */
  actor: { current?: AuditActor };
}

/**
 * Everything a subgraph's resolver knows about the request, built once per request and
 * subgraph. Apollo hands each operation a shallow copy, so per-request state lives in nested
 * objects (`memo`).
 */
export interface HubContext extends RequestFacts {
  kind: 'subgraph';
  /** The subgraph this context belongs to. */
  subgraph: string;
  /** An entity manager of this subgraph's database, scoped to the caller's jurisdiction (and enterprise). */
  em: EntityManager;
  /** The server's keyed hash of identity numbers. */
  identityHash: IdentityHash;
  /** Where statutory clocks read the time (a clock tests move). */
  clock: Clock;
  /** The other subgraphs, as this one may reach them: their APIs, never their tables. */
  peers: Peers;
  /** The gateway's request this context is part of, when the gateway runs in this process. */
  request?: GatewayContext;
  /** The keys webhook secrets are sealed under, and the targets webhooks may call. */
  webhooks: WebhookSettings;
  memo: Map<unknown, unknown>;
}

/** The context a request starts with: the gateway's, or a subgraph's served on its own. */
export type RequestContext = GatewayContext | HubContext;

export function gatewayContext(facts: RequestFacts): GatewayContext {
  return { ...facts, kind: 'gateway', scopes: new Map(), actor: {} };
}

/**
 * Turns a factory into a per-request accessor: the first call in a request creates the value
 * (loaders, services), later calls in the same request get the same one. The factory is the
 * memo key, so it must be created once, at module level: this wrapper makes that so.
 */
export function perRequest<T>(create: (ctx: HubContext) => T): (ctx: HubContext) => T {
  return (ctx) => {
    let value = ctx.memo.get(create) as T | undefined;
    if (value === undefined) {
      value = create(ctx);
      ctx.memo.set(create, value);
    }
    return value;
  };
}
