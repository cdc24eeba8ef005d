import { EnvelopArmor } from '@escape.tech/graphql-armor';
import {
  createGatewayRuntime,
  Logger,
  type GatewayPlugin,
  type GatewayRuntime,
  type LogLevel,
} from '@graphql-hive/gateway-runtime';
import * as httpTransport from '@graphql-mesh/transport-http';
import { defaultPrintFn } from '@graphql-tools/executor-common';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import { getOperationAST, GraphQLError, type ValidationContext } from 'graphql';
import type { Logger as PinoLogger } from 'pino';
import { AUDIT_UNAVAILABLE, OPERATION_NAME_HEADER } from '../audit/audit-plugin';
import { HMAC_EXTENSION, hmacSignature } from '../auth/hmac';
import { authenticateBearer, type VerifyToken } from '../auth/verifier';
import { ErrorCode } from '../errors';
import { ARMOR_LIMITS, hideSuggestions, MAX_TOKENS } from '../http/limits';
import { purposeRefusal } from '../policy/purpose-plugin';
import { REFUSALS, refusalError, requestedDocumentId, type TrustedDocuments } from '../http/trusted-documents';
import { checkSubgraphNames } from '../subgraphs';
import { asHubAnswer } from './hive-engine';

export interface RouterOptions {
  supergraphSdl: string;
  /** Where each subgraph is served, overriding the supergraph's URLs: name → URL. */
  subgraphUrls: Record<string, string>;
  /** Signs every subgraph request (the subgraphs check it); required in production. */
  hmacSecret?: string;
  trustedDocuments?: TrustedDocuments;
  /** Refuses callers without a valid token before planning; the subgraphs verify it again. */
  verifyToken: VerifyToken;
  introspection: boolean;
  /** Keep "Did you mean" suggestions in error messages (development); dropped otherwise. */
  suggestions?: boolean;
  logger: PinoLogger;
  /** Who plans queries: Hive Gateway's JavaScript planner (default), or Hive Router's Rust planner. */
  planner?: QueryPlanner;
}

export type QueryPlanner = 'js' | 'rust';

const GRAPHQL_PATH = '/graphql';

/** Headers the router passes on: the subgraphs verify the token, log the purpose and the request id themselves. */
const FORWARDED_HEADERS = ['authorization', 'x-purpose', 'x-request-id'];

/**
 * The hub's limits, applied before planning. Rejections are reported as validation errors
 * (GRAPHQL_VALIDATION_FAILED), as ApolloArmor reports them in the hub; graphql-armor counts
 * tokens itself here, while parsing.
 */
const asValidationError = {
  propagateOnRejection: false,
  onReject: [(ctx: ValidationContext | null, error: GraphQLError) => ctx?.reportError(error)],
};
const ROUTER_LIMITS = {
  ...ARMOR_LIMITS,
  maxDepth: { ...ARMOR_LIMITS.maxDepth, ...asValidationError },
  maxAliases: { ...ARMOR_LIMITS.maxAliases, ...asValidationError },
  maxDirectives: { ...ARMOR_LIMITS.maxDirectives, ...asValidationError },
  costLimit: { ...ARMOR_LIMITS.costLimit, ...asValidationError },
  maxTokens: { n: MAX_TOKENS },
};

/** As in the hub: no "Did you mean" in any error a client gets, whichever phase raised it. */
const noSuggestions: GatewayPlugin = {
  onResultProcess({ result }) {
    if (Symbol.asyncIterator in result) return;
    for (const { errors } of Array.isArray(result) ? result : [result]) {
      for (const error of errors ?? []) (error as { message: string }).message = hideSuggestions(error.message);
    }
  },
};

/** A client's error with the code the hub in one process gives it. */
function withCode(error: GraphQLError, code: string, message = error.message): GraphQLError {
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}

const REQUEST_ERRORS = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', ErrorCode.BAD_USER_INPUT]);

