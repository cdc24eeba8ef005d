import type { ApolloServer } from '@apollo/server';
import Busboy, { type BusboyHeaders } from '@fastify/busboy';
import express, { type Request, type Router } from 'express';
import type { VerifyToken } from '../auth/verifier';
import type { RequestContext, RequestFacts } from '../context';
import { badInput, ErrorCode, forbidden, HubError } from '../errors';
import { formatOf, TableFileError } from '../files/table-file';
import { accessOf, FIELD_ACCESS } from '../policy/field-access';
import {
  assistanceTemplate,
  fileRowErrors,
  readAssistanceFile,
  type AssistanceFile,
  type FileRowError,
} from '../subgraphs/enterprise/assistance-file';
import type { RowError } from '../subgraphs/enterprise/assistance-input';
import { authenticate, type AuthedRequest } from './authenticate';
import { sendError } from './send-error';

/** 5,000 reports of 500 workers each are about 60 MB of CSV. */
const MAX_FILE_BYTES = 100 * 1024 * 1024;

const REPORT_FILE = /* GraphQL */ `
  mutation ReportAssistanceFile($rows: [AssistanceReportInput!]!) {
    reportAssistanceBatch(rows: $rows) {
      ... on AssistanceBatchAccepted {
        written
        duplicates
        receipts {
          clientKey
          reportId
          receivedAt
          duplicate
        }
      }
      ... on AssistanceBatchRejected {
        rowErrors {
          row
          field
          reason
        }
      }
    }
  }
`;

/** A receipt of the mutation, with the file row it answers. */
export interface FileReceipt {
  row: number;
  clientKey: string;
  reportId: string;
  receivedAt: string;
  duplicate: boolean;
}

type BatchData = {
  reportAssistanceBatch:
    { written: number; duplicates: number; receipts: Omit<FileReceipt, 'row'>[] } | { rowErrors: RowError[] };
};

export type AssistanceFileOutcome =
  { written: number; duplicates: number; receipts: FileReceipt[] } | { rowErrors: FileRowError[] };

/**
 * Records a file's rows as `ctx`'s caller, by running `reportAssistanceBatch` on `server`: the
 * permission table, purpose, jurisdiction and enterprise scope, row checks, idempotency and
 * audit are the mutation's own. A refusal of the whole request is thrown (HubError).
 */
export async function reportAssistanceFile(
  server: ApolloServer<RequestContext>,
  ctx: RequestContext,
  file: AssistanceFile,
): Promise<AssistanceFileOutcome> {
  if (file.problems.length) return { rowErrors: file.problems };
  const response = await server.executeOperation<BatchData>(
    { query: REPORT_FILE, variables: { rows: file.rows } },
    { contextValue: ctx },
  );
  if (response.body.kind !== 'single') throw new Error('the mutation answered incrementally');
  const { data, errors } = response.body.singleResult;
  const result = data?.reportAssistanceBatch;
  if (errors?.length || !result) {
    const error = errors?.[0];
    const code = (error?.extensions?.code as ErrorCode | undefined) ?? ErrorCode.BAD_USER_INPUT;
    throw new HubError(code, error?.message ?? 'The reports could not be recorded');
  }
  if ('rowErrors' in result) return { rowErrors: fileRowErrors(file, result.rowErrors) };
  const { written, duplicates, receipts } = result;
  return { written, duplicates, receipts: receipts.map((r, i) => ({ row: file.fileRows[i], ...r })) };
}

/**
 * The file of a multipart request (the part named `file`), read as it arrives. Resolves once the
 * whole request has been read, so that the answer never cuts an upload short.
 */
function receiveFile(req: Request): Promise<AssistanceFile> {
  return new Promise((resolve, reject) => {
    if (!req.is('multipart/form-data')) {
      req.resume();
      return reject(badInput('file', 'send the file as multipart/form-data, in a part named "file"'));
    }
    const busboy = Busboy({ headers: req.headers as BusboyHeaders, limits: { files: 1, fileSize: MAX_FILE_BYTES } });
    let reading: Promise<{ file: AssistanceFile } | { error: unknown }> | undefined;
    busboy.on('file', (field, stream, fileName) => {
      const format = formatOf(fileName);
      if (field !== 'file' || !format) {
        stream.resume();
        const reason =
          field !== 'file' ? `the part is named "${field}", not "file"` : 'the file must end in .csv or .xlsx';
        reading ??= Promise.resolve({ error: badInput('file', reason) });
        return;
      }
      reading = readAssistanceFile(stream, format)
        .then(
          (file) => ({ file }),
          (error: unknown) => ({ error }),
        )
        .then((read) =>
          stream.truncated ? { error: badInput('file', `the file is larger than ${MAX_FILE_BYTES >> 20} MB`) } : read,
        )
        .finally(() => stream.resume());
    });
    busboy.on('error', reject);
    busboy.on('finish', async () => {
      const read = await (reading ?? { error: badInput('file', 'no file: send it in a part named "file"') });
      if ('file' in read) return resolve(read.file);
      // Whatever stops the reading is the file's fault: nothing else happens while it is read.
      const { error } = read;
      const reason =
        error instanceof TableFileError ? error.message : `the file cannot be read (${(error as Error).message})`;
      reject(error instanceof HubError ? error : badInput('file', reason));
    });
    req.pipe(busboy);
  });
}

export interface AssistanceRouterOptions {
  server: ApolloServer<RequestContext>;
  verifyToken: VerifyToken;
  /** The context a request of the caller starts with on `server`. */
  contextFor: (facts: RequestFacts) => RequestContext;
}

/**
 * Enterprises' assistance files, beside /graphql: the template, and the upload that records a
 * file's rows through `reportAssistanceBatch` as the caller (the same bearer token and purpose).
 */
export function assistanceRouter({ server, verifyToken, contextFor }: AssistanceRouterOptions): Router {
  const router = express.Router();
  router.get('/enterprise/assistance/template.xlsx', async (_req, res, next) => {
    try {
      res
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .attachment('assistance-template.xlsx')
        .send(await assistanceTemplate());
    } catch (err) {
      next(err);
    }
  });
  router.post('/enterprise/assistance', authenticate(verifyToken), async (req: AuthedRequest, res, next) => {
    try {
      const principal = req.principal!;
      // Refused before the file is read; the mutation checks the same rule again.
      if (accessOf(FIELD_ACCESS['Mutation.reportAssistanceBatch'], principal.dept, principal.roles) === 'none') {
        req.resume();
        throw forbidden('Your account may not report assistance');
      }
      const file = await receiveFile(req);
      const purpose = typeof req.headers['x-purpose'] === 'string' ? req.headers['x-purpose'] : null;
      const facts = { principal, token: req.token!, requestId: String(req.id), purpose };
      const outcome = await reportAssistanceFile(server, contextFor(facts), file);
      res.status('rowErrors' in outcome ? 422 : 200).json(outcome);
    } catch (err) {
      if (err instanceof HubError) return sendError(res, err);
      next(err);
    }
  });
  return router;
}
