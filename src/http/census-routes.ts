import express, { type Router } from 'express';
import type { VerifyToken } from '../auth/verifier';
import type { RequestFacts } from '../context';
import { formatOf } from '../files/table-file';
import { authenticate, type AuthedRequest } from './authenticate';
import { sendError } from './send-error';
import { ErrorCode, HubError } from '../errors';
import { accessOf, FIELD_ACCESS } from '../policy/field-access';
import { saveUpload } from '../subgraphs/registry/census-uploads';
import { checkExport, exportFileName, exportLedger } from '../subgraphs/registry/ledger-export.service';
import type { SubgraphRuntime } from '../subgraphs/runtime';

/**
 * The census's two file transfers, beside /graphql where the registry runs: uploads staged (in
 * the registry's database) for `importCensus`, and the ledger download `ledgerExport` links to.
 * Both take the same bearer token; the download also the purpose, is checked by the same rules
 * as the query and is recorded as a read.
 */
export function censusRouter(registry: SubgraphRuntime, verifyToken: VerifyToken): Router {
  const router = express.Router();
  const facts = (req: AuthedRequest): RequestFacts => ({
    principal: req.principal!,
    purpose: typeof req.headers['x-purpose'] === 'string' ? req.headers['x-purpose'] : null,
    requestId: String(req.id ?? ''),
    token: req.token!,
  });
  router.post('/census/uploads', authenticate(verifyToken), async (req: AuthedRequest, res, next) => {
    try {
      const principal = req.principal!;
      if (accessOf(FIELD_ACCESS['Mutation.importCensus'], principal.dept, principal.roles) === 'none') {
        return sendError(res, new HubError(ErrorCode.FORBIDDEN, 'Your account may not import a census'));
      }
      const fileName = String(req.query.name ?? '');
      const format = formatOf(fileName);
      if (!format) {
        return sendError(
          res,
          new HubError(ErrorCode.BAD_USER_INPUT, 'name: give the file name, ending in .csv or .xlsx', {
            field: 'name',
          }),
        );
      }
      const { em } = registry.contextFor(facts(req));
      const { id, bytes } = await saveUpload(em, req, principal, format, fileName.slice(0, 255));
      res.status(201).json({ uploadId: id, bytes, format });
    } catch (err) {
      // The only refusal of the file itself: too large.
      if (err instanceof HubError) return sendError(res, err, 413);
      next(err);
    }
  });
  router.get('/exports/ledger', authenticate(verifyToken), async (req: AuthedRequest, res, next) => {
    const ctx = registry.contextFor(facts(req));
    const regionCode = String(req.query.regionCode ?? '');
    const format = String(req.query.format ?? 'csv').toUpperCase();
    try {
      if (format !== 'CSV' && format !== 'XLSX') {
        throw new HubError(ErrorCode.BAD_USER_INPUT, 'format: must be csv or xlsx', { field: 'format' });
      }
      checkExport(ctx.principal, ctx.purpose, regionCode);
    } catch (err) {
      if (err instanceof HubError) return sendError(res, err);
      return next(err);
    }
    try {
      const fileName = exportFileName(regionCode, format);
      await exportLedger(ctx, regionCode, format, res, () => {
        res.status(200);
        res.setHeader(
          'content-type',
          format === 'CSV'
            ? 'text/csv; charset=utf-8'
            : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        );
        res.setHeader('content-disposition', `attachment; filename="${fileName}"`);
      });
    } catch (err) {
      if (!res.headersSent) return next(err);
      req.log?.error({ err }, 'ledger export stopped');
      res.destroy();
    }
  });
  return router;
}