/**
 * The error codes clients of the hub rely on, whichever topology answers: a query that does
 * not parse, one that does not validate, variables that do not fit (Apollo Server's codes and
 * its 400, where Hive Gateway gives none).
 */
const errorCodes: GatewayPlugin = {
  onParse() {
    return ({ result, replaceParseResult }) => {
      if (!(result instanceof GraphQLError)) return;
      // graphql-armor's token count, worded as graphql-js words the hub's own.
      const tokens = /^Syntax Error: Token limit of (\d+) exceeded\.$/.exec(result.message);
      const message = tokens
        ? `Syntax Error: Document contains more than ${tokens[1]} tokens. Parsing aborted.`
        : result.message;
      replaceParseResult(withCode(result, 'GRAPHQL_PARSE_FAILED', message));
    };
  },
  onValidate() {
    return ({ result, setResult }) => {
      if (result.some((e) => !e.extensions?.code))
        setResult(result.map((e) => (e.extensions?.code ? e : withCode(e, 'GRAPHQL_VALIDATION_FAILED'))));
    };
  },
  onResultProcess({ result: received, setResult }) {
    if (Symbol.asyncIterator in received || Array.isArray(received)) return;
    const result = asHubAnswer(received);
    // A subgraph that could not record its read answered nothing: neither does the hub, as in one process.
    const unaudited = result.errors?.find((e) => e.message === AUDIT_UNAVAILABLE);
    if (unaudited) {
      setResult({ errors: [unaudited], extensions: { http: { status: 503 } } });
      return;
    }
    if ('data' in result) {
      if (result !== received) setResult(result);
      return;
    }
    // A request that never ran (no `data` at all) is the client's fault: 400, as in one process.
    if (result.errors?.some((e) => REQUEST_ERRORS.has(String(e.extensions?.code))))
      setResult({ ...result, extensions: { ...result.extensions, http: { status: 400 } } });
  },
};

/** What the router knows of a request besides Hive Gateway's context. */
interface RouterContext {
  request: Request;
  /** The client's operation name, passed to the subgraphs for their audit events. */
  operationName?: string;
}

/** As in the hub: a request that can reach personal data declares its purpose, or nothing runs. */
const purposeCheck: GatewayPlugin = {
  onExecute({ args, setResultAndStopExecution }) {
    const purpose = (args.contextValue as RouterContext).request.headers.get('x-purpose');
    const refusal = purposeRefusal(purpose, getOperationAST(args.document, args.operationName), args.document);
    if (refusal) setResultAndStopExecution({ errors: [refusal] });
  },
};

/** The client's operation's name, noted for the subgraphs' audit events: the Rust planner sends them anonymous operations. */
const operationName: GatewayPlugin = {
  onExecute({ args }) {
    (args.contextValue as RouterContext).operationName = getOperationAST(args.document, args.operationName)?.name
      ?.value;
  },
};

/**
 * Signs every subgraph request as Hive Gateway's `hmacSignature` option does (the same extension
 * over the same content: the query as its HTTP executor prints it, and the variables), with
 * Node's HMAC on a key made once instead of its WebCrypto signing, which awaited a signature
 * per request and cost the router a twentieth of its CPU.
 */
function signSubgraphRequests(secret: string): GatewayPlugin {
  return {
    onSubgraphExecute({ executionRequest }) {
      const { document, variables } = executionRequest;
      const signature = hmacSignature(secret, { query: defaultPrintFn(document), variables });
      executionRequest.extensions = { ...executionRequest.extensions, [HMAC_EXTENSION]: signature };
    },
  };
}

/** Hive Gateway logs through the hub's pino logger, so both topologies log the same JSON. */
function hiveLogger(logger: PinoLogger): Logger {
  const level = logger.level === 'silent' ? false : logger.level === 'fatal' ? 'error' : (logger.level as LogLevel);
  return new Logger({
    level,
    writers: [
      {
        write(level, attrs, msg) {
          logger[level](Array.isArray(attrs) ? { attrs } : (attrs ?? {}), msg ?? '');
        },
      },
    ],
  });
}

