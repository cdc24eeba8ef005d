import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * The upstream signature of Hive Gateway (`hmacSignature`, @graphql-mesh/hmac-upstream-signature):
 * the router signs every subgraph request with a shared secret, in `extensions["hmac-signature"]`,
 * and the subgraph checks it. This is that plugin's algorithm: base64 HMAC-SHA256 of the
 * stable JSON of `{ query, variables }` (variables left out when empty).
 */
export const HMAC_EXTENSION = 'hmac-signature';

export interface SignedParams {
  query?: unknown;
  variables?: unknown;
}

/** JSON with the keys of every object sorted, as json-stable-stringify writes it. */
export function stableStringify(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => stableStringify(item) ?? 'null').join(',')}]`;
  const entries: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const item = stableStringify((value as Record<string, unknown>)[key]);
    if (item !== undefined) entries.push(`${JSON.stringify(key)}:${item}`);
  }
  return `{${entries.join(',')}}`;
}

function signedContent({ query, variables }: SignedParams): string {
  const hasVariables = variables != null && typeof variables === 'object' && Object.keys(variables).length > 0;
  return stableStringify({ query, variables: hasVariables ? variables : undefined })!;
}

/** Key objects of the secrets in use (one or two per process), made once: see identity-hash.ts. */
const keys = new Map<string, KeyObject>();

function keyOf(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = createSecretKey(Buffer.from(secret, 'utf8'))));
  return key;
}

export function hmacSignature(secret: string, params: SignedParams): string {
  return createHmac('sha256', keyOf(secret)).update(signedContent(params)).digest('base64');
}

/** Whether `signature` is the signature of `params` with `secret` (compared in constant time). */
export function verifyHmacSignature(secret: string, params: SignedParams, signature: unknown): boolean {
  if (typeof signature !== 'string') return false;
  const expected = Buffer.from(hmacSignature(secret, params), 'base64');
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
