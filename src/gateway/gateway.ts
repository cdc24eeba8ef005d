import {
  ApolloGateway,
  LocalGraphQLDataSource,
  RemoteGraphQLDataSource,
  type GraphQLDataSourceProcessOptions,
} from '@apollo/gateway';
import { GraphQLError, parse, validate, type DocumentNode, type ExecutionResult } from 'graphql';
import { HMAC_EXTENSION, hmacSignature } from '../auth/hmac';
import { isDatabaseUnavailable, unavailable } from '../errors';
import type { GatewayContext } from '../context';
import { checkSubgraphNames } from '../subgraphs';
import { COMPILE_AFTER, CompiledQueries } from './compiled-queries';
import type { SubgraphRuntime } from '../subgraphs/runtime';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import { hiveEngine } from './hive-engine';
import type { QueryPlanner } from './router';

/**
 * A subgraph served over HTTP. @apollo/gateway forwards nothing by itself: the caller's token
 * goes along so the subgraph verifies it and applies the same permissions; the request id
 * and purpose go along for its logs. With a secret, each request is signed as Hive Gateway
 * signs it, so one subgraph deployment serves both gateways.
 */
export class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly hmacSecret?: string,
  ) {
    super({ url });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
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
 * A subgraph in this process, run in its own context of the request (its database, its
 * loaders), whichever engine planned the query. Each query text is parsed and validated once,
 * and run by `CompiledQueries`. Only queries a gateway's planner wrote, from validated client
 * operations, reach it.
 */
export class LocalQueryRunner {
  private readonly documents = new Map<string, DocumentNode>();
  private readonly queries: CompiledQueries;

  constructor(
    readonly runtime: SubgraphRuntime,
    compileAfter = COMPILE_AFTER,
  ) {
    this.queries = new CompiledQueries(runtime.schema, compileAfter);
  }

  async run(
    source: string,
    gatewayContext: GatewayContext,
    variables: Record<string, unknown> | undefined,
    operationName: string | null | undefined,
  ): Promise<ExecutionResult> {
    const context = this.runtime.contextIn(gatewayContext);
    let document = this.documents.get(source);
    if (!document) {
      try {
        document = parse(source);
      } catch (err) {
        return { errors: [err as GraphQLError] };
      }
      const errors = validate(this.runtime.schema, document);
      if (errors.length) return { errors };
      if (this.documents.size >= 1_000) this.documents.clear();
      this.documents.set(source, document);
    }
    const result = await this.queries.run(source, document, context, variables, operationName);
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

/** A subgraph in this process as Apollo Gateway calls it (Apollo's own would parse, validate and interpret every fetch). */
class LocalDataSource extends LocalGraphQLDataSource<GatewayContext> {
  constructor(private readonly queries: LocalQueryRunner) {
    super(queries.runtime.schema);
  }

  override process({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    return this.queries.run(request.query ?? '', context as GatewayContext, request.variables, request.operationName);
  }
}

/** Who plans and merges a request over the subgraphs in this process: Apollo Gateway, or Hive Gateway's engine (the router's). */
export type GatewayEngine = 'apollo' | 'hive';

export interface GatewayOptions {
  supergraphSdl: string;
  /** The subgraphs running in this process, by name. */
  local: ReadonlyMap<string, SubgraphRuntime>;
  /** Subgraphs served elsewhere: name → URL (those not running here). */
  remote?: Record<string, string>;
  /** Signs requests to the remote subgraphs (HMAC_SECRET). */
  hmacSecret?: string;
  /** Runs of a query before an in-process subgraph compiles it (COMPILE_AFTER); tests compile at once. */
  compileAfter?: number;
  /** Apollo Gateway by default. Hive Gateway's engine runs only subgraphs in this process: remote ones go through the router. */
  engine?: GatewayEngine;
  /** Hive Gateway's planner: its own JavaScript one or Hive Router's Rust one. */
  planner?: QueryPlanner;
}

export function createGateway({
  supergraphSdl,
  local,
  remote = {},
  hmacSecret,
  compileAfter,
  engine = 'apollo',
  planner = 'js',
}: GatewayOptions): GatewayInterface {
  checkSubgraphNames(remote);
  const runners = new Map<string, LocalQueryRunner>();
  const runnerOf = (name: string) => {
    let runner = runners.get(name);
    if (!runner) {
      const runtime = local.get(name);
      if (!runtime) throw new Error(`Subgraph "${name}" runs neither in this process nor at a URL in SUBGRAPH_URLS`);
      runners.set(name, (runner = new LocalQueryRunner(runtime, compileAfter)));
    }
    return runner;
  };
  if (engine === 'hive') {
    if (Object.keys(remote).length) {
      throw new Error('Hive Gateway in process runs every subgraph here: remote ones go through the router');
    }
    return hiveEngine(supergraphSdl, planner, (name, source, context, variables, operationName) =>
      runnerOf(name).run(source, context, variables, operationName),
    );
  }
  return new ApolloGateway({
    supergraphSdl,
    buildService: ({ name }) =>
      remote[name] ? new ForwardingDataSource(remote[name], hmacSecret) : new LocalDataSource(runnerOf(name)),
  });
}
