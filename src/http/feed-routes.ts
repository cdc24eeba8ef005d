import express, { type Router } from 'express';
import { HMAC_EXTENSION, verifyHmacSignature } from '../auth/hmac';
import { ErrorCode } from '../errors';
import { FEED_PAGE, isFeedName } from '../events/feed';
import { feedRequest } from '../peers/peers';
import type { SubgraphRuntime } from '../subgraphs/runtime';

/** The longest a reader may wait for new rows in one request. */
const MAX_WAIT_MS = 30_000;

/**
 * A subgraph's feeds for the services that follow it (src/events/relay.ts): POST /feeds/events
 * or /feeds/audit with `{ after, limit, wait }` (rows after a position, waiting up to `wait` ms
 * while there are none) or `{ head: true }`. Only requests signed with the shared secret are
 * answered: the rows are for the hub's own services, never for callers of the graph.
 */
export function feedRouter(runtime: SubgraphRuntime, hmacSecret: string): Router {
  const router = express.Router();
  router.post('/feeds/:feed', express.json({ limit: '16kb' }), async (req, res, next) => {
    const { feed } = req.params;
    const { extensions, ...variables } = (req.body ?? {}) as Record<string, unknown>;
    const signature = (extensions as Record<string, unknown> | undefined)?.[HMAC_EXTENSION];
    if (!isFeedName(feed) || !verifyHmacSignature(hmacSecret, feedRequest(feed, variables), signature)) {
      res.status(403).json({
        errors: [
          { message: 'Feeds answer signed requests of the hub only', extensions: { code: ErrorCode.FORBIDDEN } },
        ],
      });
      return;
    }
    try {
      if (variables.head === true) {
        res.json({ head: await runtime.feeds.head(feed) });
        return;
      }
      const after = String(variables.after ?? '0');
      if (!/^\d{1,19}$/.test(after)) {
        res.status(400).json({
          errors: [{ message: 'after: not a feed position', extensions: { code: ErrorCode.BAD_USER_INPUT } }],
        });
        return;
      }
      const limit = Math.min(Math.max(Number(variables.limit) || FEED_PAGE, 1), FEED_PAGE);
      const wait = Math.min(Math.max(Number(variables.wait) || 0, 0), MAX_WAIT_MS);
      const abort = new AbortController();
      res.on('close', () => abort.abort());
      res.json({ rows: await runtime.feeds.read(feed, after, limit, wait, abort.signal) });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
