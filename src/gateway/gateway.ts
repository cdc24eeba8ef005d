import {
  ApolloGateway,
  LocalGraphQLDataSource,
  RemoteGraphQLDataSource,
  type GraphQLDataSourceProcessOptions,
} from '@apollo/gateway';
import { execute, GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { HMAC_EXTENSION, hmacSignature } from '../auth/hmac';
import { isDatabaseUnavailable, unavailable } from '../errors';
import type { HubContext } from '../context';
import { SUBGRAPHS, subgraphNamed } from '../subgraphs';
import { buildSubgraph } from '../subgraphs/subgraph';

/**
 * A subgraph served over HTTP. @apollo/gateway forwards nothing by itself: the caller's token
 * goes along so the subgraph verifies it and applies the same permissions; the request id
 * and purpose go along for its logs. With a secret, each request is signed as Hive Gateway
 * signs it, so one subgraph deployment serves both gateways.
 */
export class ForwardingDataSource extends RemoteGraphQLDataSource<HubContext> {
  constructor(
    url: string,
    private readonly hmacSecret?: string,
  ) {
    super({ url });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<HubContext>) {
    if (this.hmacSecret) {
      request.extensions = { ...request.extensions, [HMAC_EXTENSION]: hmacSignature(this.hmacSecret, request) };
    }
    if (!context?.token) return;
    request.http?.headers.set('authorization', `Bearer ${context.token}`);
    request.http?.headers.set('x-request-id', context.requestId);
    if (context.purpose) request.http?.headers.set('x-purpose', context.purpose);
  }
}

/**
 * A subgraph in this process. Apollo's LocalGraphQLDataSource parses and validates the
 * gateway's query on every fetch; the gateway sends the same few queries over and over, so
 * each is parsed and validated once and then only executed.
 */
export class LocalDataSource extends LocalGraphQLDataSource<HubContext> {
  private readonly documents = new Map<string, DocumentNode>();

  override async process({ request, context }: GraphQLDataSourceProcessOptions<HubContext>) {
    const source = request.query ?? '';
    let document = this.documents.get(source);
    if (!document) {
      try {
        document = parse(source);
      } catch (err) {
        return { errors: [err as GraphQLError] };
      }
      const errors = validate(this.schema, document);
      if (errors.length) return { errors };
      // Query plans come from a bounded set of client operations; the bound is a safety net.
      if (this.documents.size >= 1_000) this.documents.clear();
      this.documents.set(source, document);
    }
    const result = await execute({
      schema: this.schema,
      document,
      contextValue: context,
      variableValues: request.variables,
      operationName: request.operationName,
    });
    // A database that is down is said plainly, with its own code, wherever the error surfaces.
    if (result.errors?.some(isDatabaseUnavailable)) {
      return {
        ...result,
        errors: result.errors.map((e) =>
          isDatabaseUnavailable(e)
            ? new GraphQLError(unavailable().message, { path: e.path, extensions: unavailable().extensions })
            : e,
        ),
      };
    }
    return result;
  }
}

export interface GatewayOptions {
  supergraphSdl: string;
  /** Subgraphs served elsewhere: name → URL. The others run in this process. */
  remote?: Record<string, string>;
  /** Signs requests to the remote subgraphs (HMAC_SECRET). */
  hmacSecret?: string;
  /** Builds an in-process subgraph schema; replaceable only to measure the permission layer. */
  build?: (name: string) => GraphQLSchema;
}

/** A misspelt name in SUBGRAPH_URLS stops the start instead of being ignored. */
export function checkSubgraphNames(urls: Record<string, string>): void {
  const unknown = Object.keys(urls).filter((name) => !SUBGRAPHS.some((s) => s.name === name));
  if (unknown.length) {
    throw new Error(
      `SUBGRAPH_URLS names unknown subgraphs: ${unknown.join(', ')} (known: ${SUBGRAPHS.map((s) => s.name).join(', ')})`,
    );
  }
}

export function createGateway({ supergraphSdl, remote = {}, hmacSecret, build }: GatewayOptions): ApolloGateway {
  checkSubgraphNames(remote);
  const local = (name: string) => (build ? build(name) : buildSubgraph(subgraphNamed(name)));
  return new ApolloGateway({
    supergraphSdl,
    buildService: ({ name }) =>
      remote[name] ? new ForwardingDataSource(remote[name], hmacSecret) : new LocalDataSource(local(name)),
  });
}
