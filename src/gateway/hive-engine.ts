import type { GatewayInterface } from '@apollo/server-gateway-interface';
import { LegacyLogger, Logger } from '@graphql-hive/logger';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import { UnifiedGraphManager } from '@graphql-mesh/fusion-runtime';
import { createDefaultExecutor } from '@graphql-mesh/transport-common';
import type { ExecutionRequest, Executor } from '@graphql-tools/utils';
import { GraphQLError, print, type DocumentNode, type ExecutionResult } from 'graphql';
import { ErrorCode } from '../errors';
import type { GatewayContext } from '../context';
import { fixedGateway } from './compiled-queries';
import type { QueryPlanner } from './router';

/** Runs a query the planner wrote (`source`) on the subgraph `name` in this process. */
export type LocalRun = (
  name: string,
  source: string,
  context: GatewayContext,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
) => Promise<ExecutionResult>;

/**
 * Hive Gateway's answer worded as the hub's is, in the router and in this process: variables
 * that do not fit are the client's fault (BAD_USER_INPUT, where Hive Gateway gives no code), and
 * a request that failed as a whole in a resolver has `data: null` (the Rust planner leaves it out).
 */
export function asHubAnswer<T extends { data?: unknown; errors?: readonly GraphQLError[] }>(result: T): T {
  for (const error of result.errors ?? []) {
    if (!error.extensions?.code && error.message.startsWith('Variable "$')) {
      (error as { extensions: Record<string, unknown> }).extensions = {
        ...error.extensions,
        code: ErrorCode.BAD_USER_INPUT,
      };
    }
  }
  return !('data' in result) && result.errors?.some((e) => e.path) ? { data: null, ...result } : result;
}

/**
 * Hive Gateway's engine (the router's) planning and merging in this process, behind Apollo
 * Server's gateway interface: Apollo Server parses, validates and runs the hub's plugins as
 * with Apollo Gateway, and each subgraph runs in this process as it does behind Apollo Gateway.
 */
export function hiveEngine(supergraphSdl: string, planner: QueryPlanner, run: LocalRun): GatewayInterface {
  const printed = new WeakMap<DocumentNode, string>();
  const textOf = (document: DocumentNode) => {
    let text = printed.get(document);
    if (text === undefined) printed.set(document, (text = print(document)));
    return text;
  };
  const log = new Logger({ level: false });
  const transportContext = { log, logger: LegacyLogger.from(log) };
  const manager = new UnifiedGraphManager<GatewayContext>({
    getUnifiedGraph: () => supergraphSdl,
    ...(planner === 'rust' ? { handleUnifiedGraph: unifiedGraphHandler } : {}),
    transportContext,
    transports: () => ({
      // Executor is generic in the result's data, which a subgraph's answer cannot be typed to.
      getSubgraphExecutor: ({ subgraphName }: { subgraphName: string }) =>
        (async ({ document, context, variables, operationName }: ExecutionRequest) => {
          const result = await run(subgraphName, textOf(document), context as GatewayContext, variables, operationName);
          // As Apollo Gateway does: a subgraph's error names the subgraph. A compiled query's
          // error (graphql-jit) of an unexpected failure has no extensions, and cannot be given
          // any: it is reworded as graphql-js's, keeping the failure itself for the log.
          return result.errors
            ? {
                ...result,
                errors: result.errors.map(
                  (error) =>
                    new GraphQLError(error.message, {
                      path: error.path,
                      originalError: error.originalError ?? error,
                      extensions: { ...error.extensions, serviceName: subgraphName },
                    }),
                ),
              }
            : result;
        }) as Executor,
    }),
  });
  return fixedGateway(
    async () => {
      const schema = await manager.getUnifiedGraph();
      // The Rust planner brings its own executor; the JavaScript one runs the schema's resolvers.
      const execute = (await manager.getExecutor()) ?? createDefaultExecutor(schema);
      return {
        apiSchema: schema,
        coreSupergraphSdl: supergraphSdl,
        executor: async ({ document, request, operationName, context }) => {
          let result: ExecutionResult;
          try {
            result = (await execute({
              document,
              variables: request.variables,
              operationName: operationName ?? undefined,
              context: await manager.getContext(context),
            })) as ExecutionResult;
          } catch (err) {
            // The Rust planner throws the variables' errors instead of answering them.
            if (!(err instanceof GraphQLError)) throw err;
            result = { errors: [err] };
          }
          return asHubAnswer(result);
        },
      };
    },
    () => manager[Symbol.asyncDispose](),
  );
}
