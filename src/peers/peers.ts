import { execute, parse, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { HMAC_EXTENSION, hmacSignature } from '../auth/hmac';
import type { GatewayContext, HubContext, RequestFacts } from '../context';
import type { FeedName, FeedRow } from '../events/feed';
import type { FeedTransport } from '../events/relay';

/**
 * Another subgraph as one subgraph may reach it: its own API, run as the caller (so the owner
 * applies the caller's permissions and jurisdiction, and audits the read), and its feeds.
 */
export interface Peer extends FeedTransport {
  execute(ctx: HubContext, query: string, variables?: Record<string, unknown>): Promise<ExecutionResult>;
}

export interface Peers {
  of(name: string): Peer;
}

/** What a peer in this process offers: src/subgraphs/runtime.ts. */
export interface LocalSubgraph {
  schema: GraphQLSchema;
  contextFor(facts: RequestFacts): HubContext;
  contextIn(request: GatewayContext): HubContext;
  recordReads(ctx: HubContext): Promise<void>;
  feeds: {
    read(feed: FeedName, after: string, limit: number, waitMs: number, signal?: AbortSignal): Promise<FeedRow[]>;
    head(feed: FeedName): Promise<string>;
  };
}

const documents = new Map<string, DocumentNode>();
function documentOf(query: string): DocumentNode {
  let document = documents.get(query);
  if (!document) documents.set(query, (document = parse(query)));
  return document;
}

const factsOf = ({ principal, purpose, requestId, token }: RequestFacts): RequestFacts => ({
  principal,
  purpose,
  requestId,
  token,
});

/**
 * A peer in this process: its schema executed with its own context for the caller. Behind the
 * gateway, that is the peer's context of the same request (its loaders are shared, and its reads
 * are audited with the request's); on its own, a context made for the call, audited at once.
 */
export class LocalPeer implements Peer {
  constructor(private readonly subgraph: () => LocalSubgraph) {}

  async execute(ctx: HubContext, query: string, variables: Record<string, unknown> = {}): Promise<ExecutionResult> {
    const peer = this.subgraph();
    const target = ctx.request ? peer.contextIn(ctx.request) : peer.contextFor(factsOf(ctx));
    const result = await execute({
      schema: peer.schema,
      document: documentOf(query),
      contextValue: target,
      variableValues: variables,
    });
    if (!ctx.request) await peer.recordReads(target);
    return result;
  }

  read(feed: FeedName, after: string, limit: number, waitMs: number, signal?: AbortSignal): Promise<FeedRow[]> {
    return this.subgraph().feeds.read(feed, after, limit, waitMs, signal);
  }

  head(feed: FeedName): Promise<string> {
    return this.subgraph().feeds.head(feed);
  }
}

/** Where a subgraph serves a feed: beside its GraphQL endpoint (src/http/feed-routes.ts). */
export const feedUrl = (graphqlUrl: string, feed: FeedName) => new URL(`feeds/${feed}`, graphqlUrl).toString();

/** What a feed request signs, in the router's HMAC scheme (src/auth/hmac.ts). */
export const feedRequest = (feed: FeedName, variables: Record<string, unknown>) => ({
  query: `feed ${feed}`,
  variables,
});

/**
 * A peer served over HTTP: the caller's token goes along (the peer verifies it and applies the
 * caller's permissions), and each request is signed with the shared secret, as the router signs.
 */
export class HttpPeer implements Peer {
  constructor(
    private readonly url: string,
    private readonly hmacSecret?: string,
  ) {}

  private sign(params: { query: string; variables?: Record<string, unknown> }) {
    return this.hmacSecret ? { [HMAC_EXTENSION]: hmacSignature(this.hmacSecret, params) } : {};
  }

  private async post(url: string, body: unknown, headers: Record<string, string>, signal?: AbortSignal) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal,
    });
    const json = (await res.json().catch(() => null)) as unknown;
    if (json === null) throw new Error(`${url} answered ${res.status} without JSON`);
    return { status: res.status, json };
  }

  async execute(ctx: HubContext, query: string, variables: Record<string, unknown> = {}): Promise<ExecutionResult> {
    const headers: Record<string, string> = { authorization: `Bearer ${ctx.token}`, 'x-request-id': ctx.requestId };
    if (ctx.purpose) headers['x-purpose'] = ctx.purpose;
    const { json } = await this.post(
      this.url,
      { query, variables, extensions: this.sign({ query, variables }) },
      headers,
    );
    return json as ExecutionResult;
  }

  private async feed(feed: FeedName, variables: Record<string, unknown>, signal?: AbortSignal) {
    const url = feedUrl(this.url, feed);
    const body = { ...variables, extensions: this.sign(feedRequest(feed, variables)) };
    const { status, json } = await this.post(url, body, {}, signal);
    if (status !== 200) throw new Error(`${url} answered ${status}: ${JSON.stringify(json)}`);
    return json as { rows?: FeedRow[]; head?: string };
  }

  async read(feed: FeedName, after: string, limit: number, waitMs: number, signal?: AbortSignal): Promise<FeedRow[]> {
    return (await this.feed(feed, { after, limit, wait: waitMs }, signal)).rows ?? [];
  }

  async head(feed: FeedName): Promise<string> {
    return (await this.feed(feed, { head: true })).head ?? '0';
  }
}

/** The peers of a process: those it runs itself, and those served elsewhere at a URL. */
export function createPeers(
  local: (name: string) => LocalSubgraph | undefined,
  urlOf: (name: string) => string,
  hmacSecret?: string,
): Peers {
  const known = new Map<string, Peer>();
  const of = (name: string): Peer => {
    let peer = known.get(name);
    if (!peer) {
      peer = local(name) ? new LocalPeer(() => local(name)!) : new HttpPeer(urlOf(name), hmacSecret);
      known.set(name, peer);
    }
    return peer;
  };
  return { of };
}