/** As in the hub: a request to /graphql without a valid bearer token is 401 before any work. */
function authenticate(verifyToken: VerifyToken): GatewayPlugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== GRAPHQL_PATH) return;
      const caller = await authenticateBearer(verifyToken, request.headers.get('authorization'));
      if (!('refused' in caller)) return;
      const body = { errors: [{ message: caller.refused, extensions: { code: ErrorCode.UNAUTHENTICATED } }] };
      endResponse(
        new fetchAPI.Response(JSON.stringify(body), {
          status: 401,
          headers: { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': 'Bearer' },
        }),
      );
    },
  };
}

/**
 * The scaled-out topology: Hive Gateway (The Guild's federation router, MIT) serving the
 * committed supergraph, every subgraph a separate service (`hub serve-subgraph`). The router
 * checks the caller's token only to refuse anonymous work early, and forwards it: each
 * subgraph verifies it and applies the permission table itself, as it does behind the
 * in-process gateway.
 */
export function createRouter(options: RouterOptions): GatewayRuntime {
  const { subgraphUrls, hmacSecret, trustedDocuments } = options;
  checkSubgraphNames(subgraphUrls);
  return createGatewayRuntime({
    supergraph: () => options.supergraphSdl,
    transports: { http: httpTransport },
    ...(options.planner === 'rust' ? { unifiedGraphHandler } : {}),
    transportEntries: Object.fromEntries(
      Object.entries(subgraphUrls).map(([name, url]) => [
        name,
        // Hive Gateway's HTTP executor shares one subgraph answer among identical requests in
        // flight (same body and headers: one token, the same or no request id), so the subgraph
        // saw and recorded one read where callers made several; and it copies every answer
        // (structuredClone) to do so. Every read goes to the subgraph.
        { location: url, options: { deduplicateInflightRequests: false } },
      ]),
    ),
    propagateHeaders: {
      fromClientToSubgraphs: ({ request, context }) => ({
        ...Object.fromEntries(FORWARDED_HEADERS.map((name) => [name, request.headers.get(name)])),
        [OPERATION_NAME_HEADER]: (context as Partial<RouterContext>).operationName,
      }),
    },
    ...(trustedDocuments
      ? {
          persistedDocuments: {
            getPersistedOperation: (id: string) => trustedDocuments.document(id) ?? null,
            // Yoga keeps a POST body's documentId; from a GET it keeps only the standard parameters.
            extractPersistedOperationId: (params, request) => {
              const documentId =
                request.method === 'GET'
                  ? new URL(request.url).searchParams.get('documentId')
                  : (params as { documentId?: unknown }).documentId;
              return requestedDocumentId(documentId, params.extensions?.persistedQuery) ?? null;
            },
            allowArbitraryDocuments: trustedDocuments.mode === 'allow',
            customErrors: {
              notFound: () => refusalError(REFUSALS.notFound),
              persistedQueryOnly: () => refusalError(REFUSALS.freeText),
              keyNotFound: () => refusalError(REFUSALS.noDocument),
            },
          },
        }
      : {}),
    plugins: () => [
      authenticate(options.verifyToken),
      errorCodes,
      purposeCheck,
      operationName,
      ...(hmacSecret ? [signSubgraphRequests(hmacSecret)] : []),
      ...new EnvelopArmor(ROUTER_LIMITS).protect().plugins,
      ...(options.suggestions ? [] : [noSuggestions]),
    ],
    ...(options.introspection ? {} : { disableIntrospection: {} }),
    // The hub serves its own offline GraphiQL; the router's would load from a CDN.
    graphiql: false,
    landingPage: false,
    graphqlEndpoint: GRAPHQL_PATH,
    healthCheckEndpoint: '/healthz',
    readinessCheckEndpoint: '/readyz',
    logging: hiveLogger(options.logger),
  });
}
