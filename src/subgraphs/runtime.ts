import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import { accessRecord } from '../audit/access-record';
import { actorOf, EventWriter } from '../audit/audit-log';
import { auditActorOf, setAuditActor } from '../audit/audit-trail';
import type { IdentityHash } from '../auth/identity-hash';
import type { Clock } from '../clock';
import type { GatewayContext, HubContext, RequestFacts } from '../context';
import type { SubgraphData } from '../db/database';
import { numbered, runStatement } from '../db/statement';
import { FeedSource } from '../events/feed';
import { developmentWebhookSettings, type WebhookSettings } from '../http/webhook-settings';
import { followChild, followingTables } from '../events/follow-child';
import { onEvents, Relay, type Subscription } from '../events/relay';
import type { LocalSubgraph, Peers } from '../peers/peers';
import { scopeToEnterprise } from '../policy/enterprise-scope';
import { scopedEntityManager } from '../policy/jurisdiction';
import { buildSubgraph } from './subgraph';

/** The subgraph that owns the child record, and publishes its moves. */
const REGISTRY = 'registry';

export interface RuntimeOptions {
  identityHash: IdentityHash;
  clock: Clock;
  /** Webhook keys and targets (casework); a fresh development key when not given. */
  webhooks?: WebhookSettings;
  peers: Peers;
  /** The executable schema; built from the definition unless given (the benchmark measures the permission layer). */
  schema?: GraphQLSchema;
}

/**
 * A subgraph running in this process: its schema, its database (as its own role), its feeds,
 * and the contexts its resolvers run in. Served behind the in-process gateway, on its own over
 * HTTP, or both.
 */
export class SubgraphRuntime implements LocalSubgraph {
  readonly schema: GraphQLSchema;
  readonly feeds: FeedSource;
  /** Read events of its requests, written to its own audit chain (group commit). */
  readonly reads: EventWriter;
  private relays: Relay[] = [];

  constructor(
    readonly data: SubgraphData,
    private readonly options: RuntimeOptions,
  ) {
    const { def, orm, signal } = data;
    this.schema = options.schema ?? buildSubgraph(def);
    this.feeds = new FeedSource(orm, def.schema);
    signal.source = this.feeds;
    // Parameters, not literals: MikroORM's execute would escape each event's payload into the SQL text.
    this.reads = new EventWriter(
      (sql, params) => runStatement(orm.em, { text: numbered(sql) }, params),
      def.schema,
      () => this.feeds.changed('audit'),
    );
  }

  get name(): string {
    return this.data.def.name;
  }

  get orm() {
    return this.data.orm;
  }

  get peers(): Peers {
    return this.options.peers;
  }

  /** The webhook settings its contexts carry: the configured ones, or one development key for its life. */
  get webhooks(): WebhookSettings {
    return (this.options.webhooks ??= developmentWebhookSettings());
  }

  /** A context of this subgraph for one request of `facts`' caller, scoped to their jurisdiction (and enterprise). */
  contextFor({ principal, purpose, requestId, token }: RequestFacts): HubContext {
    const em = scopeToEnterprise(scopedEntityManager(this.orm.em, principal.region), principal);
    const { identityHash, clock, peers } = this.options;
    const webhooks = this.webhooks;
    return {
      kind: 'subgraph',
      subgraph: this.name,
      principal,
      purpose,
      requestId,
      token,
      em,
      identityHash,
      clock,
      peers,
      webhooks,
      memo: new Map(),
    };
  }

  /** This subgraph's context within a request of the in-process gateway: made once per request. */
  contextIn(request: GatewayContext): HubContext {
    let ctx = request.scopes.get(this.name);
    if (!ctx) {
      ctx = { ...this.contextFor(request), request };
      if (request.actor.current) setAuditActor(ctx.em, request.actor.current);
      request.scopes.set(this.name, ctx);
    }
    return ctx;
  }

  /** Writes what `ctx`'s request read of this subgraph's personal data to its audit chain, if anything. */
  async recordReads(ctx: HubContext): Promise<void> {
    const record = accessRecord(ctx);
    if (!record.fields.size) return;
    await this.reads.append({
      at: new Date().toISOString(),
      kind: 'READ',
      actor: actorOf(ctx.principal),
      purpose: ctx.purpose,
      requestId: ctx.requestId,
      operation: auditActorOf(ctx.em).operation,
      children: [...record.children].sort(),
      fields: [...record.fields].sort(),
      changes: [],
    });
  }

  /**
   * What it follows: the events its definition acts on, the registry's moves of children it keeps
   * records about, and the feeds it subscribes to (`subgraphs`: every subgraph's name).
   */
  subscriptions(subgraphs: readonly string[]): Subscription[] {
    const { def, orm } = this.data;
    const events = { ...def.events };
    if (def.name !== REGISTRY && followingTables(orm.em).length) {
      events[REGISTRY] = { ChildMoved: followChild(), ...events[REGISTRY] };
    }
    return [
      ...Object.entries(events).map(([source, handlers]) => onEvents(source, handlers)),
      ...(def.subscriptions?.(subgraphs) ?? []),
    ];
  }

  /** Starts following what `subscriptions` names (or standing by, where a replica follows it). */
  follow(subgraphs: readonly string[], logger: Pick<Logger, 'warn'>): void {
    const { def, orm } = this.data;
    for (const subscription of this.subscriptions(subgraphs)) {
      const relay = new Relay(orm, def.schema, subscription, this.peers.of(subscription.source), logger);
      relay.start();
      this.relays.push(relay);
    }
  }

  /** Waits until it has applied everything the feeds it follows hold now. */
  async settle(): Promise<void> {
    await Promise.all(this.relays.map((r) => r.settle()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.relays.map((r) => r.stop()));
    this.relays = [];
  }
}
