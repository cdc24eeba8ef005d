import type { Response } from 'express';
import { ErrorCode, type HubError } from '../errors';

const STATUS: Record<string, number> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
};

/** An expected failure of a file route, shaped like a GraphQL error so that clients read both alike. */
export function sendError(res: Response, err: HubError, status?: number) {
  const code = String(err.extensions.code);
  res.status(status ?? STATUS[code] ?? 500).json({ errors: [{ message: err.message, extensions: { code } }] });
}
