import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { IdentityHash } from './auth/identity-hash';
import { developmentWebhookSettings, type WebhookSettings } from './http/webhook-settings';
import { systemClock, type Clock } from './clock';
import type { Principal } from './auth/principal';
import { scopeToEnterprise } from './policy/enterprise-scope';
import { scopedEntityManager } from './policy/jurisdiction';

/**
 * Everything a resolver knows about the request, built once before execution. Apollo hands
 * each operation a shallow copy, so per-request state lives in nested objects (`memo`).
 */
export interface HubContext {
  principal: Principal;
  /** Declared purpose of the request (X-Purpose header or extensions.purpose). */
  purpose: string | null;
  requestId: string;
  /** The caller's bearer token, forwarded to subgraphs served over HTTP. */
  token: string;
  /** An entity manager scoped to the caller's jurisdiction (and enterprise, for enterprise accounts). */
  em: EntityManager;
  /** The server's keyed hash of identity numbers. */
  identityHash: IdentityHash;
  /** Where statutory clocks read the time (a clock tests move). */
  clock: Clock;
  /** The keys webhook secrets are sealed under, and the targets webhooks may call. */
  webhooks: WebhookSettings;
  memo: Map<unknown, unknown>;
}

export interface RequestFacts {
  principal: Principal;
  purpose: string | null;
  requestId: string;
  token: string;
}

export function createContext(
  orm: MikroORM,
  facts: RequestFacts,
  identityHash: IdentityHash,
  clock: Clock = systemClock,
  webhooks: WebhookSettings = developmentWebhookSettings(),
): HubContext {
  const em = scopeToEnterprise(scopedEntityManager(orm.em, facts.principal.region), facts.principal);
  return { ...facts, em, identityHash, clock, webhooks, memo: new Map() };
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
