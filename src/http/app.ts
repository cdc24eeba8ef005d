import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { HMAC_EXTENSION, verifyHmacSignature } from '../auth/hmac';
import type { DevTokenSigner } from '../auth/token';
import type { VerifyToken } from '../auth/verifier';
import { auditPlugin } from '../audit/audit-plugin';
import { compiledSchema } from '../gateway/compiled-queries';
import { gatewayContext, type RequestContext, type RequestFacts } from '../context';
import type { SubgraphRuntime } from '../subgraphs/runtime';
import { purposePlugin } from '../policy/purpose-plugin';
import { ErrorCode, isDatabaseUnavailable, isExpected, toClientError, unavailable } from '../errors';
import { assistanceRouter } from './assistance-routes';
import { authenticate, type AuthedRequest } from './authenticate';
import { censusRouter } from './census-routes';
import { dashboardRouter } from './dashboard';
import { feedRouter } from './feed-routes';
import { graphiqlRouter } from './graphiql';
import { ARMOR_LIMITS, hideSuggestions, MAX_TOKENS } from './limits';
import { bodyErrors, graphqlBody, observe } from './observe';
import { personaRouter } from './persona';
import { trustedDocumentsMiddleware, type TrustedDocuments } from './trusted-documents';

export interface HttpOptions {
  verifyToken: VerifyToken;
  logger: Logger;
  /**
   * The gateway over the subgraphs running in this process (the hub), or one subgraph served
   * on its own (`hub serve-subgraph`).
   */
  graph: { gateway: GatewayInterface; local: ReadonlyMap<string, SubgraphRuntime> } | { subgraph: SubgraphRuntime };
  /** Serve GraphiQL to browsers at /graphql. */
  graphiql: boolean;
  /** Answer schema introspection (GraphiQL needs it for its docs and completion). */
  introspection: boolean;
  /** Keep graphql-js's "Did you mean" suggestions in error messages (development); dropped otherwise. */
  suggestions?: boolean;
  /**
   * The secret the hub's services sign their requests to each other with (HMAC_SECRET): a
   * subgraph served on its own answers only signed requests; the hub then also serves its
   * subgraphs to services elsewhere.
   */
  hmacSecret?: string;
  /** Operations registered by id (TRUSTED_DOCUMENTS allow or require); absent when off. */
  trustedDocuments?: TrustedDocuments;
  /**
   * Signs development tokens for the persona bar of GraphiQL and the dashboard (POST /dev/token);
   * absent, as in production or with a configured key set, there is no such endpoint.
   */
  devTokens?: DevTokenSigner;
}

export interface HubHttp {
  app: express.Express;
  stop(): Promise<void>;
}

const unavailableError = () => {
  const { message, extensions } = unavailable();
  return { message, extensions };
};

/**
 * A subgraph with a secret answers only its router: the request must carry Hive Gateway's
 * upstream signature. Routers sign POST bodies, so anything else is unsigned.
 */
function requireSignature(secret: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    const body = req.method === 'POST' ? req.body : undefined;
    const signature = body?.extensions?.[HMAC_EXTENSION];
    if (verifyHmacSignature(secret, body ?? {}, signature)) return next();
    res.status(403).json({
      errors: [
        {
          message:
            signature === undefined
              ? 'This subgraph answers only requests signed by its router (no HMAC signature)'
              : 'The HMAC signature does not match the request',
          extensions: { code: ErrorCode.FORBIDDEN },
        },
      ],
    });
  };
}

/** Unexpected errors are logged here, with the request id; clients get no details. A database outage is a 503. */
function errorLogging(logger: Logger): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async willSendResponse({ response }) {
          // A database outage is a 503 with Retry-After, which load balancers and clients understand.
          const body = response.body;
          const errors = body.kind === 'single' ? body.singleResult.errors : undefined;
          if (errors?.some((e) => e.extensions?.code === ErrorCode.SERVICE_UNAVAILABLE)) {
            response.http.status = 503;
            response.http.headers.set('retry-after', '5');
          }
        },
        async didEncounterErrors({ errors }) {
          for (const err of errors) {
            if (!isExpected(err)) {
              logger.error({ err: err.originalError ?? err, requestId: contextValue.requestId }, 'unexpected error');
            }
          }
        },
      };
    },
  };
}

export type GraphServerOptions = Pick<
  HttpOptions,
  'logger' | 'graph' | 'introspection' | 'suggestions' | 'trustedDocuments'
>;

/**
 * The GraphQL server with the hub's plugins (purpose, audit, error handling, limits), started.
 * HTTP serves it; the file routes and commands run their operations through it
 * (executeOperation), so that they meet exactly the checks and audit of the API.
 */
