import type { NextFunction, Request, Response } from 'express';
import type { Principal } from '../auth/principal';
import { authenticateBearer, type VerifyToken } from '../auth/verifier';
import { ErrorCode } from '../errors';

/** A request that passed `authenticate`: the verified caller and its token. */
export type AuthedRequest = Request & { principal?: Principal; token?: string; id?: unknown };

/** Every request through it carries a valid bearer token; anything else is 401 before any work. */
export function authenticate(verifyToken: VerifyToken) {
  return async (req: AuthedRequest, res: Response, next: NextFunction) => {
    try {
      const caller = await authenticateBearer(verifyToken, req.headers.authorization);
      if ('refused' in caller) {
        res
          .status(401)
          .set('WWW-Authenticate', 'Bearer')
          .json({ errors: [{ message: caller.refused, extensions: { code: ErrorCode.UNAUTHENTICATED } }] });
        return;
      }
      req.principal = caller.principal;
      req.token = caller.token;
      next();
    } catch (err) {
      next(err);
    }
  };
}
