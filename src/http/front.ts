import { request as httpRequest } from 'node:http';
import type { GatewayRuntime } from '@graphql-hive/gateway-runtime';
import express, { type Express, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { DevTokenSigner } from '../auth/token';
import { dashboardRouter } from './dashboard';
import { graphiqlRouter } from './graphiql';
import { bodyErrors, graphqlBody, observe } from './observe';
import { personaRouter } from './persona';

export interface FrontOptions {
  /** The federation router (Hive Gateway) over the subgraph services. */
  router: GatewayRuntime;
  graphiql: boolean;
  logger: Logger;
  /** The subgraph services, name → GraphQL URL: asked for readiness. */
  subgraphUrls: Record<string, string>;
  /** Routes beside /graphql that a subgraph serves (file transfers): path prefix → its service's GraphQL URL. */
  routes: Record<string, string>;
  /** Development tokens for the persona bar (POST /dev/token), as in the hub; absent in production. */
  devTokens?: DevTokenSigner;
}

/** Passes a request on to another service as it came, and its answer back as it comes (files stream both ways). */
function forward(req: Request, res: Response, target: URL): void {
  const upstream = httpRequest(
    target,
    { method: req.method, headers: { ...req.headers, host: target.host } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', (err) => {
    req.log?.warn({ err, target: target.origin }, 'subgraph service unreachable');
    if (!res.headersSent)
      res.status(502).json({
        errors: [
          {
            message: 'A service of the hub is unreachable; try again shortly',
            extensions: { code: 'SERVICE_UNAVAILABLE' },
          },
        ],
      });
    else res.destroy();
  });
  req.pipe(upstream);
}

/**
 * The front door of the split topology, on the same port and paths as the hub in one process:
 * GraphiQL and the dashboard, /graphql answered by the federation router over the subgraph
 * services, the file transfers passed to the subgraph that owns them, and /healthz and /readyz
 * (ready when every subgraph service is).
 */
export function createFrontApp(options: FrontOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  observe(app, options.logger);
  // The subgraphs log the front door's request id (the router passes this header on).
  app.use((req, _res, next) => {
    req.headers['x-request-id'] = String(req.id);
    next();
  });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const unready: string[] = [];
    await Promise.all(
      Object.entries(options.subgraphUrls).map(async ([name, url]) => {
        const ok = await fetch(new URL('/readyz', url), { signal: AbortSignal.timeout(2_000) })
          .then((r) => r.ok)
          .catch(() => false);
        if (!ok) unready.push(name);
      }),
    );
    if (unready.length)
      res.status(503).json({ status: 'not ready', reason: `not ready: ${unready.sort().join(', ')}` });
    else res.json({ status: 'ready' });
  });
  const personas = options.devTokens !== undefined;
  if (options.devTokens) app.use(personaRouter(options.devTokens));
  if (options.graphiql) app.use(graphiqlRouter(personas));
  app.use(dashboardRouter(personas));
  for (const [prefix, url] of Object.entries(options.routes)) {
    app.use(prefix, (req, res) => forward(req, res, new URL(req.originalUrl, url)));
  }
  app.all('/graphql', graphqlBody, (req, res) => {
    // The purpose may come in the body's extensions; the subgraphs read it from the header.
    const purpose = req.body?.extensions?.purpose;
    if (!req.headers['x-purpose'] && typeof purpose === 'string') req.headers['x-purpose'] = purpose;
    void options.router(req, res);
  });
  app.use(bodyErrors);
  return app;
}

/** The file transfers beside /graphql, and the subgraph whose service serves each. */
const FILE_ROUTES: Record<string, string> = {
  '/census': 'registry',
  '/exports': 'registry',
  '/enterprise': 'enterprise',
};

/** The front door's routes to subgraph services, given where each is served (name → GraphQL URL). */
export const frontRoutes = (served: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(FILE_ROUTES).map(([prefix, name]) => [prefix, served[name]]));
