import pino, { type DestinationStream, type Logger } from 'pino';

/** Resident identity numbers (GB 11643) and mainland mobile numbers, wherever they appear in text. */
const ID_NUMBER = /(?<!\d)\d{17}[\dXx](?!\d)/g;
const MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/g;

export function scrub(text: string): string {
  return text.replace(ID_NUMBER, '[id-number]').replace(MOBILE, '[phone]');
}

/**
 * Errors as logs show them. A database error's message and detail can quote the row it failed
 * on (names, addresses), so only its kind, SQLSTATE and constraint are kept; other messages and
 * stacks are scrubbed of identity and phone numbers.
 */
function safeError(err: unknown) {
  if (!(err instanceof Error)) return err;
  const e = err as Error & { code?: unknown; constraint?: unknown; table?: unknown; sqlState?: unknown };
  const sqlState = typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) ? e.code : e.sqlState;
  if (sqlState !== undefined || /Exception$/.test(e.name)) {
    return { type: e.name, sqlState, constraint: e.constraint, table: e.table, message: '[database error]' };
  }
  return { type: e.name, message: scrub(e.message), stack: e.stack && scrub(e.stack) };
}

/**
 * JSON logs. Tokens and personal data never reach them: request headers are reduced to what
 * operations need, known personal fields are censored wherever they appear, errors are reduced
 * by `safeError`, and every message is scrubbed of identity and phone numbers.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'child-care-hub' },
      serializers: { err: safeError, error: safeError },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? scrub(a) : a)) as Parameters<typeof method>);
        },
      },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          '*.idNumber',
          '*.phone',
          '*.name',
          '*.address',
          '*.hukouNumber',
          'variables',
          '*.variables',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
