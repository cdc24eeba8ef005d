import { GraphQLError } from 'graphql';

/** The stable codes clients may branch on (DESIGN.md §6). */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  /** The database cannot be reached: try again shortly (HTTP 503). */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** A date falls in a year the official working calendar has no notice for (src/calendar). */
  CALENDAR_MISSING: 'CALENDAR_MISSING',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * An expected failure. It is a GraphQLError so that it crosses the gateway (in process or
 * over HTTP) with its code and details intact.
 */
export class HubError extends GraphQLError {
  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message, { extensions: { ...details, code } });
  }
}

export const badInput = (field: string, reason: string) =>
  new HubError(ErrorCode.BAD_USER_INPUT, `${field}: ${reason}`, { field, reason });
export const notFound = (what: string) => new HubError(ErrorCode.NOT_FOUND, `${what} not found`);
export const forbidden = (message: string) => new HubError(ErrorCode.FORBIDDEN, message);
export const conflict = (message: string, details: Record<string, unknown> = {}) =>
  new HubError(ErrorCode.CONFLICT, message, details);
export const unauthenticated = (message: string) => new HubError(ErrorCode.UNAUTHENTICATED, message);
export const unavailable = () =>
  new HubError(ErrorCode.SERVICE_UNAVAILABLE, 'The database is unavailable; try again shortly');

/** Driver error codes of a database that is down, restarting or refusing connections. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);
const UNREACHABLE_MESSAGE =
  // "timeout expired": node-postgres when a connection is not made within connectionTimeoutMillis.
  /Timeout acquiring a connection|Connection terminated|connection timeout|terminating connection|^timeout expired$/i;

/** Whether an error (or what it wraps) says the database could not be reached. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (
    let e = error as { code?: unknown; message?: unknown; originalError?: unknown; cause?: unknown } | undefined,
      depth = 0;
    e && depth < 5;
    depth++
  ) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (UNREACHABLE_CODES.has(code) || code.startsWith('08')) return true;
    if (typeof e.message === 'string' && UNREACHABLE_MESSAGE.test(e.message)) return true;
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return false;
}

/** Codes produced by GraphQL itself for a bad request; passed through like ours. */
const PROTOCOL_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);
const PASSED_THROUGH = new Set<string>([...Object.values(ErrorCode), ...PROTOCOL_CODES]);

/** Keys of `extensions` a client may see; anything else (stack traces, SQL) is dropped. */
const PUBLIC_EXTENSIONS = ['code', 'field', 'reason', 'rule', 'existingId', 'serviceName'];

type FormattedError = {
  message: string;
  locations?: unknown;
  path?: unknown;
  extensions?: Record<string, unknown>;
};

/** Whether a client may see this error as it is (an expected failure or a bad request). */
export function isExpected(error: Pick<FormattedError, 'extensions'>): boolean {
  const code = error.extensions?.code;
  return typeof code === 'string' && PASSED_THROUGH.has(code);
}

/**
 * The one mapper from errors to what a client sees. Expected codes pass with their public
 * details; everything else becomes INTERNAL_SERVER_ERROR with no details but the department
 * whose subgraph failed (it is logged with the request id by the server's error plugin).
 */
export function toClientError(formatted: FormattedError): FormattedError {
  const { message, locations, path } = formatted;
  if (!isExpected(formatted)) {
    const serviceName = formatted.extensions?.serviceName;
    return {
      message: 'Internal server error',
      locations,
      path,
      extensions: { code: 'INTERNAL_SERVER_ERROR', ...(typeof serviceName === 'string' ? { serviceName } : {}) },
    };
  }
  const extensions: Record<string, unknown> = {};
  for (const key of PUBLIC_EXTENSIONS) {
    if (formatted.extensions?.[key] !== undefined) extensions[key] = formatted.extensions[key];
  }
  return { message, locations, path, extensions };
}
