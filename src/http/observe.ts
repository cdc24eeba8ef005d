import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { workingCalendar } from '../calendar/calendars';

const REQUEST_ID = /^[\w.-]{1,64}$/;

/**
 * What every front door of the hub does to each request, in one process or in front of the
 * subgraph services: a request id (a well-formed incoming one kept, else a fresh one, echoed
 * in `x-request-id`), a JSON log line, and its duration in `GET /metrics` (Prometheus), beside
 * how long the working calendar still lasts.
 */
export function observe(app: express.Express, logger: Logger): void {
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route', 'status'],
    registers: [metrics],
  });
  new Gauge({
    name: 'hub_working_calendar_days_left',
    help:
      "Days the working calendar's State Council notices still cover, today counted (0: past its last day, " +
      'working-day deadlines and school days are refused until the next notice is added)',
    registers: [metrics],
    collect() {
      this.set(workingCalendar().daysLeft(new Date()));
    },
  });
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      serializers: {
        req: (req) => ({ id: req.id, method: req.method, url: req.url?.split('?')[0] }),
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    }),
  );
  app.use((req, res, next) => {
    const end = duration.startTimer({ method: req.method });
    // Label by matched route, never by raw path: unknown paths must not create new series.
    res.on('finish', () => {
      const route = req.route ? `${req.baseUrl}${req.route.path}` : req.baseUrl || 'unmatched';
      end({ route, status: res.statusCode });
    });
    next();
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });
}

/** GraphQL request bodies: JSON of at most 1 MB. */
export const graphqlBody: RequestHandler = express.json({ limit: '1mb' });

/** Malformed JSON and oversized bodies are the client's fault; say so without a stack trace. */
export function bodyErrors(
  err: Error & { status?: number; type?: string },
  req: Request,
  res: Response,
  next: NextFunction,
) {
  void next;
  const status = err.status && err.status < 500 ? err.status : 500;
  if (status === 500) req.log?.error({ err }, 'unhandled error');
  res.status(status).json({
    errors: [
      status === 500
        ? { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }
        : {
            message: err.type === 'entity.too.large' ? 'Request body too large' : 'Malformed request body',
            extensions: { code: 'BAD_REQUEST' },
          },
    ],
  });
}
