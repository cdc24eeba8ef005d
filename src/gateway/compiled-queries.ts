import type {
  GatewayExecutor,
  GatewayInterface,
  GatewaySchemaLoadOrUpdateCallback,
} from '@apollo/server-gateway-interface';
import { execute, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/** Runs of one query before it is compiled: a query sent once (literals in it) is not worth it. */
export const COMPILE_AFTER = 10;

/** Distinct queries kept at most: plans come from a bounded set of client operations; this is a safety net. */
const KEPT = 1_000;

/**
 * Runs the queries a subgraph is sent. A router sends the same few queries over and over (its
 * plans are cached), so each one that keeps coming is compiled to a function (graphql-jit, as
 * Mercurius does) and from then on only run; until then, and when it cannot be compiled,
 * graphql-js interprets it. Documents reach it parsed and validated.
 */
export class CompiledQueries {
  private readonly known = new Map<string, { runs: number; compiled?: CompiledQuery }>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly compileAfter = COMPILE_AFTER,
  ) {}

  /** Runs `document` (`key` names its text) with `contextValue` and `variables`. */
  run(
    key: string,
    document: DocumentNode,
    contextValue: unknown,
    variables: Record<string, unknown> | undefined,
    operationName: string | null | undefined,
  ): Promise<ExecutionResult> | ExecutionResult {
    let query = this.known.get(key);
    if (!query) {
      if (this.known.size >= KEPT) this.known.clear();
      this.known.set(key, (query = { runs: 0 }));
    }
    if (++query.runs === this.compileAfter) {
      const compiled = compileQuery(this.schema, document, operationName ?? undefined);
      if (isCompiledQuery(compiled)) query.compiled = compiled;
    }
    const variableValues = variables ?? {};
    return query.compiled
      ? query.compiled.query(undefined, contextValue, variableValues)
      : execute({ schema: this.schema, document, contextValue, variableValues, operationName });
  }
}

/**
 * Apollo Server's gateway interface over a schema that is loaded once and never changes: what
 * `load` gives is the API schema Apollo Server validates against and the executor it hands each
 * validated operation to.
 */
export function fixedGateway(
  load: () => Promise<{ apiSchema: GraphQLSchema; coreSupergraphSdl: string; executor: GatewayExecutor }>,
  stop: () => Promise<void> = async () => {},
): GatewayInterface {
  let loaded: GatewaySchemaLoadOrUpdateCallback | undefined;
  return {
    onSchemaLoadOrUpdate(callback) {
      loaded = callback;
      return () => (loaded = undefined);
    },
    async load() {
      const { executor, ...schema } = await load();
      loaded?.(schema);
      return { executor };
    },
    stop,
  };
}

/**
 * A subgraph's schema for Apollo Server, executed by `CompiledQueries` instead of graphql-js
 * alone: Apollo Server parses, validates and runs the plugins as for any schema, and hands the
 * validated document to this executor (Apollo Server's gateway interface, with one fixed schema).
 * With a secret, a subgraph served alone answers only the router's signed requests; without one,
 * the hub's limits (depth, cost, tokens) bound any query it is asked to compile.
 */
export function compiledSchema(schema: GraphQLSchema): GatewayInterface {
  const queries = new CompiledQueries(schema);
  return fixedGateway(async () => ({
    apiSchema: schema,
    coreSupergraphSdl: '',
    executor: async ({ queryHash, document, context, request, operationName }) =>
      queries.run(queryHash, document, context, request.variables, operationName),
  }));
}