export async function createGraphServer(options: GraphServerOptions): Promise<ApolloServer<RequestContext>> {
  const { logger, graph, trustedDocuments } = options;
  const armor = new ApolloArmor(ARMOR_LIMITS).protect();
  const apollo = new ApolloServer<RequestContext>({
    ...('gateway' in graph ? { gateway: graph.gateway } : { gateway: compiledSchema(graph.subgraph.schema) }),
    validationRules: armor.validationRules,
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: MAX_TOKENS },
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => {
      const client = toClientError(isDatabaseUnavailable(error) ? { ...formatted, ...unavailableError() } : formatted);
      return (
        options.suggestions ? client : { ...client, message: hideSuggestions(client.message) }
      ) as GraphQLFormattedError;
    },
    introspection: options.introspection,
    // With trusted documents the manifest is the only source of ids.
    ...(trustedDocuments ? { persistedQueries: false as const } : {}),
    // Bearer tokens, no cookies: a cross-site request cannot act for anyone.
    csrfPrevention: false,
    // The hub orders its own shutdown (src/hub.ts); Apollo's would re-raise the signal first.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // Federated traces are for Apollo Studio, which the hub does not report to.
      ApolloServerPluginInlineTraceDisabled(),
      errorLogging(logger),
      purposePlugin(),
      auditPlugin(
        logger,
        'gateway' in graph ? { gateway: true, local: graph.local } : { gateway: false, subgraph: graph.subgraph },
      ),
      ...armor.plugins,
    ],
  });
  await apollo.start();
  return apollo;
}

/** The context a request of `facts`' caller starts with: the gateway's, or the one subgraph's. */
export const requestContext = (graph: HttpOptions['graph'], facts: RequestFacts): RequestContext =>
  'gateway' in graph ? gatewayContext(facts) : graph.subgraph.contextFor(facts);

export async function createHttpApp(options: HttpOptions): Promise<HubHttp> {
  const { verifyToken, logger, graph, trustedDocuments } = options;
  const local = 'gateway' in graph ? graph.local : new Map([[graph.subgraph.name, graph.subgraph]]);
  const apollo = await createGraphServer(options);

  const stops: (() => Promise<void>)[] = [];
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  observe(app, logger);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      // Answers within two seconds whatever the database does: a probe must not hang.
      await Promise.race([
        Promise.all([...local.values()].map((runtime) => runtime.orm.em.getConnection().execute('select 1'))),
        new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 2 s')), 2_000).unref()),
      ]);
      res.json({ status: 'ready' });
    } catch (err) {
      logger.warn({ err }, 'database not reachable');
      res.status(503).json({ status: 'not ready', reason: 'database unreachable' });
    }
  });
  const personas = options.devTokens !== undefined;
  if (options.devTokens) app.use(personaRouter(options.devTokens));
  if (options.graphiql) app.use(graphiqlRouter(personas));
  // The statistics dashboard is part of the hub (production too); a subgraph served alone has none.
  if ('gateway' in graph) app.use(dashboardRouter(personas));
  // The census ledger's files, where the registry subgraph runs (it owns the ledger).
  const registry = local.get('registry');
  if (registry) app.use(censusRouter(registry, verifyToken));
  // Enterprises' files, where the enterprise subgraph runs: as the reportAssistanceBatch mutation.
  if (local.has('enterprise')) {
    app.use(assistanceRouter({ server: apollo, verifyToken, contextFor: (facts) => requestContext(graph, facts) }));
  }
  if (options.hmacSecret) {
    if ('subgraph' in graph) app.use(feedRouter(graph.subgraph, options.hmacSecret));
    else {
      // Subgraphs served elsewhere (SUBGRAPH_URLS) reach those of this process as peers: each at
      // /subgraphs/<name>/graphql, with its feeds beside it, signed requests only.
      for (const runtime of local.values()) {
        const sub = await createHttpApp({
          ...options,
          graph: { subgraph: runtime },
          graphiql: false,
          devTokens: undefined,
        });
        app.use(`/subgraphs/${runtime.name}`, sub.app);
        stops.push(sub.stop);
      }
    }
  }
  app.use(
    '/graphql',
    // The token first: an anonymous caller gets 401 before the server parses a body for it.
    authenticate(verifyToken),
    graphqlBody,
    ...(options.hmacSecret && 'subgraph' in graph ? [requireSignature(options.hmacSecret)] : []),
    ...(trustedDocuments ? [trustedDocumentsMiddleware(trustedDocuments)] : []),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const r = req as AuthedRequest;
        const purposeHeader = req.headers['x-purpose'];
        const purpose =
          (typeof purposeHeader === 'string' ? purposeHeader : undefined) ?? req.body?.extensions?.purpose ?? null;
        const facts: RequestFacts = { principal: r.principal!, token: r.token!, requestId: String(r.id), purpose };
        return requestContext(graph, facts);
      },
    }),
  );
  app.use(bodyErrors);

  return { app, stop: () => Promise.all([apollo.stop(), ...stops.map((stop) => stop())]).then(() => undefined) };
}
