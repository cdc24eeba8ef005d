import {
  ApolloGateway,
  LocalGraphQLDataSource,
  RemoteGraphQLDataSource,
  type GraphQLDataSourceProcessOptions,
} from '@apollo/gateway';
import type { GraphQLSchema } from 'graphql';
import type { HubContext } from '../context';
import { SUBGRAPHS } from '../subgraphs';
import { buildSubgraph } from '../subgraphs/subgraph';

/**
 * A subgraph served over HTTP. @apollo/gateway forwards nothing by itself: the caller's token
 * goes along so the subgraph verifies it and applies the same permissions; the request id
 * and purpose go along for its logs.
 */
export class ForwardingDataSource extends RemoteGraphQLDataSource<HubContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<HubContext>) {
    if (!context?.token) return;
    request.http?.headers.set('authorization', `Bearer ${context.token}`);
    request.http?.headers.set('x-request-id', context.requestId);
    if (context.purpose) request.http?.headers.set('x-purpose', context.purpose);
  }
}

export interface GatewayOptions {
  supergraphSdl: string;
  /** Subgraphs served elsewhere: name → URL. The others run in this process. */
  remote?: Record<string, string>;
  /** Builds an in-process subgraph schema; replaceable only to measure the permission layer. */
  build?: (name: string) => GraphQLSchema;
}

export function createGateway({ supergraphSdl, remote = {}, build }: GatewayOptions): ApolloGateway {
  const unknown = Object.keys(remote).filter((name) => !SUBGRAPHS.some((s) => s.name === name));
  if (unknown.length) {
    throw new Error(
      `SUBGRAPH_URLS names unknown subgraphs: ${unknown.join(', ')} (known: ${SUBGRAPHS.map((s) => s.name).join(', ')})`,
    );
  }
  const local = (name: string) => {
    const def = SUBGRAPHS.find((s) => s.name === name);
    if (!def) throw new Error(`The supergraph names subgraph "${name}", which this hub does not have`);
    return build ? build(name) : buildSubgraph(def);
  };
  return new ApolloGateway({
    supergraphSdl,
    buildService: ({ name }) =>
      remote[name] ? new ForwardingDataSource({ url: remote[name] }) : new LocalGraphQLDataSource(local(name)),
  });
}
